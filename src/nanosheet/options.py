"""Command-line choices in, the :class:`Options` every sheet of a run is drawn with out.

Kept apart from the pipeline so a batch can check its inputs and its cache — and start Chromium —
before the pipeline's modules (pydantic models, the ingest and compose stages, jinja) are imported.
It imports nothing of the project but :mod:`nanosheet.errors`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanosheet.errors import ConfigError

if TYPE_CHECKING:
    from nanosheet.model import Sheet
    from nanosheet.plan.llm_plan import LLMOptions

FORMATS = ("png", "pdf", "html")
MAX_DPI = 1200.0


@dataclass(frozen=True, slots=True)
class FitOptions:
    """Font sizes (pt) the in-page fitter may choose between for panel text."""

    min_pt: float = 7.0
    base_pt: float = 10.0
    max_pt: float = 16.0
    """A row's body text grows up to 16 pt to fill its panels; panel titles stay larger (sheet.js fitHead)."""
    drop_extra: bool = True
    """Leave out trailing compose-added blocks (``Panel.extra``) of a panel that cannot fit (reported)."""


Enrich = Callable[["Sheet", Path], "Sheet"]
"""A step between compose and html (``render --llm``): the composed sheet and its input path in."""


def check_export_options(formats: Iterable[str], dpi: float) -> list[str]:
    """The wanted formats in canonical order; a DPI that is not a finite number in range is a usage error."""
    if not (math.isfinite(dpi) and 0 < dpi <= MAX_DPI):
        raise ConfigError(f"--dpi {dpi:g} is out of range", hint=f"use a value between 1 and {MAX_DPI:g}")
    return [f for f in FORMATS if f in set(formats)]


def parse_formats(text: str) -> list[str]:
    """``png,pdf`` → ``["png", "pdf"]``; unknown names are a usage error (exit 2)."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ConfigError(f"unknown --format {', '.join(unknown) or text!r}",
                          hint=f"use a comma-separated subset of {','.join(FORMATS)}")
    return wanted


def check_orientation(orientation: str | None) -> str | None:
    if orientation is not None and orientation not in ("portrait", "landscape"):
        raise ConfigError(f"unknown --orientation {orientation!r}", hint="use portrait or landscape")
    return orientation


@dataclass(frozen=True)
class Options:
    """How every sheet of a run is drawn (the cache key holds the fields that change the files)."""

    formats: tuple[str, ...] = FORMATS
    dpi: float = 300.0
    orientation: str | None = None
    place_extras: bool = False
    fit: FitOptions = field(default_factory=FitOptions)
    enrich: Enrich | None = None
    plan: bool = True
    """Chapters without a wireframe are planned first (``--no-plan``: the default layout)."""
    llm: LLMOptions | None = None
    """``--llm``: chapters are planned by this model."""

    @classmethod
    def checked(cls, formats: Sequence[str] = FORMATS, dpi: float = 300.0, **kw: Any) -> Options:
        """Options with the formats in canonical order and the DPI validated (bad values exit 2)."""
        return cls(formats=tuple(check_export_options(formats, dpi)), dpi=dpi, **kw)

    def cache_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "formats": sorted(self.formats), "dpi": self.dpi, "orientation": self.orientation,
            "place_extras": self.place_extras, "plan": self.plan,
            "fit": [self.fit.min_pt, self.fit.base_pt, self.fit.max_pt, self.fit.drop_extra]}
        if self.llm is not None:  # only then: an offline series keeps the keys it was cached under
            fields["llm"] = [self.llm.spec, self.llm.base_url]
        return fields
