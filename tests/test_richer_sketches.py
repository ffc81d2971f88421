"""A wireframe panel's short lines beside the content's fuller quotes, lists and tables: panels in, one
version out (the fuller, in the sketch's place), with any word only the sketch had kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.richer import prefer_richer
from nanosheet.ingest import read_prompt
from nanosheet.model import (
    Block,
    ChainBlock,
    Diagnostic,
    Item,
    ListBlock,
    Panel,
    QuoteBlock,
    Row,
    TableBlock,
    TextBlock,
)


def _settle(blocks: list[Block], extra: list[Block]) -> tuple[Panel, list[Diagnostic]]:
    panel = Panel(id="p1", title="KEY POINTS", blocks=blocks, extra=extra, line=7)
    warnings: list[Diagnostic] = []
    prefer_richer([Row(kind="panels", ratio=100, panels=[panel])], warnings, "x.md")
    return panel, warnings


def _quotes() -> list[Block]:
    return [QuoteBlock(text="tokens are atoms", attribution="토큰은 원자"),
            QuoteBlock(text="nudging the neural network", attribution="신경망을 살짝 조정하는 개념")]


def test_a_sketched_quote_and_its_gloss_give_way_to_the_fuller_quote() -> None:
    panel, warnings = _settle([QuoteBlock(text="nudging"), TextBlock(text="신경망 조정")], _quotes())
    assert [(b.type, getattr(b, "text", "")) for b in panel.blocks] == [("quote", "nudging the neural network")]
    assert [getattr(b, "text", "") for b in panel.extra] == ["tokens are atoms"]
    assert [w.code for w in warnings] == ["richer-version"] and warnings[0].line == 7


def test_a_gloss_the_fuller_quote_lacks_stays() -> None:
    panel, _ = _settle([QuoteBlock(text="nudging"), TextBlock(text="가중치 갱신")], _quotes())
    assert [getattr(b, "text", "") for b in panel.blocks] == ["nudging the neural network", "가중치 갱신"]


def test_a_quote_nothing_says_in_full_is_not_touched() -> None:
    panel, warnings = _settle([QuoteBlock(text="attention is all you need")], _quotes())
    assert [getattr(b, "text", "") for b in panel.blocks] == ["attention is all you need"]
    assert len(panel.extra) == 2 and not warnings


def _takeaways() -> ListBlock:
    return ListBlock(items=[Item(text="입력: 가변 길이 토큰 시퀀스", mark="check"),
                            Item(text="출력: 고정 크기 확률 분포", mark="check"),
                            Item(text="**CoT + Tool 자동 결합**: 추론과 도구 사용을 통합", mark="check")])


def test_sketched_takeaways_give_way_to_the_fuller_list_and_a_new_line_joins_it() -> None:
    sketch: list[Block] = [ChainBlock(steps=["가변입력", "고정출력"]), TextBlock(text="확률 최적화"),
              ListBlock(items=[Item(text="CoT + Tool 자동 결합", mark="check")])]
    panel, _ = _settle(sketch, [_takeaways()])
    assert panel.extra == []
    (merged,) = panel.blocks
    assert isinstance(merged, ListBlock)
    assert [(i.text, i.mark) for i in merged.items][-1] == ("확률 최적화", "check")
    assert len(merged.items) == 4


def test_a_wireframe_item_the_list_does_not_say_stays() -> None:
    sketch: list[Block] = [ListBlock(items=[Item(text="CoT + Tool 자동 결합"), Item(text="Human-in-the-loop 활용")])]
    panel, _ = _settle(sketch, [_takeaways()])
    kinds = [(b.type, [i.text for i in getattr(b, "items", [])]) for b in panel.blocks]
    assert kinds[1] == ("list", ["Human-in-the-loop 활용"]) and kinds[0][1][0].startswith("입력")


def test_sketched_bullets_give_way_to_the_table_that_explains_them() -> None:
    table = TableBlock(header=["장점", "설명"], rows=[["**Extensibility**", "도구 추가 가능"],
                                                   ["**Performance**", "Few-shot보다 우수"]])
    panel, _ = _settle([ListBlock(items=[Item(text="Extensibility"), Item(text="Performance")])], [table])
    assert [b.type for b in panel.blocks] == ["table"] and panel.extra == []


def test_a_placeholder_the_fuller_drawing_names_is_not_reported_as_left_visible() -> None:
    prompt = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts" / "art-cheatsheet-prompt.md"
    sheet = compose_sheet(read_prompt(prompt))
    workflow = next(p for r in sheet.rows for p in r.panels if p.title == "ART WORKFLOW")
    assert not any(b.type == "placeholder" for b in workflow.blocks)
    assert not any(w.code == "placeholder-unfilled" and "ART WORKFLOW" in w.message for w in sheet.warnings)


def _uncertainty() -> ListBlock:
    first = "**불확실성 기반 선택**: Disagreement로 annotation이 필요한 예시 식별"
    return ListBlock(items=[Item(text=first, mark="check"),
                            Item(text="**CoT 성능 개선**: 고정 예시 대비 성능 향상", mark="check"),
                            Item(text="**Tools are selected** from a library of tasks", mark="check")])


@pytest.mark.parametrize(("line", "kept"), [
    ("불확실성 측정으로 예시 선택", False),   # 3 of 4 words in the first item: the same point in other words
    ("Selecting tools from the Library", False),  # English: case and -s/-ing/-ed do not matter
    ("Human-in-the-loop 활용", True),         # nothing of it in any item
    ("CoT 방법의 한계 해결", True),            # one shared word (CoT) is a topic, not the point
    ("불확실성 측정, 성능 향상, 도구 선택", True),  # its words spread over items, most in none
])
def test_a_wireframe_item_an_item_says_in_other_words_goes(line: str, kept: bool) -> None:
    sketch: list[Block] = [ListBlock(items=[Item(text="CoT 성능 개선", mark="check"), Item(text=line, mark="check")])]
    panel, _ = _settle(sketch, [_uncertainty()])
    shown = [i.text for b in panel.blocks if isinstance(b, ListBlock) for i in b.items]
    assert shown[:3] == [i.text for i in _uncertainty().items]
    assert (line in shown) is kept and len(shown) == 3 + kept


def test_a_leftover_line_an_item_says_in_other_words_does_not_join_the_list() -> None:
    sketch: list[Block] = [ListBlock(items=[Item(text="CoT 성능 개선")]), TextBlock(text="불확실성 측정으로 예시 선택"),
                           TextBlock(text="확률 최적화")]
    panel, _ = _settle(sketch, [_uncertainty()])
    (merged,) = panel.blocks
    assert isinstance(merged, ListBlock)
    assert [i.text for i in merged.items][3:] == ["확률 최적화"]


@pytest.mark.parametrize(("own", "kept"), [(True, False), (False, True)])
def test_a_wireframe_item_the_panels_own_quote_says_goes_too(own: bool, kept: bool) -> None:
    """The panel's own quote is drawn for sure; a content quote still in the extras may be left out at the fit."""
    quote = QuoteBlock(text="Active-Prompt selects examples by uncertainty")
    line = "Uncertainty picks the examples"
    sketch: list[Block] = [ListBlock(items=[Item(text="CoT 성능 개선"), Item(text=line)])]
    panel, _ = _settle([*sketch, quote] if own else sketch, [_uncertainty()] if own else [_uncertainty(), quote])
    shown = [i.text for b in panel.blocks if isinstance(b, ListBlock) for i in b.items]
    assert (line in shown) is kept and len(shown) == 3 + kept


