"""Debian's big fonts in, small font files and the ``@font-face`` rules that load them out.

Why: a printed page carries every font it draws with *whole* — Chromium serialises each typeface into
the PDF compositor. NanumBarunpen is 11 MB per weight and Noto Color Emoji 10 MB, so a sheet's PDF
spent ~40 % of its time copying fonts and the compositor held ~180 MB. Split once (``fonttools``) into
parts that ``unicode-range`` lets Chromium load and print only when a sheet uses them:

- Hangul fonts: a *common* part (KS X 1001's 2 350 syllables — nearly all modern Korean text — plus
  jamo and CJK punctuation) and a *rare* part (the other 8 822 syllables); hinting is dropped (pages
  are drawn with ``--font-render-hinting=none``).
- Colour emoji: slices by first code point; each slice also holds every sequence (ZWJ, skin tone,
  keycap, flag) starting there, and its ``unicode-range`` names all their code points, because
  Chromium maps no glyph for a character outside a face's range.

The parts are built once into a cache folder (``make setup`` does it; otherwise the first render).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

BUILD_VERSION = 1
"""Bump when the split changes: the cache folder name includes it."""
STYLESHEET = "fonts.css"
DEBIAN_FONTS = Path("/usr/share/fonts/truetype")
EMOJI_SLICES = 48


@dataclass(frozen=True)
class Face:
    """One ``@font-face`` family built from a Debian font: ``css`` holds its other descriptors."""

    family: str
    source: str
    stem: str
    css: str


HANGUL_FACES = [
    # Barunpen's syllables fill their advance like handwriting; size-adjust matches Gaegu's Latin.
    Face("Nano Hand", "nanum/NanumBarunpenR.ttf", "barunpen-r", "font-weight: 400; size-adjust: 92%;"),
    Face("Nano Hand", "nanum/NanumBarunpenB.ttf", "barunpen-b", "font-weight: 700; size-adjust: 92%;"),
    Face("Nano Note", "nanum/NanumBarunpenR.ttf", "barunpen-r", "font-weight: 400; size-adjust: 90%;"),
]
HANGUL_EXTRA = [(0x1100, 0x11FF), (0x3000, 0x303F), (0x3131, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),
                (0xFF01, 0xFF60)]
"""Besides syllables, what the Hangul faces cover: jamo, CJK punctuation, full-width forms."""
CODE_FACE = Face("NanumGothicCoding", "nanum/NanumGothicCoding.ttf", "gothic-coding", "font-weight: 400;")
EMOJI_FACE = Face("Nano Emoji", "noto/NotoColorEmoji.ttf", "emoji", "")
SYLLABLES = range(0xAC00, 0xD7A4)


def common_syllables() -> set[int]:
    """KS X 1001's 2 350 Hangul syllables (EUC-KR rows 0xB0–0xC8): the set Korean text rarely leaves."""
    out: set[int] = set()
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.add(ord(bytes([lead, trail]).decode("euc_kr")))
    return out


def unicode_range(points: Iterable[int]) -> str:
    """Code points in, a compact CSS ``unicode-range`` (runs joined: ``U+AC00-AC01,U+AC04``) out."""
    runs: list[list[int]] = []
    for cp in sorted(set(points)):
        if runs and cp == runs[-1][1] + 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def _expand(ranges: Iterable[tuple[int, int]]) -> set[int]:
    return {cp for a, b in ranges for cp in range(a, b + 1)}


# ---------------------------------------------------------------------------------------------- building


def _subset(source: Path, unicodes: Iterable[int], target: Path) -> None:
    from fontTools import subset  # only needed while building (slow import)
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "TSIV NOT subset" per part: editor data, dropped
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.ignore_missing_unicodes = True
    font = TTFont(str(source), lazy=True, recalcTimestamp=False)  # same parts from the same fonts
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=set(unicodes))
    subsetter.subset(font)
    font.save(str(target))
    font.close()


