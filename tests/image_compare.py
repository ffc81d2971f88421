"""Two page images in, a verdict per tile out: where they differ, first differing pixel, images on failure.

A page-wide mean hides a blanked panel (7 % of the page blank moves the mean by less than 2/255), so the
page is cut into square tiles and every tile must match on its own. The message names the first pixel
that differs by more than the noise (in reading order) and the worst tile; on failure
``<name>.actual.png``, ``<name>.expected.png`` and ``<name>.diff.png`` (differences amplified, failing
tiles outlined) are written to the failures folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageStat

TILE = 64
"""Tile side in pixels of the compared (downscaled) image."""
MAX_TILE_DIFF = 3.0
"""Largest mean absolute difference per channel (0–255) a tile may have: antialiasing and font
hinting move a few edge pixels, never a tile's worth."""
PIXEL_NOISE = 48
"""A pixel differs when some channel moves by more than this; smaller changes are edge antialiasing."""


@dataclass(frozen=True)
class TileDiff:
    """One tile whose mean difference is over the limit."""

    box: tuple[int, int, int, int]
    """(left, top, right, bottom) in pixels."""
    mean: float


@dataclass(frozen=True)
class Comparison:
    failing: list[TileDiff]
    first_pixel: tuple[int, int] | None
    """(x, y) of the first pixel, row by row, that differs by more than ``PIXEL_NOISE``."""
    size_mismatch: bool = False

    @property
    def ok(self) -> bool:
        return not self.failing and not self.size_mismatch

    def describe(self, name: str) -> str:
        if self.size_mismatch:
            return f"{name}: image sizes differ"
        worst = max(self.failing, key=lambda t: t.mean)
        return (f"{name}: {len(self.failing)} tile(s) of {TILE}×{TILE} px differ by more than {MAX_TILE_DIFF}; "
                f"worst {worst.box} mean {worst.mean:.1f}; first differing pixel at {self.first_pixel}")


def compare_images(actual: Image.Image, expected: Image.Image, tile: int = TILE,
                   limit: float = MAX_TILE_DIFF) -> Comparison:
    """Compare two RGB images tile by tile."""
    if actual.size != expected.size:
        return Comparison([], None, size_mismatch=True)
    diff = ImageChops.difference(actual.convert("RGB"), expected.convert("RGB"))
    width, height = diff.size
    failing = []
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            box = (left, top, min(left + tile, width), min(top + tile, height))
            mean = sum(ImageStat.Stat(diff.crop(box)).mean) / 3
            if mean > limit:
                failing.append(TileDiff(box, mean))
    return Comparison(failing, _first_pixel(diff))


def _first_pixel(diff: Image.Image) -> tuple[int, int] | None:
    """First pixel in reading order whose largest channel difference is over the noise."""
    mask = _max_channel(diff).point(lambda v: 255 if v > PIXEL_NOISE else 0)
    box = mask.getbbox()
    if box is None:
        return None
    left, top, right, _ = box
    row = mask.crop((left, top, right, top + 1)).tobytes()
    return left + next(i for i, v in enumerate(row) if v), top


def _max_channel(diff: Image.Image) -> Image.Image:
    red, green, blue = diff.split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def write_failure(folder: Path, name: str, actual: Image.Image, expected: Image.Image,
                  result: Comparison) -> None:
    """Leave the actual, expected and diff images for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    actual.save(folder / f"{name}.actual.png")
    expected.save(folder / f"{name}.expected.png")
    if result.size_mismatch:
        return
    diff = ImageChops.difference(actual.convert("RGB"), expected.convert("RGB")).point(lambda v: min(255, v * 4))
    draw = ImageDraw.Draw(diff)
    for bad in result.failing:
        draw.rectangle(bad.box, outline=(255, 0, 0))
    diff.save(folder / f"{name}.diff.png")
