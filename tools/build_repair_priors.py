"""Corpora in, ``src/nanosheet/ingest/repair_priors.json`` out: how often each symbol occurs in technical Markdown.

The repair chooses between characters that lost the same byte (🎯/🍯, 🎓/📐/🍓, 🔍/🔐, ═/╁). When
nothing in the document tells them apart, the likelier one in this genre should win, so each symbol
(emoji without its variation selector, box drawing, arrows, marks) gets a smoothed log-probability:

    P(c) = (n(c) + STRENGTH · base(c)) / (N + STRENGTH)

``n`` counts the symbol in cheat-sheet prompts and our own Markdown (the genre: the tuning prompts in
../shared/examples/prompts, README.md, examples/*.md — never the chapters, which are the held-out
text the bench reports on); ``base`` is general usage: wordfreq's English frequencies for emoji
(its Twitter/Reddit/web sources, normalised over the emoji it lists), and for everything else a share
that favours box-drawing glyphs whose arms all have one weight (─ │ ┌ ═ ║ ╔; mixed heavy/light or
single/double joins such as ╁ are rare in drawings). The table is committed: the corpora are not on
every machine. Usage: ``pip install wordfreq && python tools/build_repair_priors.py``.
"""

from __future__ import annotations

import json
import math
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "src" / "nanosheet" / "ingest" / "repair_priors.json"
STRENGTH = 200.0
"""Pseudo-counts given to the general-usage base: the genre counts win once a symbol occurs a few times."""
_MIXED_SHARE = 0.05
"""Base share of a box-drawing glyph that mixes line weights, against 1 for a uniform one."""


def genre_files() -> list[Path]:
    prompts = sorted((SHARED / "examples" / "prompts").glob("*.md"))
    if not prompts:
        sys.exit(f"error: no prompts under {SHARED / 'examples' / 'prompts'}")
    return [*prompts, ROOT / "README.md", *sorted((ROOT / "examples").glob("*.md"))]


def is_symbol(char: str) -> bool:
    """A character the symbol chooser decides: not ASCII, not Hangul, not a letter or digit of any script."""
    if ord(char) < 0x80 or "\uac00" <= char <= "\ud7a3":
        return False
    return unicodedata.category(char)[0] in "SP" or ord(char) >= 0x1F000


def count_symbols(paths: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in paths:
        counts.update(c for c in path.read_text(encoding="utf-8") if is_symbol(c))
    return counts


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


def build() -> dict[str, object]:
    files = genre_files()
    counts = count_symbols(files)
    base = base_measure(set(counts))
    total = sum(counts.values())
    log_p = {c: math.log((counts[c] + STRENGTH * share) / (total + STRENGTH)) for c, share in base.items() if c}
    # Only what the repair can meet: symbols with genre counts, or a general share above the floor.
    keep = {c: round(v, 3) for c, v in sorted(log_p.items()) if counts[c] or base[c] > base[""] * 1.5}
    return {
        "about": "log P(symbol) in technical Markdown; built by tools/build_repair_priors.py",
        "genre_files": [p.name for p in files],
        "genre_symbols": total,
        "strength": STRENGTH,
        "other": round(math.log(STRENGTH * base[""] / (total + STRENGTH)), 3),
        "box_mixed": round(math.log(STRENGTH * base[""] * _MIXED_SHARE / (total + STRENGTH)), 3),
        "symbols": keep,
    }


def main() -> None:
    table = build()
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(table['symbols'])} symbols "  # type: ignore[arg-type]
          f"from {table['genre_symbols']} in {len(table['genre_files'])} files")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
