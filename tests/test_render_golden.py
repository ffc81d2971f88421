"""Golden PNGs: the look must not drift. Compared downscaled with a tolerance; failures leave images behind.

Regenerate after an intended change with ``NANOSHEET_UPDATE_GOLDEN=1 pytest tests/test_render_golden.py``.
On failure, ``tests/_failures/<name>.{actual,expected,diff}.png`` show what changed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageStat

from render_sheets import all_blocks_sheet, seed_sheet

GOLDEN = Path(__file__).resolve().parent / "golden" / "png"
FAILURES = Path(__file__).resolve().parent / "_failures"
SIZE = (620, 877)  # a quarter of 2480×3508: small enough to ignore antialiasing, large enough to see a shift
MAX_MEAN_DIFF = 2.0  # mean absolute difference per channel, 0–255


def _small(path: Path) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB").resize(SIZE, Image.Resampling.BOX)


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
    with Image.open(golden) as g:
        expected = g.convert("RGB")
    diff = ImageChops.difference(actual, expected)
    mean = sum(ImageStat.Stat(diff).mean) / 3
    if mean > MAX_MEAN_DIFF:
        FAILURES.mkdir(exist_ok=True)
        actual.save(FAILURES / f"{name}.actual.png")
        expected.save(FAILURES / f"{name}.expected.png")
        diff.point(lambda v: min(255, v * 4)).save(FAILURES / f"{name}.diff.png")
        box = diff.getbbox()
        pytest.fail(f"{name}: mean abs diff {mean:.2f} > {MAX_MEAN_DIFF} (changed region {box}); "
                    f"see {FAILURES}/{name}.*.png")
