"""Faults around the files we write: a bad -o, a read-only or full disk, planted symlinks, name collisions,
two batches into one folder — each one `error:` line naming the path and the cause, no partial file left."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from nanosheet.cache import output_lock, sheet_key
from nanosheet.cli import app
from nanosheet.errors import OutputError
from nanosheet.export.write import remove_stale_temp_files, write_atomic
from nanosheet.pipeline import Options

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPT = SHARED / "examples" / "prompts" / "how-openai-uses-codex-cheatsheet-prompt.md"
runner = CliRunner()


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("error:", "failed:"))]


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if ".tmp" in p.name]


@contextlib.contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture(autouse=True)
def _one_browser(cli_uses_session_browser: None) -> None:
    """`render` borrows the session's browser (a batch starts its own, as it always does)."""


@pytest.fixture
def one_prompt(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(PROMPT, src / "codex.md")
    return src / "codex.md"


# ------------------------------------------------------------------ write_atomic on its own


def test_write_atomic_never_follows_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.png").symlink_to(victim)
    for pid in range(os.getpid() - 2, os.getpid() + 3):  # the old, guessable temp names
        (out / f".x.png.tmp{pid}").symlink_to(victim)
    write_atomic(out / "x.png", b"new")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (out / "x.png").is_symlink() and (out / "x.png").read_bytes() == b"new"


def test_write_errors_name_the_path_and_leave_nothing(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match=r"cannot write .*/d: it is a directory") as info:
        write_atomic(tmp_path / "d", b"x")
    assert info.value.exit_code == 2
    with pytest.raises(OutputError, match=r"No such file or directory"):
        write_atomic(tmp_path / "missing" / "x.png", b"x")
    assert _temps(tmp_path) == []


def test_stale_temps_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".x.png.k3j2{'.tmp'}{dead.pid}"
    live = tmp_path / f".y.png.a1b2.tmp{os.getppid()}"
    stale.write_bytes(b"half")
    live.write_bytes(b"being written")
    assert remove_stale_temp_files(tmp_path) == [stale]
    assert live.exists() and not stale.exists()


# ------------------------------------------------------------------ the commands


def test_o_that_is_a_file_is_a_usage_error(tmp_path: Path, one_prompt: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    for cmd in (["render", str(one_prompt)], ["batch", str(one_prompt)]):
        result = runner.invoke(app, [*cmd, "-o", str(target), "--format", "png", "--dpi", "72"])
        assert result.exit_code == 2, result.output
        lines = _errors(result.output)
        assert len(lines) == 1 and str(target) in lines[0] and "is a file, not a directory" in lines[0]
        assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "mine" and _temps(tmp_path) == []


@pytest.mark.parametrize("dpi", ["nan", "inf", "0", "-5", "5000"])
def test_dpi_must_be_a_finite_number_in_range(tmp_path: Path, one_prompt: Path, dpi: str) -> None:
    for cmd in ("render", "batch"):
        result = runner.invoke(app, [cmd, str(one_prompt), "-o", str(tmp_path / "o"), "--dpi", dpi])
        assert result.exit_code == 2, result.output
        lines = _errors(result.output)
        assert len(lines) == 1 and "--dpi" in lines[0] and "1200" in lines[0], result.output
    assert not (tmp_path / "o").exists()


def test_prompt_and_repair_o_errors(tmp_path: Path, one_prompt: Path) -> None:
    into_dir = runner.invoke(app, ["prompt", str(one_prompt), "-o", str(tmp_path)])
    assert into_dir.exit_code == 2, into_dir.output
    assert _errors(into_dir.output) == [f"error: cannot write {tmp_path}: it is a directory — give a file name"]
    proc = runner.invoke(app, ["repair", str(one_prompt), "-o", "/proc/x.md"])
    assert proc.exit_code in (1, 2) and "Traceback" not in proc.output
    lines = _errors(proc.output)
    assert len(lines) == 1 and "/proc/x.md" in lines[0]
    assert _temps(tmp_path) == []


def test_combine_pointing_at_a_directory(tmp_path: Path, one_prompt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["batch", str(one_prompt), "-o", str(tmp_path / "o"), "--combine", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert _errors(result.output) == [f"error: --combine {tmp_path} is a directory — give the combined PDF's "
                                      "file name"]
    assert _temps(tmp_path) == []


def test_read_only_output(tmp_path: Path, one_prompt: Path) -> None:
    with _tmpfs(tmp_path / "ro", "ro,size=64k") as ro:
        inside = runner.invoke(app, ["render", str(one_prompt), "-o", str(ro / "new"), "--format", "png",
                                     "--dpi", "72"])
        assert inside.exit_code == 2, inside.output
        lines = _errors(inside.output)
        assert len(lines) == 1 and str(ro / "new") in lines[0] and "Read-only file system" in lines[0]
        into = runner.invoke(app, ["render", str(one_prompt), "-o", str(ro), "--format", "png", "--dpi", "72"])
        assert into.exit_code == 1, into.output
        lines = _errors(into.output)
        assert len(lines) == 1 and str(ro / "codex.png") in lines[0] and "Read-only file system" in lines[0]


def test_full_disk_leaves_no_partial_file(tmp_path: Path, one_prompt: Path) -> None:
    with _tmpfs(tmp_path / "full", "size=200k") as full:
        result = runner.invoke(app, ["render", str(one_prompt), "-o", str(full), "--format", "png,pdf"])
        assert result.exit_code == 1, result.output
        lines = _errors(result.output)
        assert len(lines) == 1 and "No space left on device" in lines[0] and str(full / "codex.png") in lines[0]
        assert "Traceback" not in result.output
        assert sorted(p.name for p in full.iterdir()) == []  # neither half a PNG nor a temp file


def test_symlinks_in_a_shared_output_dir_are_replaced_not_followed(tmp_path: Path, one_prompt: Path) -> None:
    victims = tmp_path / "victims"
    victims.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for name in ("codex.png", "codex.html", "codex.report.json", "index.html", ".nanosheet-cache.json"):
        (victims / name).write_text("precious", encoding="utf-8")
        (out / name).symlink_to(victims / name)
    (out / "thumbs").symlink_to(victims, target_is_directory=True)
    result = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--format", "png,html", "--dpi", "72"])
    assert result.exit_code == 1, result.output  # the planted thumbs/ link is refused, by name
    assert any("thumbs: it is a symbolic link" in line for line in _errors(result.output))
    (out / "thumbs").unlink()
    again = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--format", "png,html", "--dpi", "72"])
    assert again.exit_code == 0, again.output
    assert all((victims / n).read_text(encoding="utf-8") == "precious" for n in os.listdir(victims))
    for name in ("codex.png", "codex.html", "codex.report.json", "index.html", ".nanosheet-cache.json"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 0
    (out / ".nanosheet-lock").unlink()
    (out / ".nanosheet-lock").symlink_to(victims / "index.html")
    locked = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--dpi", "72", "--format", "png"])
    assert locked.exit_code == 1 and "lock file" in locked.output


def test_a_sheet_named_index_does_not_take_the_gallery(tmp_path: Path, one_prompt: Path) -> None:
    (one_prompt.parent / "index.md").write_bytes(one_prompt.read_bytes())
    out = tmp_path / "out"
    argv = ["batch", str(one_prompt.parent), "-o", str(out), "--format", "png,html", "--dpi", "72"]
    first = runner.invoke(app, argv)
    assert first.exit_code == 0, first.output
    gallery = (out / "index.html").read_text(encoding="utf-8")
    assert "nanosheet series" in gallery and 'href="index-2.html"' in gallery
    assert (out / "index-2.html").read_text(encoding="utf-8").count('id="sheet"') == 1
    second = runner.invoke(app, argv)
    assert "0 rendered, 2 cached, 0 failed" in second.output  # its hash matches now: not redrawn every run


def test_render_makes_stems_unique_like_batch(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copyfile(PROMPT, tmp_path / folder / "x.md")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(tmp_path / "a" / "x.md"), str(tmp_path / "b" / "x.md"), "-o", str(out),
                                 "--format", "png", "--dpi", "72"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["x-2.png", "x-2.report.json", "x.png", "x.report.json"]


def test_options_key_the_cache_and_two_batches_never_mix(tmp_path: Path, one_prompt: Path) -> None:
    data = one_prompt.read_bytes()
    keys = {sheet_key(data, "codex", Options.checked(dpi=d).cache_fields()) for d in (72, 96)}
    assert len(keys) == 2
    out = tmp_path / "out"
    for dpi in ("72", "96"):
        done = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--format", "png", "--dpi", dpi])
        assert "1 rendered, 0 cached" in done.output, done.output
        with Image.open(out / "codex.png") as im:
            assert abs(im.width - 210 / 25.4 * float(dpi)) <= 1
    cached = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--format", "png", "--dpi", "96"])
    assert "0 rendered, 1 cached" in cached.output
    with output_lock(out):  # another batch is writing there
        busy = runner.invoke(app, ["batch", str(one_prompt), "-o", str(out), "--format", "png", "--dpi", "72"])
    assert busy.exit_code == 1
    assert _errors(busy.output) == [f"error: {out} is in use by another nanosheet batch — wait for it to finish "
                                    "or give another -o"]
    with Image.open(out / "codex.png") as im:
        assert abs(im.width - 210 / 25.4 * 96) <= 1
