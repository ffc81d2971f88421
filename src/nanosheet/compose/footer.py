"""The sheet's footer: frontmatter in, title/author/chapter/source link and the QR target out."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nanosheet.compose.enrich import first_timestamp
from nanosheet.model import Footer, Prompt


def compose_footer(prompt: Prompt) -> Footer:
    fm = prompt.frontmatter
    chapter = None
    if fm.chapter is not None:
        chapter = f"{fm.chapter}/{fm.total_chapters}" if fm.total_chapters else str(fm.chapter)
    korean = fm.title_kr or prompt.title
    title_en = fm.title if fm.title and fm.title != korean else None
    qr_url = fm.source_url
    stamp = first_timestamp(prompt.source_text)
    if qr_url and stamp and is_youtube(qr_url):
        qr_url = youtube_at(qr_url, timestamp_seconds(stamp))
    return Footer(title=korean or fm.title or prompt.title, title_en=title_en, author=fm.author,
                  chapter=chapter, source_url=fm.source_url, qr_url=qr_url)


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
