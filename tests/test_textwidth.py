"""Display width per grapheme: a table of known widths, and wireframes drawn around VS16, ZWJ, keycap and
flag emoji whose box lines are measured with the independent rules in ``tests/widths.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.ingest.wireframe import draw_wireframe, parse_wireframe
from nanosheet.model import ChainBlock, Item, KeyValueBlock, ListBlock, Panel, Row, TextBlock
from nanosheet.textwidth import char_columns, display_width, index_at_column
from widths import reference_width

KNOWN = {
    "a": 1, "Loss": 4, "한": 2, "한글": 4, "e\u0301": 1, "\u0301": 0, "\t": 4,
    "❤": 1, "❤️": 2, "⚠️": 2, "🖥️": 2, "🎨": 2, "👨\u200d👩\u200d👧": 2, "🏳️\u200d🌈": 2, "👩\u200d💻": 2,
    "1️⃣": 2, "#️⃣": 2, "🇰🇷": 2, "🇯🇵": 2, "👍🏽": 2, "│": 1, "═": 1, "→": 1, "ｱ": 1, "가\u0301": 2,
}
"""Cells a terminal gives each; by hand from UAX #11 and emoji-data, not from any measuring code."""


@pytest.mark.parametrize(("text", "cells"), KNOWN.items(), ids=[repr(k) for k in KNOWN])
def test_known_widths(text: str, cells: int) -> None:
    assert display_width(text) == cells
    assert reference_width(text) == cells  # the test's own measure agrees on the same table


def test_columns_follow_graphemes() -> None:
    text = "❤️x👨\u200d👩\u200d👧y🇰🇷"
    assert char_columns(text) == [0, 0, 2, 3, 3, 3, 3, 3, 5, 6, 6]
    assert [index_at_column(text, c) for c in range(9)] == [0, 0, 2, 3, 3, 8, 9, 9, None]


# --------------------------------------------------------------------------- wireframes (hypothesis)

_ATOMS = [k for k, v in KNOWN.items() if v > 0 and k not in ("\t", "│", "═")]
_WORDS = ["model", "토큰", "GPU", "학습", "café", "e\u0301clair"]
word = st.one_of(st.sampled_from(_WORDS), st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=3).map("".join))
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)
block = st.one_of(
    phrase.map(lambda t: TextBlock(text=t)),
    st.lists(phrase, min_size=1, max_size=3).map(lambda xs: ListBlock(items=[Item(text=t) for t in xs])),
    st.lists(phrase, min_size=2, max_size=3).map(lambda xs: ChainBlock(steps=xs, direction="LR")),
    st.tuples(word, phrase).map(lambda kv: KeyValueBlock(key=kv[0], value=kv[1])),
)
icon = st.one_of(st.none(), st.sampled_from(["❤️", "👨\u200d👩\u200d👧", "1️⃣", "🇰🇷", "🏳️\u200d🌈", "👍🏽", "🖥️"]))


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    out = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        count = draw(st.integers(1, 3))
        panels = [Panel(id=f"r{number}p{k}", icon=draw(icon), title=draw(phrase),
                        blocks=draw(st.lists(block, max_size=3))) for k in range(1, count + 1)]
        kind = "panels" if count > 1 or draw(st.booleans()) else "band"
        out.append(Row(kind=kind, ratio=0, panels=panels, widths=[1.0] * count))
    return out


def _border_columns(line: str) -> list[int]:
    """Reference columns of the box-drawing characters on a line (text between them measured by the test)."""
    out, at, start = [], 0, 0
    for m in re.finditer(r"[│┌┐└┘├┤]", line):
        at += reference_width(line[start:m.start()])
        out.append(at)
        at += 1
        start = m.end()
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows(), st.sampled_from([71, 79]))
def test_drawn_boxes_are_straight_around_any_emoji(layout: list[Row], width: int) -> None:
    lines = draw_wireframe(layout, width).splitlines()
    assert {reference_width(line) for line in lines} == {reference_width(lines[0])}
    # Inside each row of the page, every panel border stands on the same columns on every line.
    rows_of_lines: list[list[str]] = [[]]
    for line in lines[1:-1]:
        if line.startswith("├"):
            rows_of_lines.append([])
        else:
            rows_of_lines[-1].append(line)
    for body in rows_of_lines:
        columns = [_border_columns(line) for line in body if set(line[1:-1].strip()) - set("─")]
        assert all(c[0] == 0 and c[-1] == c[0] + reference_width(lines[0]) - 1 for c in columns)
        boxed = [c for c in columns if len(c) > 2]
        assert len({len(c) for c in boxed}) <= 1
        assert len({tuple(c) for c in boxed}) <= 1, "\n".join(body)
    parsed, _ = parse_wireframe("\n".join(lines), 1, "gen.md")
    assert [len(r.panels) for r in parsed] == [len(r.panels) for r in layout]


_PROMPT = """# Role Definition
You draw one-page cheat sheets.

# Layout Structure
```
┌──────────────────────────────────────────────┐
│  ❤️ 가족 FAMILY 👨‍👩‍👧                              │
├──────────────────────────────────────────────┤
│  ┌───────────────────┐  ┌───────────────────┐│
│  │ 1️⃣ STEPS           │  │ 🇰🇷 KOREA          ││
│  │                   │  │                   ││
│  │ • 하나 ❤️ one      │  │ • café 🏳️‍🌈 e\u0301   ││
│  │ • #️⃣ two 👍🏽       │  │ • 서울 🇯🇵          ││
│  └───────────────────┘  └───────────────────┘│
└──────────────────────────────────────────────┘
```
"""


def test_prompt_command_draws_straight_boxes_around_emoji_sequences(tmp_path: Path) -> None:
    source, out = tmp_path / "emoji.md", tmp_path / "out.md"
    source.write_text(_PROMPT, encoding="utf-8")
    result = CliRunner().invoke(app, ["prompt", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = re.search(r"```\n(┌.*?┘)\n```", out.read_text(encoding="utf-8"), re.S)
    assert frame is not None
    lines = frame.group(1).split("\n")
    for emoji in ("❤️", "👨\u200d👩\u200d👧", "1️⃣", "#️⃣", "🇰🇷", "🏳️\u200d🌈", "👍🏽"):
        assert any(emoji in line for line in lines), emoji
    assert len({reference_width(line) for line in lines}) == 1, "\n".join(lines)
    panel_lines = [line for line in lines if line.count("│") >= 4]
    assert panel_lines and len({tuple(_border_columns(line)) for line in panel_lines}) == 1