@lru_cache(maxsize=8)
def _cmap(source: Path) -> frozenset[int]:
    """The code points ``source`` draws (read once per build: Barunpen Regular backs two families)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _face_rule(face: Face, file: str, points: Iterable[int]) -> str:
    return (f'@font-face {{ font-family: "{face.family}"; {face.css} font-display: block;\n'
            f'  src: url({file}) format("truetype");\n  unicode-range: {unicode_range(points)}; }}')


def _build_hangul(outdir: Path) -> list[str]:
    """Common and rare parts of each Hangul font (and the coding font); the rare rule comes first so
    the common one, declared later, is preferred where both would do."""
    rules: list[str] = []
    common = common_syllables() | _expand(HANGUL_EXTRA)
    built: set[str] = set()
    for face in [*HANGUL_FACES, CODE_FACE]:
        source = DEBIAN_FONTS / face.source
        cmap = _cmap(source)
        rare = (set(SYLLABLES) - common) & cmap
        first = (cmap - rare) if face is CODE_FACE else (common & cmap)
        for part, points in (("rare", rare), ("common", first)):
            file = f"{face.stem}-{part}.ttf"
            if file not in built:
                _subset(source, points, outdir / file)
                built.add(file)
            rules.append(_face_rule(face, file, points))
    return rules


def emoji_sequences() -> dict[int, list[set[int]]]:
    """First code point → the code points of each emoji sequence starting with it."""
    import emoji

    groups: dict[int, list[set[int]]] = {}
    for seq in emoji.EMOJI_DATA:
        points = [ord(c) for c in seq]
        groups.setdefault(points[0], []).append(set(points))
    return groups


def emoji_slices(cmap: Set[int], slices: int = EMOJI_SLICES) -> list[set[int]]:
    """The code points of each slice: first code points in order, cut where the number of sequences
    (≈ glyphs, ≈ bytes) reaches an even share, each with all code points of its sequences."""
    groups = emoji_sequences()
    for cp in cmap:  # characters the font draws that no listed sequence starts with
        groups.setdefault(cp, [{cp}])
    firsts = sorted(cp for cp in groups if cp in cmap)
    share = sum(len(groups[cp]) for cp in firsts) / slices
    out: list[set[int]] = [set()]
    weight = 0
    for cp in firsts:
        if weight >= share:
            out.append(set())
            weight = 0
        out[-1].update(*groups[cp])
        weight += len(groups[cp])
    return [points & cmap for points in out]


def _build_emoji(outdir: Path) -> list[str]:
    """Larger slices are declared first: where ranges overlap (a ZWJ sequence names other emoji), the
    later, smaller slice is the one Chromium loads for a lone emoji. Every slice holding all code points
    of a sequence holds its glyph too (the subsetter keeps ligatures whose parts it keeps)."""
    source = DEBIAN_FONTS / EMOJI_FACE.source
    built = []
    for i, points in enumerate(emoji_slices(_cmap(source))):
        file = f"{EMOJI_FACE.stem}-{i:02d}.ttf"
        _subset(source, points, outdir / file)
        built.append(((outdir / file).stat().st_size, file, points))
    built.sort(key=lambda b: (-b[0], b[1]))
    return [_face_rule(EMOJI_FACE, file, points) for _, file, points in built]


def build(outdir: Path) -> None:
    """Write every part and ``fonts.css`` into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    rules = [*_build_hangul(outdir), *_build_emoji(outdir)]
    header = "/* Generated by nanosheet.render.fonts from Debian's fonts — see that module for why. */\n"
    (outdir / STYLESHEET).write_text(header + "\n".join(rules) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------- cache


def _sources() -> list[Path]:
    return [DEBIAN_FONTS / f.source for f in [*HANGUL_FACES, CODE_FACE, EMOJI_FACE]]


def build_key() -> str:
    """Changes when a source font, this module's split or fontTools changes."""
    h = hashlib.sha256(f"{BUILD_VERSION} {EMOJI_SLICES}\n".encode())
    h.update(Path(__file__).read_bytes())
    for path in _sources():
        st = path.stat()
        h.update(f"{path} {st.st_size} {int(st.st_mtime)}\n".encode())
    return h.hexdigest()[:16]


def cache_root() -> Path:
    override = os.environ.get("NANOSHEET_FONT_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nanosheet" / "fonts"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """The folder holding the parts and ``fonts.css``, built first if missing (one process builds,
    others wait on a lock; a folder is only ever renamed into place complete)."""
    from nanosheet.errors import ConfigError

    missing = [str(p) for p in _sources() if not p.is_file()]
    if missing:
        raise ConfigError(f"font not found: {missing[0]}",
                          hint="install Debian's fonts-nanum, fonts-nanum-extra and fonts-noto-color-emoji "
                               "(make setup)")
    root = cache_root()
    final = root / build_key()
    if (final / STYLESHEET).is_file():
        return final
    try:
        with _locked(root / ".lock"):
            if (final / STYLESHEET).is_file():
                return final
            log.warning("splitting fonts for fast printing (once, ~15 s) into %s", final)
            tmp = root / f".{final.name}.tmp{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            build(tmp)
            os.replace(tmp, final)
    except OSError as exc:
        raise ConfigError(f"cannot write the font parts to {root}: {exc.strerror or exc}",
                          hint="set NANOSHEET_FONT_CACHE to a writable folder") from None
    return final


def main() -> None:
    """``python -m nanosheet.render.fonts``: build the parts now (``make setup``) and print the folder."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    print(font_dir())


if __name__ == "__main__":
    main()
