"""The sheet's footer: frontmatter (or a Draft) in, title/author/chapter/source link and the QR target out.

The QR code is drawn only for an http(s) link of at most ``QR_MAX_CHARS``: a phone opens whatever a QR
holds, so ``javascript:`` or ``file:`` must not be handed to it, and a version-40 code overflows near 2.3 k
characters (and is unreadable in print long before). Anything else gets no QR and a ``qr-skipped`` warning.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nanosheet.compose.draft import Draft
from nanosheet.model import Diagnostic, Footer, Prompt

QR_MAX_CHARS = 1000
"""A 1000-character URL is a version-26 code at level M, about 0.2 mm a module in the footer's corner."""


def add_footer(draft: Draft) -> Draft:
    """The last pass: the draft's footer (and a ``qr-skipped`` warning when the link gets no QR code)."""
    warnings = list(draft.warnings)
    footer = compose_footer(draft.prompt, draft.first_timestamp(), warnings)
    return replace(draft, footer=footer, warnings=tuple(warnings))


def compose_footer(prompt: Prompt, stamp: str | None, warnings: list[Diagnostic] | None = None) -> Footer:
    """The footer (a YouTube link opens at ``stamp``); why a source link got no QR code is appended to ``warnings``."""
    fm = prompt.frontmatter
    chapter = None
    if fm.chapter is not None:
        chapter = f"{fm.chapter}/{fm.total_chapters}" if fm.total_chapters else str(fm.chapter)
    korean = fm.title_kr or prompt.title
    title_en = fm.title if fm.title and fm.title != korean else None
    qr_url = fm.source_url
    if qr_url and stamp and is_youtube(qr_url):
        qr_url = youtube_at(qr_url, timestamp_seconds(stamp))
    if qr_url is not None:
        refused = qr_refusal(qr_url)
        if refused is not None:
            if warnings is not None:
                warnings.append(Diagnostic(code="qr-skipped", file=prompt.path,
                                           message=f"source_url {refused}; no QR code drawn"))
            qr_url = None
    return Footer(title=korean or fm.title or prompt.title, title_en=title_en, author=fm.author,
                  chapter=chapter, source_url=fm.source_url, qr_url=qr_url)


def qr_refusal(url: str) -> str | None:
    """Why ``url`` must not become a QR code, or None when it may."""
    if len(url) > QR_MAX_CHARS:
        return f"is {len(url)} characters (at most {QR_MAX_CHARS} fit a printable QR code)"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"a {parts.scheme}: link" if parts.scheme else "a link without http(s)://"
        return f"is {scheme[:40]}, not an http(s) one"
    if not parts.hostname or any(c.isspace() or not c.isprintable() for c in url):
        return "is not a well-formed http(s) link"
    return None


def is_youtube(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "youtu.be" or host.endswith("youtube.com")


def timestamp_seconds(stamp: str) -> int:
    """``3:13:00`` -> 11580, ``4:10`` -> 250."""
    seconds = 0
    for part in stamp.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def youtube_at(url: str, seconds: int) -> str:
    """The same video link, opening at ``seconds`` (any earlier ``t`` replaced)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
    query.append(("t", f"{seconds}s"))
    return urlunsplit(parts._replace(query=urlencode(query)))
