"""One line of note text in, safe inline HTML out: **bold**, *em* and `code` become markup, nothing else.

Notes are untrusted: raw HTML is escaped (shown as text), and links, autolinks and images are
disabled, so nothing in a note can fetch a URL or run a script — a printed page has no use for them.
Two typographic touches are added to plain text runs (never to code): in a line that contains
Hangul, English terms (Latin runs of two or more letters) get ``<span class="en">`` so the sheet
can print them in one accent colour, and ✓ / ✗ marks get ``<span class="ok|no">`` for green / red.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

from nanosheet.inline import inline_parser, plain_text

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’./+][A-Za-z0-9]+|\s(?=[A-Za-z])[A-Za-z][A-Za-z0-9]*)*")
"""A run of Latin words (``Human-in-the-loop``, ``human annotation``, ``GPT-4``); spaces only between words."""
_MARKS = {"✓": "ok", "✔": "ok", "✗": "no", "✘": "no"}
_TOKENS = re.compile("|".join([_TERM.pattern, *map(re.escape, _MARKS)]))


def _decorate(text: str, terms: bool) -> str:
    """Escaped ``text`` with English terms (when ``terms``) and check/cross marks wrapped in spans."""
    out: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(text):
        word = m.group(0)
        kind = _MARKS.get(word)
        if kind is None and not (terms and sum(ch.isalpha() for ch in word) >= 2):
            continue
        out.append(escapeHtml(text[pos:m.start()]))
        out.append(f'<span class="{kind or "en"}">{escapeHtml(word)}</span>')
        pos = m.end()
    out.append(escapeHtml(text[pos:]))
    return "".join(out)


def _text_rule(_renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return _decorate(tokens[idx].content, bool(env.get("terms")))


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = inline_parser()
    md.add_render_rule("text", _text_rule)
    return md


@lru_cache(maxsize=8192)
def inline_html(text: str) -> Markup:
    """Markdown emphasis and code spans to HTML; everything else escaped. Cached: a sheet's lines recur
    (every studio keystroke draws all of them again), and Markup is an immutable str."""
    env = {"terms": bool(_HANGUL.search(text))}
    return Markup(_md().renderInline(text, env).strip())  # noqa: S704 - every text run is escaped above


def inline_lines(text: str) -> Markup:
    """Like :func:`inline_html`, but each ``\\n``-separated line of ``text`` stays its own line (``<br>``)."""
    lines = [line.strip() for line in text.split("\n")]
    return Markup("<br>").join(inline_html(line) for line in lines if line)


_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’", "「": "」", "『": "』", "«": "»"}


def unquoted(text: str) -> str:
    """``text`` without the quote marks around it: the sticky note draws its own."""
    t = text.strip()
    while len(t) >= 2 and _QUOTES.get(t[0]) == t[-1] and t[0] not in t[1:-1] and t[-1] not in t[1:-1]:
        t = t[1:-1].strip()
    return t


plain = plain_text
"""The text a reader sees (markers stripped), for measuring and the report (see :mod:`nanosheet.inline`)."""
