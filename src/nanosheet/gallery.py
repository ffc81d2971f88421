"""Rendered sheets in, a series view out: small PNG thumbnails, ``OUTDIR/index.html`` and one combined PDF.

The gallery is a static page (inline CSS, no scripts, nothing fetched): a card per sheet in series
order — chapter number from the frontmatter, then file name — with its thumbnail linking to the PNG,
links to the PDF and HTML, and its warnings. Every shown string is escaped: titles are untrusted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from nanosheet.export.write import write_atomic

THUMB_DIR = "thumbs"
THUMB_WIDTH = 300


@dataclass
class Card:
    """One sheet as the gallery shows it."""

    stem: str
    title: str
    source: str
    chapter: int | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    """Kind (png, pdf, html, thumb) → path relative to the gallery."""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def order(self) -> tuple[bool, int, str]:
        return self.chapter is None, self.chapter or 0, self.stem.casefold()


def make_thumbnail(png: bytes, dest: Path, *, width: int = THUMB_WIDTH) -> Path:
    """A small palette PNG of a page (~300 px wide) for the gallery; written atomically."""
    with Image.open(io.BytesIO(png)) as im:
        factor = max(1, im.width // width)
        small = im.convert("RGB").reduce(factor) if factor > 1 else im.convert("RGB")
        if small.width != width:
            small = small.resize((width, max(1, round(small.height * width / small.width))),
                                 Image.Resampling.LANCZOS)
        small = small.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        buf = io.BytesIO()
        small.save(buf, "PNG", optimize=False, compress_level=9)
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, buf.getvalue())
    return dest


def _href(rel: str) -> str:
    return escape(quote(rel), quote=True)


def _card_html(card: Card, index: int) -> str:
    chapter = f'<span class="ch">{card.chapter}</span>' if card.chapter is not None else ""
    head = f'<h2>{chapter}{escape(card.title)}</h2><p class="src">{escape(card.source)}</p>'
    if card.error is not None:
        return f'<article class="card failed" id="s{index}">{head}<p class="err">failed: {escape(card.error)}</p>' \
               "</article>"
    thumb = card.outputs.get("thumb")
    img = (f'<img src="{_href(thumb)}" alt="{escape(card.title, quote=True)}" loading="lazy" width="{THUMB_WIDTH}">'
           if thumb else '<div class="nothumb">no PNG</div>')
    pic = f'<a href="{_href(card.outputs["png"])}">{img}</a>' if "png" in card.outputs else img
    links = " · ".join(f'<a href="{_href(card.outputs[k])}">{k.upper()}</a>' for k in ("png", "pdf", "html")
                       if k in card.outputs)
    warn = ""
    if card.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in card.warnings)
        warn = f'<details class="warn"><summary>{len(card.warnings)} warning(s)</summary><ul>{items}</ul></details>'
    return f'<article class="card" id="s{index}">{pic}{head}<p class="links">{links}</p>{warn}</article>'


_CSS = """
body{margin:0;padding:24px;background:#f4efe2;color:#2f2a24;font-family:"Nano Hand","NanumBarunpen",sans-serif}
h1{margin:0 0 4px;font-size:28px} .sub{margin:0 0 20px;color:#6b6155}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:18px;align-items:start}
.card{background:#fffdf6;border:2px solid #2f2a24;border-radius:6px;padding:10px;box-shadow:4px 4px 0 #d9cfb8}
.card img{display:block;max-width:100%;height:auto;border:1px solid #d6ccb6}
.card h2{font-size:17px;margin:8px 0 2px} .src{margin:0;font-size:12px;color:#7a7064;word-break:break-all}
.ch{display:inline-block;min-width:1.6em;margin-right:6px;padding:0 4px;background:#ffe46b;text-align:center}
.links{margin:6px 0 0} .warn{margin-top:6px;font-size:12px;color:#8a4b00} .warn ul{padding-left:18px}
.failed{border-color:#c0392b} .err{color:#c0392b;font-size:13px;white-space:pre-wrap}
.nothumb{height:120px;display:grid;place-items:center;background:#eee}
"""


def write_gallery(outdir: Path, cards: list[Card], *, title: str = "nanosheet series") -> Path:
    """``OUTDIR/index.html`` listing ``cards`` in series order."""
    ordered = sorted(cards, key=lambda c: c.order)
    done = sum(1 for c in ordered if c.error is None)
    body = "\n".join(_card_html(c, i) for i, c in enumerate(ordered, 1))
    doc = (f'<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" '
           f'content="width=device-width"><title>{escape(title)}</title><style>{_CSS}</style></head>\n'
           f'<body><h1>{escape(title)}</h1><p class="sub">{done} sheet(s)'
           f'{f", {len(ordered) - done} failed" if done < len(ordered) else ""}</p>\n<main>\n{body}\n</main>'
           "</body></html>\n")
    path = outdir / "index.html"
    write_atomic(path, doc.encode("utf-8"))
    return path


def combine_pdfs(outdir: Path, cards: list[Card], dest: Path) -> Path:
    """One PDF of the series (in gallery order) with a bookmark per sheet; written atomically."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for card in sorted(cards, key=lambda c: c.order):
        rel = card.outputs.get("pdf")
        if card.error is not None or rel is None:
            continue
        reader = PdfReader(outdir / rel)
        first = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        label = f"{card.chapter}. {card.title}" if card.chapter is not None else card.title
        writer.add_outline_item(title=label, page_number=first)
    writer.add_metadata({"/Title": dest.stem, "/Producer": "nanosheet"})
    buf = io.BytesIO()
    writer.write(buf)
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, buf.getvalue())
    return dest