def test_a_sketched_list_that_keeps_most_of_its_items_leads_the_fuller_tail() -> None:
    lines = ("Pre-training 단계", "SFT 단계", "RL 단계", "도구로 사용하되 결과 검증")
    sketch = ListBlock(items=[Item(text=t) for t in lines])
    tail = ListBlock(items=[Item(text="**도구로 활용**: 결과물 검증 필수", mark="number", number="5")])
    panel, _ = _settle([sketch], [tail])
    assert [[i.text for i in b.items] for b in panel.blocks if isinstance(b, ListBlock)] == [
        ["Pre-training 단계", "SFT 단계", "RL 단계"], ["**도구로 활용**: 결과물 검증 필수"]]


def test_a_sketched_list_under_its_label_stays_with_it_and_the_fuller_table_follows() -> None:
    table = TableBlock(header=["Step", "출력"], rows=[["Step 1", "랜덤"], ["Step 420", "로컬 일관성"]])
    sketch: list[Block] = [TextBlock(text="매 업데이트마다:"),
                           ListBlock(items=[Item(text="1M 토큰 처리"), Item(text="로컬 일관성")])]
    panel, _ = _settle(sketch, [table])
    assert [b.type for b in panel.blocks] == ["text", "list", "table"]
    kept = panel.blocks[1]
    assert isinstance(kept, ListBlock) and [i.text for i in kept.items] == ["1M 토큰 처리"]
