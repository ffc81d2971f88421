"""Re-draws the README's pictures from the bundled examples (our own inputs) with today's nanosheet.

    .venv/bin/python tools/readme_pictures.py      # writes docs/images/{demo,demo-detail,distil-before,
                                                   #   distil-after,beside}.jpg

JPEG at a screen width: the README shows what a reader gets, the 300 DPI PNG stays in out/.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
DEMO = ROOT / "examples" / "transformer-attention.md"
CHAPTER = ROOT / "examples" / "gradient-descent-chapter.md"
PIPELINE = ROOT / "tests" / "fixtures" / "layout" / "pipeline_band.md"
"""Our own prompt whose widest band holds a flow as tall as the band and a step table (drawn beside it)."""


def _render(source: Path, out: Path, *flags: str) -> Path:
    subprocess.run([sys.executable, "-m", "nanosheet", "render", str(source), "-o", str(out), "--format", "png",
                    *flags], check=True, stdout=subprocess.DEVNULL)
    return out / f"{source.stem}.png"


def _save(png: Path, name: str, width: int = 1400, crop: tuple[float, float, float, float] | None = None) -> None:
    with Image.open(png) as image:
        picture = image.convert("RGB")
    if crop is not None:
        w, h = picture.size
        picture = picture.crop((int(crop[0] * w), int(crop[1] * h), int(crop[2] * w), int(crop[3] * h)))
        width = picture.width if picture.width < 1600 else 1600
    height = round(picture.height * width / picture.width)
    picture.resize((width, height), Image.Resampling.LANCZOS).save(IMAGES / name, quality=86, optimize=True)
    print(IMAGES / name)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        demo = _render(DEMO, out / "demo")
        _save(demo, "demo.jpg")
        _save(demo, "demo-detail.jpg", crop=(0.02, 0.30, 0.62, 0.62))
        _save(_render(CHAPTER, out / "before", "--no-plan"), "distil-before.jpg", 900)
        _save(_render(CHAPTER, out / "after"), "distil-after.jpg", 900)
        _save(_render(PIPELINE, out / "pipeline"), "beside.jpg", crop=(0.02, 0.40, 0.98, 0.73))


if __name__ == "__main__":
    main()
