"""nanosheet prompt: write a clean Nano Banana prompt and read it back to the same sheet spec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.ingest.ratios import parse_ratio_spec
from nanosheet.plan import plan_prompt
from nanosheet.promptgen import layout_spec, round_trip_differences, sheet_spec, spec_differences, write_prompt
from widths import reference_width

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"
PROMPTS = sorted((SHARED / "examples" / "prompts").glob("*.md"))
CHAPTERS = sorted((SHARED / "examples" / "chapters").glob("*.md"))
MOJIBAKE = re.compile(r"[ìëêíã][\x80-\xbf\u0080-\u02ff]")


def _write(path: Path, tmp_path: Path) -> tuple[str, Path]:
    parsed = read_prompt(path)
    text = write_prompt(parsed, None if parsed.rows else compose_sheet(parsed).rows)
    out = tmp_path / f"{path.stem}.md"
    out.write_text(text, encoding="utf-8")
    return text, out


@pytest.mark.parametrize("path", [*PROMPTS, SEED], ids=lambda p: p.stem)
def test_written_prompt_reads_back_to_the_same_spec(path: Path, tmp_path: Path) -> None:
    original = read_prompt(path)
    _, written = _write(path, tmp_path)
    back = read_prompt(written)
    if original.rows:
        assert spec_differences(sheet_spec(original), sheet_spec(back)) == []
        assert [r.kind for r in back.rows] == [r.kind for r in original.rows]
        assert not back.auto_layout
    else:
        # No wireframe in: the automatic layout is written out, and composes to the same sheet.
        assert back.rows and not back.auto_layout
        assert spec_differences(layout_spec(compose_sheet(original).rows, with_extra=True),
                                layout_spec(compose_sheet(back).rows, with_extra=True)) == []
    assert back.page.orientation == original.page.orientation
    assert back.page.orientation_source.startswith("prompt:")  # stated, not defaulted
    assert back.frontmatter == original.frontmatter
    assert not [w for w in back.warnings if w.code in ("unclosed-fence", "ratio-mismatch", "ratio-sum",
                                                         "ratio-split-mismatch", "no-wireframe")]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_get_a_prompt_with_their_plan(path: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{path.stem}.md"
    result = CliRunner().invoke(app, ["prompt", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    planned = plan_prompt(read_prompt(path))
    assert text == write_prompt(planned)  # the prompt asks for the sheet render would draw
    assert round_trip_differences(planned, text) == []
    assert "# Layout Structure" in text and "| 영역 | 비율 | 내용 | 배치 |" in text
    assert "planned" in result.output and "re-parses to the same spec" in result.output


def test_seed_prompt_is_readable_korean_with_every_part(tmp_path: Path) -> None:
    out = tmp_path / "seed.md"
    result = CliRunner().invoke(app, ["prompt", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "re-parses to the same spec" in result.output
    text = out.read_text(encoding="utf-8")
    assert not MOJIBAKE.search(text)
    assert "첨부된 이미지는 스타일(손필기 느낌, 모눈종이 배경, 아이콘)만 참조하세요" in text
    assert "이미지, 오디오, 비디오" in text and "키보드/마우스 제어" in text
    for heading in ("# Role Definition", "# Source Text", "# Layout Structure", "## 배치 비율",
                    '# Output Style: "Nano Banana" Cheat Sheet', "# 이미지 생성 요청"):
        assert heading in text
    assert 'titleKr: "21. 앞으로의 전망"' in text  # the frontmatter travels with the source
    assert "A4 세로 방향 (Portrait)" in text


def test_wireframe_lines_share_one_width_and_ratio_table_has_four_columns(tmp_path: Path) -> None:
    text, _ = _write(SEED, tmp_path)
    frame = re.search(r"```\n(┌.*?┘)\n```", text, re.S)
    assert frame is not None
    lines = frame.group(1).split("\n")
    assert any("🖥️" in line for line in lines)  # heart of the matter: an emoji made wide by VS16
    widths = {reference_width(line) for line in lines}  # measured independently of nanosheet.textwidth
    assert widths == {73}  # 71 inner cells + two borders
    table = text[text.index("## 배치 비율"):]
    entries, diags = parse_ratio_spec(table, 1, "x")
    assert not diags
    assert [(e.percent, e.panels, e.widest) for e in entries] == [
        (10.0, 1, False), (25.0, 2, False), (40.0, 1, True), (25.0, 3, False)]


def test_landscape_is_stated_and_contradictions_are_dropped(tmp_path: Path) -> None:
    path = SHARED / "examples" / "prompts" / "honesty-personas-metaphors-cheatsheet-prompt.md"
    text, written = _write(path, tmp_path)
    request = text[text.index("# 이미지 생성 요청"):]
    assert "A4 가로 방향 (Landscape)" in request
    assert "A4 한 장" not in request  # the original's portrait-implying request line is replaced
    assert read_prompt(written).page.orientation == "landscape"


def test_prompt_to_stdout_and_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["prompt", str(SEED)])
    assert result.exit_code == 0
    assert "# Layout Structure" in result.stdout
    missing = CliRunner().invoke(app, ["prompt", str(tmp_path / "nope.md")])
    assert missing.exit_code == 2
    assert "error:" in missing.output and "Traceback" not in missing.output
    empty = tmp_path / "empty.md"
    empty.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(app, ["prompt", str(empty)])
    assert result.exit_code == 2 and "whitespace" in result.output
