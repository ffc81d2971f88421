"""The Korean note engine: fixture sentences in, exact notes out; properties over the 15 example chapters."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanosheet.ingest import choose_hangul
from nanosheet.plan import morph
from nanosheet.plan.korean import (
    is_boilerplate,
    is_formal,
    key_sentences,
    keywords,
    notes_from_text,
    sentences,
    split_note,
    to_note,
)
from nanosheet.plan.morph import hangul_syllables, morphs

CHAPTERS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"
FIXTURE = Path(__file__).parent / "fixtures" / "note_style.tsv"
ENGLISH = re.compile(r"[A-Za-z]{2,}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
TIME_STAMP = re.compile(r"^\[\d{1,2}(?::\d{2}){1,2}\]")
SLOW = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def _fixture_rows() -> list[tuple[str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, note = line.split("\t")
            rows.append((sentence, note))
    return rows


@cache
def _chapter_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CHAPTERS.glob("*.md"))}


@cache
def _chapter_sentences() -> tuple[str, ...]:
    return tuple(s for text in _chapter_texts().values() for s in sentences(text))


def test_fixture_covers_the_endings_asked_for() -> None:
    rows = _fixture_rows()
    assert len(rows) >= 60
    corpus = set(_chapter_sentences())
    assert all(sentence in corpus for sentence, _ in rows), "fixture sentences come from the chapters"
    endings = ["합니다", "입니다", "습니다", "됩니다", "했습니다", "있습니다", "없습니다", "아닙니다", "수 있습니다",
               "해야 합니다", "하세요", "듭니다", "돕습니다", "겁니다", "줍니다", "릅니다", "요", "?"]
    for ending in endings:
        assert any(ending in s for s, _ in rows), ending
    assert any(s == n for s, n in rows), "notes already in note style come back unchanged"
    assert any(" = " in n for _, n in rows) and any('"' in s for s, _ in rows)


@pytest.mark.parametrize(("sentence", "note"), _fixture_rows())
def test_to_note_matches_the_fixture(sentence: str, note: str) -> None:
    assert to_note(sentence) == note


def test_no_note_of_any_chapter_sentence_is_formal_and_terms_survive() -> None:
    failures = []
    for sentence in _chapter_sentences():
        note = to_note(sentence)
        if not note or is_formal(note):
            failures.append((sentence, note))
        source = TIME_STAMP.sub("", sentence)  # a transcript's [2:01:30] stamp is dropped on purpose
        for word in ENGLISH.findall(source) + NUMBER.findall(source):
            if word not in note:
                failures.append((sentence, note))
    assert not failures, failures[:5]
    assert len(_chapter_sentences()) > 1000


def test_time_stamps_and_fillers_go_content_stays() -> None:
    assert to_note("[2:01:30] 그 이유는 모델이 문자를 보지 않고 토큰을 보기 때문입니다.") == \
        "그 이유는 모델이 문자를 보지 않고 토큰을 보기 때문임"
    assert to_note("그래서 즉, 이 방법이 더 빠릅니다.") == "이 방법이 더 빠름"
    assert to_note("에이전트는 기본적으로 쿼리에 답하거나 명령어를 실행합니다.") == \
        "에이전트는 쿼리에 답하거나 명령어를 실행함"
    assert to_note("사실 이 부분이 더 중요합니다.") == "이 부분이 더 중요함"
    assert to_note("사실 검색은 모델이 잘하는 작업입니다.") == "사실 검색은 모델이 잘하는 작업임"  # a noun here
    assert to_note("예를 들어") == "예를 들어"  # nothing after the filler: the sentence is kept
    assert to_note("이제 MCP의 구조를 살펴보겠습니다.") == "MCP의 구조"


def test_the_copula_past_stays_as_written() -> None:
    assert to_note("정확히 무엇이 일어나는가였습니다.") == "정확히 무엇이 일어나는가였음"
    assert to_note("그것은 GPU였습니다.") == "그것은 GPU였음"
    assert to_note("GPT-2는 트랜스포머 신경망이었습니다.") == "GPT-2는 트랜스포머 신경망이었음"


def test_can_and_cannot_shrink_to_possible_and_impossible_after_a_verbal_noun() -> None:
    assert to_note("이 방법으로는 전체 파일을 검색할 수 없습니다.") == "이 방법으로는 전체 파일을 검색 불가"
    assert to_note("환경 튜닝으로 최적화할 수 있습니다.") == "환경 튜닝으로 최적화 가능"
    assert to_note("로그를 디버그하라고 말할 수 있습니다.") == "로그를 디버그하라고 말할 수 있음"  # 말 가능: no
    assert to_note("기능을 만들 수 있습니다.") == "기능을 만들 수 있음"  # no verbal noun


_NOUNS = ["도구", "서버", "모델", "토큰", "코드", "테스트", "컨텍스트", "파일"]
_ENDINGS = ["합니다", "했습니다", "할 수 있습니다", "해야 합니다", "하세요", "하십시오", "해요", "했어요", "합니까?",
            "하시나요?", "하겠습니다", "하셨습니다", "해 주세요", "하시기 바랍니다"]
_VERBS = ["설명", "연결", "생성", "확인", "실행", "검증"]


@SLOW
@given(st.sampled_from(_NOUNS), st.sampled_from(["MCP", "API", "JSON", "Claude Code", "GPU"]),
       st.integers(min_value=1, max_value=99_999), st.sampled_from(_VERBS), st.sampled_from(_ENDINGS))
def test_made_up_sentences_lose_their_formal_ending_and_keep_terms(
        noun: str, term: str, number: int, verb: str, ending: str) -> None:
    sentence = f"{term}는 {number}개의 {noun}를 {verb}{ending}"
    note = to_note(sentence)
    assert not is_formal(note), note
    assert term in note and str(number) in note and noun in note
    assert not note.endswith(".")


@cache
def _long_notes() -> tuple[str, ...]:
    notes = (to_note(s) for s in _chapter_sentences())
    return tuple(n for n in notes if len(n.split()) > 8)


def _content_words(text: str) -> list[str]:
    return [text[m.start:m.end] for m in morphs(text) if m.tag in ("NNG", "NNP", "SL", "SN")]


@SLOW
@given(st.data(), st.integers(min_value=12, max_value=60), st.integers(min_value=5, max_value=20))
def test_split_note_respects_limits_and_keeps_content(data: st.DataObject, max_syllables: int, max_words: int) -> None:
    note = data.draw(st.sampled_from(_long_notes()))
    pieces = split_note(note, max_syllables=max_syllables, max_words=max_words)
    assert pieces and all(pieces)
    for piece in pieces:
        one_word = len(piece.split()) == 1
        assert one_word or (hangul_syllables(piece) <= max_syllables and len(piece.split()) <= max_words), piece
    joined = " ".join(pieces)
    for word in _content_words(note):
        assert word in joined, (word, note, pieces)
    assert not any(morphs(p)[0].tag.startswith("J") for p in pieces), pieces  # no piece opens with a particle


def test_split_note_cuts_at_a_connective_and_makes_the_left_piece_nominal() -> None:
    note = "이 컨텍스트 수집은 시간과 토큰을 소비하지만, 환경 튜닝으로 최적화 가능"
    assert split_note(note, max_syllables=20) == ["이 컨텍스트 수집은 시간과 토큰을 소비함",
                                                  "하지만 환경 튜닝으로 최적화 가능"]
    assert split_note("짧은 노트임") == ["짧은 노트임"]
    assert split_note("") == []


def test_split_note_keeps_clauses_that_belong_to_one_noun_together() -> None:
    relative = "MCP는 에이전트가 CRM에서 데이터를 수집하고, 이메일을 보내고, 데이터베이스 기록을 남기는 작업을 연결함"
    assert not any(p.endswith(("수집함", "보냄")) for p in split_note(relative)), "the 고 clauses describe 작업"
    adjectives = "개발자가 더 통합적이고 자율적이며 확장 가능한 솔루션을 만들 수 있게 함"
    assert not any(p.endswith("통합적임") for p in split_note(adjectives, max_syllables=20))
    quoted = '공통 프로토콜로 팀은 "더 통합적이고 자율적이며 확장하기 쉬운 AI 시스템"을 구축 가능'
    assert all(p.count('"') % 2 == 0 for p in split_note(quoted, max_syllables=25)), "no piece leaves a quote open"


def test_key_sentences_pick_the_shared_topic_in_document_order() -> None:
    text = ["MCP 서버는 도구를 노출함", "점심 메뉴는 김치찌개임", "MCP 클라이언트는 서버의 도구를 호출함",
            "MCP 서버와 클라이언트는 JSON 메시지로 도구 호출을 주고받음", "날씨가 맑음"]
    picked = key_sentences(text, 2)
    assert picked == sorted(picked) and len(picked) == 2
    assert set(picked) <= {0, 2, 3} and 3 in picked
    assert key_sentences(text, 0) == [] and key_sentences([], 3) == []
    same = ["같은 문장의 토큰", "같은 문장의 토큰", "같은 문장의 토큰"]
    assert key_sentences(same, 2) == [0, 1], "ties go to the earlier sentence"
    assert key_sentences(text, 2) == picked, "deterministic"


def test_keywords_name_the_chapter_topic() -> None:
    texts = _chapter_texts()
    assert "MCP" in keywords(texts["mcp-introduction.md"], 3)
    assert "컨텍스트" in keywords(texts["how-contexts-fail.md"], 3)
    terms = keywords(texts["observability-basics.md"], 10)
    assert len(terms) == 10 == len(set(terms)) and "스팬" in terms[:3]
    assert keywords("", 5) == []
    assert "Few-shot" in keywords(texts["fewshot.md"], 3), "a hyphenated term stays one term"
    assert "Claude Code" in keywords(texts["claude-code-best-practices.md"], 3), "so does a two-word name"
    assert "GPT-2" in keywords(texts["gpt2-training-inference.md"], 8)


def test_sentences_drop_markup_and_keep_code_spans() -> None:
    text = ("---\ntitle: x\n---\n# 제목\n\n[원본 링크](https://example.com)\n\n"
            "**`CLAUDE.md`** 파일은 [문서](https://x.io)에 *자동으로* 포함됩니다. `os.path.join()`을 쓰세요.\n\n"
            "```python\nprint('코드는 문장이 아님')\n```\n\n- 목록 항목 하나\n- 목록 항목 둘\n")
    assert sentences(text) == ["`CLAUDE.md` 파일은 문서에 자동으로 포함됩니다.", "`os.path.join()`을 쓰세요.",
                               "목록 항목 하나", "목록 항목 둘"]


def test_notes_of_every_chapter_are_short_informal_and_in_order() -> None:
    formal = total = 0
    for name, text in _chapter_texts().items():
        notes = notes_from_text(text, 12)
        assert 1 <= len(notes) <= 12, name
        assert len(set(notes)) == len(notes), name
        assert all(len(n.split()) <= 14 for n in notes), name
        assert not any("http" in n or "바로가기" in n for n in notes), name
        formal += sum(is_formal(n) for n in notes)
        total += len(notes)
    assert formal <= 0.05 * total


def test_notes_come_in_document_order_without_boilerplate_or_repeats() -> None:
    text = ("[영상 바로가기](https://youtu.be/x)\n\n"
            "날씨 이야기는 잠깐 접어 두겠습니다. MCP 서버는 도구와 리소스를 클라이언트에 노출합니다.\n\n"
            "MCP 클라이언트는 서버의 도구 목록을 요청하고 도구를 호출합니다. "
            "자세한 내용은 https://example.com 을 참고하세요.\n\n"
            "MCP 서버와 클라이언트는 JSON-RPC 메시지로 도구 호출을 주고받습니다.\n\n"
            "요약: MCP 서버는 도구와 리소스를 클라이언트에 노출합니다.")
    notes = notes_from_text(text, 3)
    assert notes == ["MCP 서버는 도구와 리소스를 클라이언트에 노출함",
                     "MCP 클라이언트는 서버의 도구 목록을 요청하고 도구를 호출함",
                     "MCP 서버와 클라이언트는 JSON-RPC 메시지로 도구 호출을 주고받음"]


@pytest.mark.parametrize(("sentence", "boilerplate"), [
    ("게시일: 2025년 4월 18일", True), ("[영상 바로가기]", True), ("구독과 좋아요 부탁드립니다", True),
    ("자세한 내용은 https://x.io 를 참고하세요", True), ("구체적인 단계는 다음과 같습니다:", True),
    ("Codex는 성능 이슈를 빠르게 발견하는 데 정말 좋아요.", False), ("번역 품질을 높이려면 용어집을 씁니다.", False),
])
def test_boilerplate_is_navigation_and_announcements_not_topic_words(sentence: str, boilerplate: bool) -> None:
    assert is_boilerplate(sentence) is boilerplate


@pytest.mark.parametrize(("sentence", "formal"), [
    ("설명합니다.", True), ("무엇입니까?", True), ("확인하세요!", True), ("좋아요.", True), ("표준이에요", True),
    ('"있습니다."', True), ("설명함", False), ("개방형 표준", False), ("필요", False), ("할 것", False),
])
def test_is_formal_reads_the_final_ending(sentence: str, formal: bool) -> None:
    assert is_formal(sentence) is formal


def test_kiwi_is_loaded_once_and_shared_with_hangul_repair() -> None:
    assert morph.kiwi() is morph.kiwi()
    assert choose_hangul._kiwi() is morph.kiwi()
