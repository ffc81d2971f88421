"""Render stage: a Sheet to HTML (templates, CSS, in-page JS for fitting, diagrams and sketchy strokes)."""

from nanosheet.render.html import FitOptions, render_document, render_fragment, render_html

__all__ = ["FitOptions", "render_document", "render_fragment", "render_html"]
