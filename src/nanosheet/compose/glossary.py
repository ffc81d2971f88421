"""A small bilingual glossary of the field (LLMs, ML, prompting): terms in, their other-language forms out.

Korean lecture notes keep English terms but also write them as loanwords (멀티모달) or translate them
(강화학습). Matching section titles to panels, and mind-map branches to source sentences, needs both
forms. No general dictionary maps technical English to Korean reliably offline, so this table is
hand-written on purpose and kept to the field's common words; loanwords not listed here are caught
by `romanised_match` instead.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# english (lower case) -> Korean forms
TERMS: dict[str, tuple[str, ...]] = {
    "multimodal": ("멀티모달", "다중 모달", "이미지", "오디오", "비디오"),
    "agent": ("에이전트",),
    "agents": ("에이전트",),
    "computer use": ("컴퓨터 사용", "키보드", "마우스"),
    "context": ("컨텍스트", "문맥"),
    "longer context": ("긴 컨텍스트", "컨텍스트 윈도우", "무한 컨텍스트"),
    "test-time training": ("테스트 타임", "추론 중 학습", "test time training"),
    "robotics": ("로봇공학", "로봇"),
    "research": ("연구",),
    "takeaways": ("핵심", "요점", "정리"),
    "key": ("핵심",),
    "summary": ("요약", "정리"),
    "overview": ("개요", "요약"),
    "comparison": ("비교", "vs"),
    "limitations": ("한계", "제한"),
    "limitation": ("한계", "제한"),
    "principles": ("원칙",),
    "design": ("설계", "디자인"),
    "example": ("예시", "예제"),
    "examples": ("예시", "예제"),
    "workflow": ("워크플로", "흐름", "단계"),
    "pipeline": ("파이프라인", "단계"),
    "training": ("학습", "훈련"),
    "inference": ("추론",),
    "pretraining": ("사전학습", "사전 학습"),
    "fine-tuning": ("미세조정", "파인튜닝"),
    "reinforcement learning": ("강화학습", "강화 학습"),
    "hallucination": ("환각",),
    "tokenization": ("토큰화",),
    "token": ("토큰",),
    "tokens": ("토큰",),
    "problem": ("문제",),
    "solution": ("해결", "해결책"),
    "best practices": ("모범 사례", "올바른 사용법", "권장"),
    "insight": ("통찰", "인사이트"),
    "quote": ("인용", "명언"),
    "terms": ("용어",),
    "definition": ("정의",),
    "cost": ("비용",),
    "table": ("표",),
    "mind map": ("마인드맵",),
    "flowchart": ("플로우차트", "흐름도"),
    "platform": ("플랫폼",),
    "model": ("모델",),
    "models": ("모델",),
    "local": ("로컬",),
    "cloud": ("클라우드",),
    "prompt": ("프롬프트",),
    "prompting": ("프롬프팅", "프롬프트"),
    "persona": ("페르소나",),
    "personas": ("페르소나",),
    "honesty": ("솔직함", "정직"),
    "metaphor": ("비유", "은유"),
    "metaphors": ("비유", "은유"),
    "keywords": ("키워드",),
    "series": ("시리즈",),
}

_KOREAN_TO_ENGLISH: dict[str, list[str]] = {}
for _en, _forms in TERMS.items():
    for _ko in _forms:
        _KOREAN_TO_ENGLISH.setdefault(_ko, []).append(_en)


def korean_forms(term: str) -> tuple[str, ...]:
    """Korean forms of an English term (whole phrase first, then its words)."""
    key = term.lower().strip()
    forms = list(TERMS.get(key, ()))
    for word in re.split(r"[\s/]+", key):
        forms.extend(f for f in TERMS.get(word, ()) if f not in forms)
    return tuple(forms)


def english_terms(text: str) -> list[str]:
    """English glossary terms whose Korean forms occur in text."""
    found: list[str] = []
    for ko, ens in _KOREAN_TO_ENGLISH.items():
        if re.search(r"[가-힣]", ko) and ko in text:
            found.extend(e for e in ens if e not in found)
    return found


# Revised Romanization, enough to compare loanwords with their English source (멀티모달 ~ multimodal).
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i"]
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
           "t", "ng", "t", "t", "k", "t", "p", "t"]


def romanise(text: str) -> str:
    """Hangul syllables to Latin letters by the Revised Romanization tables; other characters kept."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588] + _VOWELS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            out.append(char)
    return "".join(out)


def romanised_match(english: str, korean_word: str) -> float:
    """How much a Korean loanword sounds like an English word, 0..1 (consonant skeletons compared)."""
    def skeleton(s: str) -> str:
        s = s.lower().replace("ph", "p").replace("f", "p").replace("v", "b").replace("c", "k").replace("q", "k")
        s = s.replace("l", "r").replace("x", "ks").replace("z", "j").replace("th", "s")
        return re.sub(r"[^bdghjkmnprst]", "", s)

    a, b = skeleton(english), skeleton(romanise(korean_word))
    if len(a) < 3 or len(b) < 3:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()
