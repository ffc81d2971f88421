"""Ratio specs: every written form, cross-checks with the wireframe rows, normalisation, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.ingest.ratios import RatioEntry, apply_ratios, parse_ratio_spec
from nanosheet.ingest.sections import section_lines, split_sections
from nanosheet.model import Panel, Row, RowKind

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def _row(kind: RowKind, panels: int = 1, flags: list[str] | None = None, line: int = 1) -> Row:
    return Row(kind=kind, ratio=0.0, line=line,
               panels=[Panel(id=f"r0p{i}", title=f"P{i}", flags=list(flags or [])) for i in range(panels)])


def _corpus_entries(name: str) -> list[RatioEntry]:
    sections, _ = split_sections((PROMPTS / name).read_text(encoding="utf-8"), name)
    entries: list[RatioEntry] = []
    for section in sections:
        if section.kind == "ratio":
            first, lines = section_lines(section)
            found, diags = parse_ratio_spec("\n".join(lines), first, name)
            assert not diags
            entries.extend(found)
    return entries


# Percentages, stated splits and the focus row as each prompt writes them (README + the files).
CORPUS = {
    "honesty-personas-metaphors-cheatsheet-prompt.md": ([10, 20, 45, 25], [1, 2, None, 3], 2, 99),
    "gpt2-training-inference-cheatsheet-prompt.md": ([10, 25, 40, 25], [None, 2, None, 3], 2, 134),
    "tokenization-spelling-cheatsheet-prompt.md": ([10, 25, 40, 25], [1, 2, None, 3], 2, 71),
    "grand-summary-cheatsheet-prompt.md": ([10, 35, 25, 20, 10], [None, None, 2, 2, None], 1, 154),
    "where-to-find-llms-cheatsheet-prompt.md": ([15, 25, 40, 20], [None, 2, None, 2], 2, 163),
    "activeprompt-cheatsheet-prompt.md": ([20, 25, 35, 20], [None, 2, None, 2], 2, 99),
    "fewshot-cheatsheet-prompt.md": ([15, 20, 35, 15, 15], [None, None, None, 2, None], 2, 115),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_ratio_specs(name: str) -> None:
    percents, splits, widest, first_line = CORPUS[name]
    entries = _corpus_entries(name)
    assert [e.percent for e in entries] == percents
    assert [e.panels for e in entries] == splits
    assert [i for i, e in enumerate(entries) if e.widest] == [widest]
    assert entries[0].line == first_line


def test_codex_has_no_ratio_spec() -> None:
    assert _corpus_entries("how-openai-uses-codex-cheatsheet-prompt.md") == []


def test_four_column_table() -> None:
    text = ("| 영역 | 비율 | 내용 | 배치 |\n|---|---|---|---|\n| 상단 | 10% | 타이틀 | 전체 너비 |\n"
            "| 중앙 | 60% | 핵심 | **가장 넓게!** |\n| 하단 | 30% | A + B + C | **3등분** |")
    entries, diags = parse_ratio_spec(text, 5, "t")
    assert [(e.area, e.percent, e.panels, e.widest, e.line) for e in entries] == [
        ("상단", 10, 1, False, 7), ("중앙", 60, None, True, 8), ("하단", 30, 3, False, 9)]
    assert entries[2].content == "A + B + C" and not diags


def test_three_column_table_reads_the_split_from_content() -> None:
    text = "| 영역 | 비율 | 내용 |\n|--|--|--|\n| 상단 | 15% | 좌우 분할 - A / B |\n| 하단 | 85% | 3등분 - C / D / E |"
    entries, _ = parse_ratio_spec(text, 1, "t")
    assert [(e.percent, e.panels) for e in entries] == [(15, 2), (85, 3)]


@pytest.mark.parametrize("line", [
    "- 상단 (10%): 타이틀", "* 상단 (10%) : 타이틀", "1. 상단 (10%): 타이틀", "- **상단 (10%)**: 타이틀",
    "- 상단: 10% - 타이틀", "상단 (10%): 타이틀", "- 상단 （10%）: 타이틀",
])
def test_bullet_forms(line: str) -> None:
    entries, _ = parse_ratio_spec(f"**배치 비율**:\n{line}", 3, "t")
    assert [(e.area, e.percent, e.content, e.line) for e in entries] == [("상단", 10, "타이틀", 4)]


def test_out_of_range_percent_is_reported_and_defaulted() -> None:
    entries, diags = parse_ratio_spec("- 상단 (0%): 타이틀\n- 하단 (100%): 본문", 1, "t")
    assert [d.code for d in diags] == ["ratio-value"] and diags[0].line == 1
    rows, _ = apply_ratios([_row("title"), _row("panels", 2)], entries, "t")
    assert rows[0].ratio_spec is None and rows[1].ratio_spec == 100


def test_apply_matches_rows_and_marks_widest() -> None:
    entries, _ = parse_ratio_spec("- 상단 (10%): 타이틀\n- 중상단 (25%): A + B (좌우 분할)\n"
                                  "- 중앙 (40%): 핵심 (가장 넓게!)\n- 하단 (25%): 3등분", 1, "t")
    rows = [_row("title"), _row("panels", 2), _row("band"), _row("panels", 3)]
    out, diags = apply_ratios(rows, entries, "t")
    assert [r.ratio for r in out] == [10, 25, 40, 25]
    assert [r.ratio_spec for r in out] == [10, 25, 40, 25]
    assert [r.flags for r in out] == [[], [], ["widest"], []]
    assert not diags
    assert rows[2].flags == [] and rows[2].ratio == 0  # inputs are not mutated


def test_split_mismatch_warns_with_the_spec_line() -> None:
    entries, _ = parse_ratio_spec("- 상단 (20%): 타이틀\n- 하단 (80%): 3등분", 10, "t")
    _, diags = apply_ratios([_row("title"), _row("panels", 2, line=7)], entries, "t")
    assert [(d.code, d.line) for d in diags] == [("ratio-split-mismatch", 11)]
    assert "3" in diags[0].message and "2 panel" in diags[0].message


def test_row_count_mismatch_warns_and_fills_with_defaults() -> None:
    entries, _ = parse_ratio_spec("- 상단 (10%): 타이틀\n- 중앙 (60%): 핵심", 1, "t")
    out, diags = apply_ratios([_row("title"), _row("band"), _row("panels", 2)], entries, "t")
    assert [d.code for d in diags] == ["ratio-mismatch"]
    assert out[2].ratio_spec is None
    assert sum(r.ratio for r in out) == pytest.approx(100, abs=0.05)
    assert out[0].ratio == pytest.approx(10) and out[1].ratio == pytest.approx(60)


def test_sum_other_than_100_is_scaled_and_reported() -> None:
    entries, _ = parse_ratio_spec("- 상단 (10%): a\n- 중앙 (50%): b\n- 하단 (20%): c", 1, "t")
    out, diags = apply_ratios([_row("title"), _row("band"), _row("panels", 2)], entries, "t")
    assert [d.code for d in diags] == ["ratio-sum"]
    assert [r.ratio for r in out] == [12.5, 62.5, 25.0]


def test_defaults_without_a_spec_favour_the_focus_row() -> None:
    rows = [_row("title"), _row("panels", 2), _row("band", flags=["widest"]), _row("panels", 3)]
    out, diags = apply_ratios(rows, [], "t")
    assert not diags
    assert sum(r.ratio for r in out) == pytest.approx(100, abs=0.05)
    title, top, band, bottom = (r.ratio for r in out)
    assert title < top == bottom < band
    assert out[2].flags == ["widest"] and all(r.ratio_spec is None for r in out)
