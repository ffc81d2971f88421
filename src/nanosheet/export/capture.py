"""The browser contract: an HTML fragment in, a :class:`Captured` (measurements, PNG, PDF, snapshot) out.

Everything that draws a sheet — ``render``, ``batch``, later the studio — asks a :class:`Capture` and
nothing else, so the same fragment gives the same bytes whoever asks. The one real implementation is
:class:`nanosheet.export.pool.BrowserPool`; a fake for tests only has to return a ``Captured``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from nanosheet.options import FORMATS

if TYPE_CHECKING:
    from nanosheet.model import Measured, Page

__all__ = ["FORMATS", "Capture", "Captured"]


@dataclass
class Captured:
    """What the browser produced for one sheet, before anything is written."""

    measured: Measured
    png: bytes | None = None
    pdf: bytes | None = None
    snapshot: str | None = None
    """The drawn sheet's DOM without scripts (for ``<stem>.html``)."""
    aborted: list[str] = field(default_factory=list)
    """URLs the page tried to load for this sheet (all blocked)."""
    served: frozenset[str] = frozenset()
    """Asset paths the browser has served so far (the snapshot's HTML copies these next to itself)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Milliseconds per step (``layout_fit``, ``png``, ``pdf``, ``html``, ``capture``)."""


class Capture(Protocol):
    """Draw one sheet's fragment on a page of ``page``'s size and capture ``formats`` at ``dpi``."""

    def capture(self, fragment: str, page: Page, *, title: str, formats: Sequence[str], dpi: float) -> Captured:
        ...
