"""Corpora in, ``src/nanosheet/ingest/repair_priors.json`` out: how often each symbol and each Hangul
syllable pair occurs in technical Korean Markdown.

The repair chooses between characters that lost the same byte (🎯/🍯, 🎓/📐/🍓, 🔍/🔐, ═/╁; 팁/판,
을/석). When nothing in the document tells them apart, the likelier one in this genre should win.

Symbols (emoji without their variation selector, box drawing, arrows, marks) get a smoothed
log-probability ``P(c) = (n(c) + STRENGTH · base(c)) / (N + STRENGTH)``: ``n`` counts the symbol in
the genre files, ``base`` is general usage — wordfreq's English frequencies for emoji (its
Twitter/Reddit/web sources, normalised over the emoji it lists), and for everything else a share
that favours box-drawing glyphs whose arms all have one weight (─ │ ┌ ═ ║ ╔; mixed heavy/light or
single/double joins such as ╁ are rare in drawings).

Hangul gets a syllable trigram model backing off to bigrams, runs of syllables bounded by ``#``
(anything else): ``팁`` stands alone as a word (``#팁#``) and ``판`` starts longer ones (``판단``),
``을`` ends a word after ``열`` and ``석`` hardly ever does.
Its counts come from the genre files and from technical Korean found on the machine, if present:
the Korean translation of *Rust by Example* (rustup's docs), the Korean message catalogues of the
installed Debian packages (``/usr/share/locale/ko``) and Korean man pages. Kiwi knows Korean but not
this genre's loanwords and habits (``스택``, ``스텁``, ``팁``); the n-grams supply them.

The genre files are the tuning prompts in ../shared/examples/prompts, README.md and examples/*.md —
never the chapters (../shared/examples/chapters) nor tests/fixtures/repair_heldout, the held-out
text the bench reports on; the bench measures the prompts themselves with this table rebuilt
without the prompt under test (``counts`` and ``table`` are there for it). The table is committed:
the corpora are not on every machine. Usage: ``pip install wordfreq && python tools/build_repair_priors.py``.
"""

from __future__ import annotations

import gettext
import gzip
import html
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "src" / "nanosheet" / "ingest" / "repair_priors.json"
STRENGTH = 200.0
"""Pseudo-counts given to the general-usage base: the genre counts win once a symbol occurs a few times."""
_MIXED_SHARE = 0.05
"""Base share of a box-drawing glyph that mixes line weights, against 1 for a uniform one."""
HANGUL_SMOOTHING = 10.0
"""Pseudo-counts of the unigram backoff in each bigram row (``P(b|a) = (n(ab) + k·P(b)) / (n(a) + k)``)."""
BOUNDARY = "#"
_MIN_TRIPLE = 2
_RUST_BY_EXAMPLE = Path("~/.rustup/toolchains").expanduser()
_LOCALE = Path("/usr/share/locale/ko/LC_MESSAGES")
_MAN = Path("/usr/share/man/ko")
_HANGUL = re.compile("[\uac00-\ud7a3]")


@dataclass
class Counts:
    """What the builder counts in a corpus; counts add and subtract (the bench leaves one file out)."""

    symbols: Counter[str] = field(default_factory=Counter)
    syllables: Counter[str] = field(default_factory=Counter)
    """Each syllable, and ``#`` for each run boundary, as the left half of a pair."""
    pairs: Counter[str] = field(default_factory=Counter)
    """Two-character keys: ``가나``, ``#가`` (a run starts with 가), ``가#`` (a run ends with it)."""
    triples: Counter[str] = field(default_factory=Counter)
    """Three-character keys after a run's first syllable: ``가나다``, ``#팁#`` (the one-syllable word 팁)."""

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.symbols + other.symbols, self.syllables + other.syllables, self.pairs + other.pairs,
                      self.triples + other.triples)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.symbols - other.symbols, self.syllables - other.syllables, self.pairs - other.pairs,
                      self.triples - other.triples)


def genre_files() -> list[Path]:
    prompts = sorted((SHARED / "examples" / "prompts").glob("*.md"))
    if not prompts:
        sys.exit(f"error: no prompts under {SHARED / 'examples' / 'prompts'}")
    return [*prompts, ROOT / "README.md", *sorted((ROOT / "examples").glob("*.md"))]


def machine_korean() -> dict[str, list[str]]:
    """Technical Korean installed on this machine, by source; a source that is absent is left out."""
    sources = {"rust-by-example-ko": list(_rust_by_example()), "debian-locale-ko": list(_catalogues()),
               "man-ko": list(_man_pages())}
    return {name: texts for name, texts in sources.items() if texts}


def _rust_by_example() -> Iterator[str]:
    books = sorted(_RUST_BY_EXAMPLE.glob("*/share/doc/rust/html/rust-by-example/ko"))
    if not books:
        return
    for page in sorted(books[0].rglob("*.html")):
        if page.name in ("print.html", "toc.html", "404.html"):
            continue  # the whole book again, the sidebar, an error page
        main = re.search(r"<main>(.*?)</main>", page.read_text(encoding="utf-8"), re.S)
        if main:
            yield html.unescape(re.sub(r"<[^>]+>", "", main.group(1)))


def _catalogues() -> Iterator[str]:
    for path in sorted(_LOCALE.glob("*.mo")):
        try:
            with path.open("rb") as handle:
                catalogue = gettext.GNUTranslations(handle)
        except (OSError, UnicodeDecodeError, ValueError):
            continue  # not a catalogue gettext can read
        yield "\n".join(v for v in catalogue._catalog.values() if isinstance(v, str))  # type: ignore[attr-defined]


