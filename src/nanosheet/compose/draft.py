"""What compose hands from pass to pass: a Draft (the sheet so far and what was read once) in, a Sheet out.

Every pass takes a Draft and returns the next one (``Draft -> Draft``): it works on its own copy of the
rows (:meth:`Draft.copy_rows`) and leaves the draft it was given as it was, so a pass can be run and
tested alone. The copy is of rows and panels and their lists; blocks are shared, and a pass that changes
one puts a changed copy in its place (``model_copy``) — copying every block of every panel at each pass
cost a fifth of compose's time. A pass whose helpers do change blocks in place asks for a deep copy.
What more than one pass needs — the chapter's quotable passages — is read once, when the draft starts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from nanosheet.model import Diagnostic, Footer, Prompt, Row, Sheet, Unplaced

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Passage:
    """A line of source the notes can quote: its text, tier and transcript timestamp."""

    text: str
    tier: str
    timestamp: str | None = None


@dataclass(frozen=True)
class Draft:
    """The sheet as far as compose has got: the passes' one input and output."""

    prompt: Prompt
    """The prompt with its sections' directives fulfilled; read by the passes, never changed."""
    passages: tuple[Passage, ...] = ()
    """The chapter's key points, summary clauses and transcript chunks, read once (``enrich.source_passages``)."""
    rows: tuple[Row, ...] = ()
    """The panels so far; a pass returns new rows and leaves these as they were."""
    unplaced: tuple[Unplaced, ...] = ()
    """Content sections no panel took."""
    left_out: tuple[str, ...] = ()
    """What curation dropped, and why (``"r2p1 (Title): list 'x' — it repeats the panel's lines"``)."""
    warnings: tuple[Diagnostic, ...] = ()
    """The prompt's warnings, then each pass's, in the order they were found."""
    subtitle: str | None = None
    """The title band's subtitle as drawn (the tagline pass puts it in note form)."""
    quoted: frozenset[str] = frozenset()
    """Passages a mind map already quotes: no other panel quotes them again."""
    footer: Footer | None = None
    """Set by the footer pass, the last one."""

    @classmethod
    def start(cls, prompt: Prompt, passages: list[Passage]) -> Draft:
        """A draft with no panels yet: the prompt, its warnings and its chapter's passages."""
        return cls(prompt=prompt, passages=tuple(passages), warnings=tuple(prompt.warnings),
                   subtitle=prompt.subtitle)

    def first_timestamp(self) -> str | None:
        """The transcript's first ``[h:mm:ss]``: where the chapter starts in the video."""
        return next((p.timestamp for p in self.passages if p.timestamp is not None), None)

    def copy_rows(self, *, deep: bool = False) -> list[Row]:
        """The rows and panels, copied down to their lists (``deep``: and every block, for a pass whose
        helpers change blocks in place): a pass changes these and hands them on."""
        if deep:
            return [row.model_copy(deep=True) for row in self.rows]
        return [_copy(row, panels=[_copy(p) for p in row.panels]) for row in self.rows]

    def revised(self, rows: list[Row], warnings: list[Diagnostic] | None = None) -> Draft:
        """The next draft: new rows (and warnings, when the pass added some)."""
        return replace(self, rows=tuple(rows), warnings=self.warnings if warnings is None else tuple(warnings))

    def sheet(self) -> Sheet:
        """The finished Sheet, seeded from its content (after the footer pass)."""
        if self.footer is None:
            raise ValueError("compose: the draft has no footer yet (the footer pass comes last)")
        prompt = self.prompt
        sheet = Sheet(
            stem=Path(prompt.path).stem,
            title=prompt.title,
            subtitle=self.subtitle,
            page=prompt.page.model_copy(),
            rows=list(self.rows),
            footer=self.footer,
            auto_layout=prompt.auto_layout or not prompt.rows,
            unplaced=list(self.unplaced),
            left_out=list(self.left_out),
            warnings=list(self.warnings),
            plan=prompt.plan,
        )
        sheet.seed = content_seed(sheet)
        return sheet


def _copy(model: M, **update: object) -> M:
    """A copy of ``model`` whose list fields are new lists (of the same items) unless ``update`` gives them."""
    lists = {name: list(value) for name, value in model if isinstance(value, list) and name not in update}
    return model.model_copy(update={**lists, **update})


def content_seed(sheet: Sheet) -> int:
    """A seed derived from the content (as Rich builds ids): same sheet, same sketchy strokes."""
    # Spares are left out: they are derived from the source, and offering them must not move every stroke.
    exclude: dict[str, Any] = {"seed": True, "warnings": True, "plan": True,
                               "rows": {"__all__": {"panels": {"__all__": {"spares"}}}}}
    payload = sheet.model_dump_json(exclude=exclude).encode("utf-8")
    return zlib.adler32(payload) & 0x7FFFFFFF
