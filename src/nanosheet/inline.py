"""Inline note markup in, the text a reader sees out: one definition of ``**bold**``, ``*em*`` and `` `code` ``.

Model strings keep their inline markup (the renderer turns it into ``<strong>``/``<em>``/``<code>``);
every stage that needs the bare words — matching, measuring, the report, a clause reader — asks
:func:`plain_text`, so all of them agree on what the markup is. The same parser configuration backs
``render/inline.py``: CommonMark emphasis and code spans only; links, images and raw HTML are not markup.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


def inline_parser() -> MarkdownIt:
    """A fresh parser for note markup (the renderer adds its own output rules to its copy)."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
        ["image", "link", "autolink", "html_inline", "newline", "backticks"], ignoreInvalid=True
    ).enable(["backticks"])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return inline_parser()


@lru_cache(maxsize=8192)
def plain_text(text: str) -> str:
    """``**핵심** `KV` *cache*`` → ``핵심 KV cache``: the markers dropped, the words (and code) kept."""
    if not any(ch in text for ch in "*_`\\&"):
        return text  # nothing that could be markup: most lines, and the hot path
    tokens = _parser().parseInline(text)
    return "".join(child.content for tok in tokens for child in (tok.children or [])
                   if child.type in ("text", "code_inline"))
