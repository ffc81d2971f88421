"""`nanosheet inspect` end to end: the JSON spec of every real prompt, the seed, chapters, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.ingest import clean_title, read_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = sorted((SHARED / "examples" / "prompts").glob("*.md"))
CHAPTERS = sorted((SHARED / "examples" / "chapters").glob("*.md"))
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"

runner = CliRunner()


def _inspect_json(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("path", [*PROMPTS, SEED], ids=lambda p: p.stem[:24])
def test_json_has_the_documented_shape(path: Path) -> None:
    spec = _inspect_json(path)
    assert spec["page"]["orientation"] in ("portrait", "landscape")
    assert isinstance(spec["repairs"], dict) and "mojibake" in spec["repairs"]
    assert spec["sections"] and all({"kind", "title", "line_start", "line_end"} <= s.keys() for s in spec["sections"])
    assert all("line" in w and "code" in w for w in spec["warnings"])
    if spec["auto_layout"]:
        assert spec["rows"] == []
        return
    assert spec["rows"][0]["kind"] == "title"
    assert sum(r["ratio"] for r in spec["rows"]) == pytest.approx(100, abs=0.1)
    for row in spec["rows"]:
        assert row["kind"] in ("title", "panels", "band")
        for panel in row["panels"]:
            assert {"icon", "title", "blocks"} <= panel.keys()
            assert all("type" in block for block in panel["blocks"])


def test_seed_parses_to_the_expected_sheet() -> None:
    spec = _inspect_json(SEED)
    assert spec["page"]["size"] == "A4" and spec["page"]["orientation"] == "portrait"
    rows = spec["rows"]
    assert [r["kind"] for r in rows] == ["title", "panels", "band", "panels"]
    assert [r["ratio"] for r in rows] == [10, 25, 40, 25]
    assert [(p["icon"], p["title"]) for p in rows[1]["panels"]] == [("🎨", "MULTIMODAL"), ("🤖", "AGENTS")]
    band = rows[2]["panels"][0]
    assert (band["icon"], band["title"]) == ("⚡", "FUTURE LLM CAPABILITIES")
    mindmap = next(b for b in band["blocks"] if b["type"] == "mindmap")
    assert mindmap["root"] == "Future"
    assert [c["label"] for c in mindmap["children"]] == [
        "Multimodal", "Agents", "Computer Use", "Longer Context", "Test-Time Training", "Robotics"]
    assert all(c["children"] == [] for c in mindmap["children"])
    assert [p["title"] for p in rows[3]["panels"]] == ["COMPUTER USE", "RESEARCH", "KEY TAKEAWAYS"]
    assert spec["title"] == "PREVIEW OF THINGS TO COME"
    # The Korean text came back: frontmatter, ratio table and panel text.
    assert spec["frontmatter"]["title_kr"] == "21. 앞으로의 전망"
    assert spec["repairs"]["mojibake"] is not None
    texts = [b.get("text", "") for p in rows[1]["panels"] for b in p["blocks"]]
    assert any("이미지, 오디오, 비디오" in t for t in texts)


def test_codex_is_flagged_for_automatic_layout() -> None:
    spec = _inspect_json(SHARED / "examples" / "prompts" / "how-openai-uses-codex-cheatsheet-prompt.md")
    assert spec["auto_layout"] is True and spec["rows"] == []
    assert "no-wireframe" in [w["code"] for w in spec["warnings"]]
    assert spec["title"] == "How OpenAI Uses Codex"
    assert [s["number"] for s in spec["sections"] if s["kind"] == "content"] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("name", "title", "subtitle"), [
    ("gpt2-training-inference-cheatsheet-prompt.md", "GPT-2 Training & Inference",
     "Deep Dive into LLMs - Chapter 7/24 by Andrej Karpathy"),
    ("grand-summary-cheatsheet-prompt.md", "LLM 전체 요약 (Grand Summary)", "Deep Dive into LLMs - Andrej Karpathy"),
    ("tokenization-spelling-cheatsheet-prompt.md", "TOKENIZATION & SPELLING", None),
])
def test_title_row_gives_title_and_subtitle(name: str, title: str, subtitle: str | None) -> None:
    prompt = read_prompt(SHARED / "examples" / "prompts" / name)
    assert (prompt.title, prompt.subtitle) == (title, subtitle)


def test_frontmatter_and_source_text() -> None:
    prompt = read_prompt(SHARED / "examples" / "prompts" / "gpt2-training-inference-cheatsheet-prompt.md")
    fm = prompt.frontmatter
    assert (fm.title, fm.title_kr, fm.chapter, fm.total_chapters) == (
        "7. GPT-2: Training and Inference", "7. GPT-2: 훈련과 추론", 7, 24)
    assert fm.source_url == "https://www.youtube.com/watch?v=7xTGNNLPyMI" and fm.extra == {"parent": "deep-dive-llms"}
    assert prompt.source_text.startswith("## 7. GPT-2: Training and Inference")
    assert "```yaml" not in prompt.source_text


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_are_read_as_content_with_automatic_layout(path: Path) -> None:
    prompt = read_prompt(path)
    assert prompt.auto_layout and prompt.rows == []
    content = [s for s in prompt.sections if s.kind == "content"]
    assert len(content) >= 3 and all(s.blocks for s in content if s.text.strip())  # an H1 over its H2s may be bare
    assert prompt.frontmatter.title and prompt.title in (prompt.frontmatter.title_kr, prompt.frontmatter.title)
    assert prompt.page.orientation == "portrait"


def test_orientation_override() -> None:
    path = SHARED / "examples" / "prompts" / "tokenization-spelling-cheatsheet-prompt.md"
    assert read_prompt(path).page.orientation == "landscape"
    page = read_prompt(path, orientation="portrait").page
    assert (page.orientation, page.orientation_source) == ("portrait", "cli")


def test_tree_output_names_rows_panels_and_warnings() -> None:
    path = SHARED / "examples" / "prompts" / "where-to-find-llms-cheatsheet-prompt.md"
    result = runner.invoke(app, ["inspect", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for expected in ("WHERE TO FIND LLMs", "portrait", "PROPRIETARY MODELS",
                     "LOCAL EXECUTION", "unclosed-fence", "line 173", "mindmap"):
        assert expected in result.stdout


@pytest.mark.parametrize("content", [b"", b"  \n\n  \n"])
def test_empty_input_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2
    assert "error:" in result.output and "empty.md" in result.output
    assert "Traceback" not in result.output


def test_malformed_frontmatter_is_a_warning_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("# Role Definition\nx\n\n# Source Text\n---\ntitle: [oops\nauthor: a\n---\n\nbody\n",
                    encoding="utf-8")
    prompt = read_prompt(path)
    codes = {(w.code, w.line) for w in prompt.warnings}
    assert ("frontmatter-yaml", 7) in codes or ("frontmatter-yaml", 6) in codes
    assert prompt.frontmatter.title is None and prompt.source_text == "body"


@pytest.mark.parametrize(("raw", "clean"), [
    ("NANO BANANA CHEAT SHEET: ACTIVE-PROMPT", "ACTIVE-PROMPT"),
    ("🧠 NANO BANANA CHEAT SHEET: LLM 전체 요약 (Grand Summary) 🧠", "LLM 전체 요약 (Grand Summary)"),
    ("나노바나나 치트시트 프롬프트: AI Prompt Engineering", "AI Prompt Engineering"),
    ("📖 What is it", "📖 What is it"),
    ("Nano Banana itself", "Nano Banana itself"),
    ("🍌 NANO BANANA CHEAT SHEET 🍌", ""),
])
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_layout_heading_without_drawing_and_unused_ratios_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text("# Role Definition\nx\n\n# Layout Structure\n(그림 없음)\n\n## 배치 비율\n- 상단 (10%): 타이틀\n",
                    encoding="utf-8")
    prompt = read_prompt(path)
    assert prompt.auto_layout and prompt.rows == []
    assert [(w.code, w.line) for w in prompt.warnings] == [("no-wireframe", 4), ("ratio-unused", 7)]
