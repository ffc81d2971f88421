"""One line of note text in, safe inline HTML out: **bold**, *em* and `code` become markup, nothing else.

Notes are untrusted: raw HTML is escaped (shown as text), and links, autolinks and images are
disabled, so nothing in a note can fetch a URL or run a script — a printed page has no use for them.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
        ["image", "link", "autolink", "html_inline", "newline", "backticks"], ignoreInvalid=True
    ).enable(["backticks"])


def inline_html(text: str) -> Markup:
    """Markdown emphasis and code spans to HTML; everything else escaped."""
    return Markup(_md().renderInline(text).strip())  # noqa: S704 - markdown-it escapes all text itself


def plain(text: str) -> str:
    """The text a reader sees (markers stripped), for measuring and the report."""
    tokens = _md().parseInline(text)
    return "".join(
        child.content for tok in tokens for child in (tok.children or []) if child.type in ("text", "code_inline")
    )
