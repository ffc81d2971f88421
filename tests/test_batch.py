"""`nanosheet batch`: inputs and stems, cache and resume, gallery and combined PDF, one line per failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from nanosheet.batch import collect_inputs, plan_jobs
from nanosheet.cli import app
from nanosheet.errors import InputError
from nanosheet.safety import safe_stem, unique_stems

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"
runner = CliRunner()


@pytest.mark.parametrize(("name", "stem"), [
    ("../../etc/passwd", "etc_passwd"), ("/abs/path", "abs_path"), ("..", "sheet"), ("", "sheet"),
    ("NUL", "_NUL"), ("con.txt", "_con.txt"), ("Com1", "_Com1"), ("lpt9 ", "_lpt9"),
    ("a..b", "a.b"), (".hidden", "hidden"), ("x\x00y\\z", "x_y_z"), ("한국어 노트", "한국어 노트"),
    ('we<ird>:"|?*', "we_ird"),
])
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_long_stems_are_bounded_and_stay_unique() -> None:
    a, b = safe_stem("가" * 200 + "a"), safe_stem("가" * 200 + "b")
    assert a != b and len(a.encode()) <= 120 and len(b.encode()) <= 120
    assert unique_stems(["x", "X", "x", "y"]) == ["x", "X-2", "x-3", "y"]


def test_collect_inputs_files_folders_globs(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    for name in ("b.md", "a.txt", "skip.png"):
        (tmp_path / "d" / name).write_text("x", encoding="utf-8")
    (tmp_path / "c.md").write_text("x", encoding="utf-8")
    got = collect_inputs([tmp_path / "d", str(tmp_path / "*.md"), tmp_path / "d" / "b.md"])
    assert [p.name for p in got] == ["a.txt", "b.md", "c.md"]
    with pytest.raises(InputError, match="no such file"):
        collect_inputs([str(tmp_path / "missing*.md")])
    jobs = plan_jobs([tmp_path / "d" / "b.md", tmp_path / "b.md"])
    assert [j.stem for j in jobs] == ["b", "b-2"]


def test_batch_renders_caches_and_reports_failures(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("honesty-personas-metaphors-cheatsheet-prompt.md", "how-openai-uses-codex-cheatsheet-prompt.md"):
        shutil.copyfile(PROMPTS / name, src / name)
    (src / "broken.md").write_bytes(b"\x00\x01\x02 not a prompt \xff\xfe" * 10)
    out = tmp_path / "out"
    first = runner.invoke(app, ["batch", str(src), "-o", str(out), "--combine", str(out / "series.pdf")])
    assert first.exit_code == 1, first.output
    failures = [line for line in first.output.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "broken.md" in failures[0] and "Traceback" not in first.output
    assert "2 rendered, 0 cached, 1 failed" in first.output
    for stem in ("honesty-personas-metaphors-cheatsheet-prompt", "how-openai-uses-codex-cheatsheet-prompt"):
        with Image.open(out / f"{stem}.png") as im:
            assert im.size in ((2480, 3508), (3508, 2480))
        with Image.open(out / "thumbs" / f"{stem}.png") as thumb:
            assert thumb.width == 300
        assert json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))["stem"] == stem
    gallery = (out / "index.html").read_text(encoding="utf-8")
    assert gallery.index("honesty-personas") < gallery.index("how-openai")  # chapter 5 first, then unnumbered
    assert 'href="honesty-personas-metaphors-cheatsheet-prompt.pdf"' in gallery and "broken.md" in gallery
    assert "<script" not in gallery
    series = PdfReader(out / "series.pdf")
    assert len(series.pages) == 2 and [o.title for o in series.outline][0].startswith("5. ")
    assert not list(out.rglob(".*.tmp*"))

    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.png")}
    again = runner.invoke(app, ["batch", str(src / "honesty-personas-metaphors-cheatsheet-prompt.md"),
                                str(src / "how-openai-uses-codex-cheatsheet-prompt.md"), "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert "0 rendered, 2 cached, 0 failed" in again.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.png")} == mtimes

    # A damaged output is noticed and rendered again; --force renders everything.
    (out / "how-openai-uses-codex-cheatsheet-prompt.pdf").write_bytes(b"%PDF-truncated")
    fixed = runner.invoke(app, ["batch", str(src / "how-openai-uses-codex-cheatsheet-prompt.md"), "-o", str(out),
                                "--format", "png,pdf,html"])
    assert "1 rendered, 0 cached" in fixed.output
    assert len(PdfReader(out / "how-openai-uses-codex-cheatsheet-prompt.pdf").pages) == 1


def test_titles_and_frontmatter_never_steer_output_paths(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    body = (PROMPTS / "how-openai-uses-codex-cheatsheet-prompt.md").read_text(encoding="utf-8")
    evil = "---\ntitle: ../../../escaped\nauthor: /etc/passwd\nsource_url: ../x\nchapter: 1\n---\n" + body
    names = ["CON.md", "..md", "nul.txt", "x" * 240 + ".md"]
    for name in names:
        (src / name).write_text(evil.replace("# ", "# ../../", 1), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app, ["batch", str(src), "-o", str(out), "--format", "png", "--dpi", "72"])
    assert done.exit_code == 0, done.output
    outside = [p for p in tmp_path.rglob("*") if not p.is_relative_to(src) and not p.is_relative_to(out)
               and p != src and p != out]
    assert outside == []
    stems = sorted(p.name[:-len(".report.json")] for p in out.glob("*.report.json"))
    assert len(stems) == 4 and "_CON" in stems and "_nul" in stems and "sheet" in stems  # "..md" has stem "."
    assert all(len(s.encode()) <= 120 and "/" not in s and ".." not in s for s in stems)
    assert not any("escaped" in p.name for p in tmp_path.rglob("*"))
