"""Render stage: a Sheet to HTML (templates, CSS, in-page JS for fitting, diagrams and sketchy strokes).

``render_*`` are imported from :mod:`nanosheet.render.html` on first use (PEP 562), so the browser can
load :mod:`nanosheet.render.assets` without the templates, jinja and the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nanosheet.options import FitOptions
    from nanosheet.render.html import render_document, render_fragment, render_html

__all__ = ["FitOptions", "render_document", "render_fragment", "render_html"]


def __getattr__(name: str) -> Any:
    if name == "FitOptions":
        from nanosheet.options import FitOptions

        return FitOptions
    if name in ("render_document", "render_fragment", "render_html"):
        from nanosheet.render import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
