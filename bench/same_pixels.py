"""Two output folders in (``nanosheet batch`` of the same inputs, two captures), per-PNG pixel differences out.

For each ``*.png`` in both: the largest mean difference of a 32×32 tile (per pixel the largest channel
difference, 0–255), the largest single pixel difference, the share of differing pixels, and whether
both carry the same DPI (pHYs). Prints a row per sheet and one JSON line; no verdict.

Usage: ``python bench/same_pixels.py DIR_A DIR_B``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capture_options import compare, pixels  # noqa: E402
from PIL import Image  # noqa: E402


def main(a: Path, b: Path) -> None:
    rows = {}
    for png in sorted(a.glob("*.png")):
        other = b / png.name
        if not other.is_file():
            continue
        tile, px, share = compare(pixels(png.read_bytes()), other.read_bytes())
        dpi = Image.open(png).info.get("dpi"), Image.open(other).info.get("dpi")
        rows[png.stem] = {"tile_max": round(tile, 2), "px_max": px, "differ_pct": round(share * 100, 3),
                          "dpi_same": dpi[0] == dpi[1], "dpi": [round(v) for v in dpi[1] or ()]}
        print(f"{png.stem:50} tile max {tile:6.2f}  px max {px:3d}  differ {share * 100:7.3f} %  dpi {dpi[1]}")
    print(json.dumps({"bench": "same_pixels", "sheets": len(rows), "rows": rows}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
