"""Golden PNGs: the look must not drift. Compared downscaled, tile by tile; failures leave images behind.

Regenerate after an intended change with ``NANOSHEET_UPDATE_GOLDEN=1 pytest tests/test_render_golden.py``.
On failure, ``tests/_failures/<name>.{actual,expected,diff}.png`` show what changed (failing tiles
outlined in red in the diff), and the message names the first differing pixel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageStat

from image_compare import TILE, compare_images, write_failure
from render_sheets import all_blocks_sheet, seed_sheet

GOLDEN = Path(__file__).resolve().parent / "golden" / "png"
FAILURES = Path(__file__).resolve().parent / "_failures"
SIZE = (620, 877)  # a quarter of 2480×3508: small enough to ignore antialiasing, large enough to see a shift


def _small(path: Path) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB").resize(SIZE, Image.Resampling.BOX)


def _golden(name: str) -> Image.Image:
    with Image.open(GOLDEN / f"{name}.png") as g:
        return g.convert("RGB")


@pytest.mark.parametrize("name", ["seed", "all-blocks"])
def test_png_matches_golden(name: str, render_sheet: Any) -> None:
    sheet = {"seed": seed_sheet, "all-blocks": all_blocks_sheet}[name]()
    result = render_sheet(sheet, key=name if name != "seed" else "seed-portrait")
    actual = _small(result.paths["png"])
    golden = GOLDEN / f"{name}.png"
    if os.environ.get("NANOSHEET_UPDATE_GOLDEN") == "1" or not golden.exists():
        GOLDEN.mkdir(parents=True, exist_ok=True)
        actual.save(golden, optimize=True)
        if os.environ.get("NANOSHEET_UPDATE_GOLDEN") != "1":
            pytest.fail(f"no golden for {name}; wrote {golden} — check it by eye and commit it")
        return
    expected = _golden(name)
    comparison = compare_images(actual, expected)
    if not comparison.ok:
        write_failure(FAILURES, name, actual, expected, comparison)
        pytest.fail(f"{comparison.describe(name)}; see {FAILURES}/{name}.*.png")


# --------------------------------------------------------------------------- the comparator itself


def _inkiest_box(image: Image.Image, share: float) -> tuple[int, int, int, int]:
    """The square covering ``share`` of the page where the page has the most ink (so blanking it
    removes content, not white paper)."""
    side = int((share * image.width * image.height) ** 0.5)
    grey = image.convert("L")
    best, best_ink = (0, 0, side, side), -1.0
    for top in range(0, image.height - side, TILE // 2):
        for left in range(0, image.width - side, TILE // 2):
            box = (left, top, left + side, top + side)
            ink = 255 - ImageStat.Stat(grey.crop(box)).mean[0]
            if ink > best_ink:
                best, best_ink = box, ink
    return best


def test_the_golden_itself_matches() -> None:
    expected = _golden("seed")
    assert compare_images(expected.copy(), expected).ok


def test_blanking_five_percent_of_the_page_is_reported(tmp_path: Path) -> None:
    """The old page-wide mean let 7 % of the page go blank; per-tile comparison must not."""
    expected = _golden("seed")
    box = _inkiest_box(expected, 0.05)
    blanked = expected.copy()
    ImageDraw.Draw(blanked).rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=(255, 255, 255))
    comparison = compare_images(blanked, expected)
    assert not comparison.ok
    assert comparison.first_pixel is not None
    x, y = comparison.first_pixel
    assert box[0] <= x < box[2] and box[1] <= y < box[3]
    assert all(t.box[0] < box[2] and t.box[2] > box[0] and t.box[1] < box[3] and t.box[3] > box[1]
               for t in comparison.failing)  # only tiles that overlap the blanked square fail
    assert f"first differing pixel at ({x}, {y})" in comparison.describe("seed")
    write_failure(tmp_path, "seed", blanked, expected, comparison)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.actual.png", "seed.diff.png", "seed.expected.png"]


def test_a_block_moved_by_one_tile_is_reported() -> None:
    expected = _golden("seed")
    box = _inkiest_box(expected, 0.02)
    moved = expected.copy()
    moved.paste(expected.crop(box), (box[0] + TILE, box[1]))
    assert not compare_images(moved, expected).ok


def test_different_sizes_are_reported() -> None:
    expected = _golden("seed")
    result = compare_images(expected.resize((100, 100)), expected)
    assert not result.ok and result.describe("seed") == "seed: image sizes differ"