def _man_pages() -> Iterator[str]:
    for path in sorted(_MAN.rglob("*.gz")):
        yield gzip.decompress(path.read_bytes()).decode("utf-8", errors="ignore")


def is_symbol(char: str) -> bool:
    """A character the symbol chooser decides: not ASCII, not Hangul, not a letter or digit of any script."""
    if ord(char) < 0x80 or "\uac00" <= char <= "\ud7a3":
        return False
    return unicodedata.category(char)[0] in "SP" or ord(char) >= 0x1F000


def hangul_pairs(text: str) -> Iterator[str]:
    """The syllable pairs of ``text``, every non-Hangul stretch one boundary ``#``."""
    prev = BOUNDARY
    for char in text:
        cur = char if _HANGUL.match(char) else BOUNDARY
        if cur == BOUNDARY == prev:
            continue
        yield prev + cur
        prev = cur
    if prev != BOUNDARY:
        yield prev + BOUNDARY


def count_text(text: str, symbols: bool = True) -> Counts:
    counts = Counts()
    if symbols:
        counts.symbols.update(c for c in text if is_symbol(c))
    before = BOUNDARY
    for pair in hangul_pairs(text):
        counts.pairs[pair] += 1
        counts.syllables[pair[0]] += 1
        if pair[0] != BOUNDARY:
            counts.triples[before + pair] += 1
        before = pair[0]
    return counts


def counts(paths: Iterable[Path], machine: dict[str, list[str]]) -> Counts:
    """Symbols and syllable pairs of the genre files; syllable pairs only of the machine's Korean,
    which is prose and UI text rather than Markdown."""
    total = Counts()
    for path in paths:
        total += count_text(path.read_text(encoding="utf-8"))
    for texts in machine.values():
        for text in texts:
            total += count_text(text, symbols=False)
    return total


def base_measure(chars: set[str]) -> dict[str, float]:
    """General-usage shares summing to 1 over ``chars`` plus an ``""`` entry for any other symbol."""
    from wordfreq import get_frequency_dict

    english = get_frequency_dict("en", "large")
    emoji_freq = {w: f for w, f in english.items() if len(w) == 1 and is_symbol(w) and ord(w) >= 0x2000}
    floor = min(emoji_freq.values()) / 10
    weights: dict[str, float] = {}
    for char in chars | set(emoji_freq):
        if char in emoji_freq:
            weights[char] = emoji_freq[char]
        elif unicodedata.name(char, "").startswith("BOX DRAWINGS"):
            weights[char] = floor * (1.0 if _uniform_weight(char) else _MIXED_SHARE)
        else:
            weights[char] = floor
    weights[""] = floor
    total = sum(weights.values())
    return {c: w / total for c, w in weights.items()}


def _uniform_weight(char: str) -> bool:
    name = unicodedata.name(char).removeprefix("BOX DRAWINGS ")
    found = {w for w in ("LIGHT", "HEAVY", "DOUBLE", "SINGLE") if w in name.split()}
    # "DOWN SINGLE AND HORIZONTAL DOUBLE" mixes; "LIGHT DOWN AND RIGHT" or "DOUBLE VERTICAL" do not.
    return len(found) <= 1


def table(found: Counts, files: list[str], machine: dict[str, list[str]]) -> dict[str, object]:
    """The JSON table ``nanosheet.ingest.priors`` reads, from counts."""
    symbol_counts = +found.symbols
    base = base_measure(set(symbol_counts))
    total = sum(symbol_counts.values())
    log_p = {c: math.log((symbol_counts[c] + STRENGTH * share) / (total + STRENGTH))
             for c, share in base.items() if c}
    # Only what the repair can meet: symbols with genre counts, or a general share above the floor.
    keep = {c: round(v, 3) for c, v in sorted(log_p.items()) if symbol_counts[c] or base[c] > base[""] * 1.5}
    return {
        "about": "log P(symbol) and Hangul syllable-pair counts in technical Korean Markdown; "
                 "built by tools/build_repair_priors.py",
        "genre_files": files,
        "machine_korean": {name: len(texts) for name, texts in sorted(machine.items())},
        "genre_symbols": total,
        "strength": STRENGTH,
        "other": round(math.log(STRENGTH * base[""] / (total + STRENGTH)), 3),
        "box_mixed": round(math.log(STRENGTH * base[""] * _MIXED_SHARE / (total + STRENGTH)), 3),
        "symbols": keep,
        "hangul": {
            "smoothing": HANGUL_SMOOTHING,
            "syllables": dict(sorted((+found.syllables).items())),
            "pairs": dict(sorted((+found.pairs).items())),
            # A triple seen once says little beyond its pairs; leaving those out halves the table.
            "triples": {k: n for k, n in sorted(found.triples.items()) if n >= _MIN_TRIPLE},
        },
    }


def build() -> dict[str, object]:
    files = genre_files()
    machine = machine_korean()
    return table(counts(files, machine), [p.name for p in files], machine)


def main() -> None:
    built = build()
    OUT.write_text(json.dumps(built, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    hangul = built["hangul"]
    assert isinstance(hangul, dict)
    print(f"{OUT.relative_to(ROOT)}: {len(built['symbols'])} symbols "  # type: ignore[arg-type]
          f"from {built['genre_symbols']} in {len(built['genre_files'])} files; "  # type: ignore[arg-type]
          f"{len(hangul['pairs'])} syllable pairs from {built['machine_korean']}")


if __name__ == "__main__":
    main()
