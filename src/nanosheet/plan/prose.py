"""Markdown chapter text in, its prose blocks out (paragraphs and list items, inline markup removed).

Code fences, tables, headings, rules, HTML comments and lines that are only a link or a picture are not
prose; code spans are kept with their backticks, since a note may quote a command.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_EMPHASIS = [re.compile(r"\*\*(.+?)\*\*"),
             re.compile(r"(?<![A-Za-z0-9_])__(?![\s_])(.+?)(?<![\s_])__(?![A-Za-z0-9_])"),
             re.compile(r"~~(.+?)~~"),
             re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)"),
             re.compile(r"(?<![A-Za-z0-9_])_(?![\s_])(.+?)(?<![\s_])_(?![A-Za-z0-9_])")]
"""Bold, strike-through, italics; a Korean particle may follow the closing mark (*k*개), a snake_case word is
not italics."""
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>")
_FRONTMATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_LINK_ONLY = re.compile(r"^\s*(?:!?\[[^\]]*\]\([^)]*\)\s*)+$")


def prose_blocks(text: str) -> list[str]:
    """The paragraphs and list items of ``text``, each one line of plain prose."""
    blocks: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            block = clean_inline(" ".join(current)).strip()
            if block:
                blocks.append(block)
            current.clear()

    in_fence = False
    for line in _without_frontmatter(text).splitlines():
        if _FENCE.match(line):
            close()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if (not stripped or stripped.startswith(("#", "|", "<!--")) or _RULE.match(line)
                or _LINK_ONLY.match(line)):
            close()
            continue
        stripped = re.sub(r"^(?:>\s?)+", "", stripped)
        if _LIST_ITEM.match(stripped):
            close()
            stripped = _LIST_ITEM.sub("", stripped, count=1)
        current.append(stripped)
    close()
    return blocks


def _without_frontmatter(text: str) -> str:
    """YAML front matter (``---`` … ``---`` at the top) holds metadata, not prose."""
    return _FRONTMATTER.sub("", text, count=1)


def clean_inline(text: str) -> str:
    """Emphasis, links, pictures and HTML removed from one line; code spans kept as written."""
    spans: list[str] = []

    def hide(m: re.Match[str]) -> str:
        spans.append(m.group())
        return f"\x00{len(spans) - 1}\x00"

    # Code spans are set aside first: emphasis may wrap one (**`claude` 실행**), and nothing inside changes.
    plain = _clean_plain(_CODE_SPAN.sub(hide, text))
    return re.sub(r"\s{2,}", " ", re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], plain))


def _clean_plain(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code spans of ``text`` are (a sentence never ends inside one)."""
    return [m.span() for m in _CODE_SPAN.finditer(text)]
