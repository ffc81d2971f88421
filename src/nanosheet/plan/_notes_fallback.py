"""Korean note style without a morphological analyser: sentences in, short nominal-ending notes out.

A stand-in with the same names as ``plan/korean.py`` (which uses kiwipiepy); the plan imports this only
when that module is missing. Rules are regular-expression ending swaps, so irregular verbs come out
approximately (``만듭니다`` → ``만듬``), never wrongly truncated.
"""

from __future__ import annotations

import re
from collections import Counter

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=[다요음함임됨])\.?\s+(?=[A-Z가-힣\"'“(\[])")
_FORMAL = re.compile(r"(니다|니까|세요|어요|아요|해요|이에요|예요|죠)[.!?…]?[\"'”)]*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]|[가-힣]{2,}|\d+(?:[.,]\d+)?%?")
_PARTICLES = re.compile(
    r"(으로서|으로써|에서는|에게서|이라는|라는|으로는|에서|에게|으로|부터|까지|처럼|보다|에는|이나|와는|과는|"
    r"이며|하고|라고|이라고|이란|란|은|는|이|가|을|를|의|에|와|과|로|도|만|나)$"
)
_CONNECTIVES = re.compile(r"(?<=[가-힣]),\s+|;\s+|(?<=[가-힣]) - ")
_FILLERS = re.compile(
    r"^(?:그래서|그리고|하지만|그러나|또한|즉|결국|사실|기본적으로|이제|여기서|특히|예를 들어|이 접근법을 통해|"
    r"이를 통해|다시 말해|물론|우선|먼저|마지막으로|따라서)\s*,?\s*"
)
_STOP = frozenset((  # noqa: SIM905
    "이것 그것 저것 우리 여러분 있는 있습니다 것입니다 합니다 하는 하고 이런 그런 하지만 "
    "그리고 또한 때문 경우 정도 대한 위해 통해 the and for with "
    "that this from are was you your not can will "
).split())

# (ending, replacement): longest first; the sentence's last word is rewritten once.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("살펴보겠습니다", "살펴봄"), ("하겠습니다", "할 것임"), ("겠습니다", "겠음"),
    ("이었습니다", "이었음"), ("였습니다", "였음"), ("했습니다", "했음"), ("었습니다", "었음"),
    ("았습니다", "았음"), ("있습니다", "있음"), ("없습니다", "없음"), ("습니다", "음"),
    ("합니다", "함"), ("됩니다", "됨"), ("입니다", "임"), ("집니다", "짐"), ("줍니다", "줌"),
    ("봅니다", "봄"), ("옵니다", "옴"), ("납니다", "남"), ("냅니다", "냄"), ("킵니다", "킴"),
    ("칩니다", "침"), ("립니다", "림"), ("깁니다", "김"), ("춥니다", "춤"), ("웁니다", "움"),
    ("해야 합니다", "해야 함"), ("것입니다", "것"), ("거예요", "것"), ("거죠", "것"), ("거거든요", "것"),
    ("거든요", "음"), ("했어요", "했음"), ("였어요", "였음"), ("었어요", "었음"), ("았어요", "았음"),
    ("봤어요", "봤음"), ("있어요", "있음"), ("없어요", "없음"), ("싶어요", "싶음"), ("같아요", "같음"),
    ("돼요", "됨"), ("워요", "움"), ("어요", "음"), ("아요", "음"), ("고요", "고"),
    ("하세요", "할 것"), ("세요", "기"), ("해요", "함"),
    ("이에요", "임"),
    ("예요", "임"), ("이죠", "임"), ("죠", "음"),
    ("한다", "함"), ("된다", "됨"), ("이다", "임"), ("했다", "했음"), ("였다", "였음"), ("었다", "었음"),
    ("았다", "았음"), ("있다", "있음"), ("없다", "없음"), ("진다", "짐"), ("준다", "줌"), ("낸다", "냄"),
    ("는다", "음"), ("킨다", "킴"), ("친다", "침"), ("린다", "림"), ("운다", "움"), ("본다", "봄"),
)


def sentences(text: str) -> list[str]:
    """Split prose into sentences (lines are kept apart; markdown markers are the caller's business)."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if s and s.strip())
    return out


def is_formal(sentence: str) -> bool:
    """True when the sentence ends in a formal or polite verb ending (-니다, -세요, -어요 …)."""
    return bool(_FORMAL.search(sentence.strip()))


def to_note(sentence: str) -> str:
    """A sentence as a cheat-sheet note: filler dropped, the final verb ending made nominal."""
    text = _FILLERS.sub("", sentence.strip())
    text = re.sub(r"\s+", " ", text)
    core = text.rstrip(".!?。 ")
    tail = text[len(core):].replace(".", "").strip()
    for ending, nominal in _ENDINGS:
        if core.endswith(ending):
            core = core[: -len(ending)] + nominal
            break
    else:
        core = _jamo_ending(core)
    return (core + tail.replace("?", "?").replace("!", "")).strip()


def _jamo_ending(core: str) -> str:
    """``…ㅂ니다`` on any stem: drop ``ㅂ니다``, put ``ㅁ`` under the stem's last syllable."""
    if core.endswith("니다") and len(core) >= 3:
        last = core[-3]
        code = ord(last) - 0xAC00
        if 0 <= code < 11172 and code % 28 == 17:  # ㅂ batchim
            return core[:-3] + chr(ord(last) - 17 + 16) # ㅁ batchim
    return core


def split_note(note: str, max_syllables: int = 40, max_words: int = 14) -> list[str]:
    """A long note as several bullets, cut at connectives; a piece still too long is shortened at a word."""
    if _fits(note, max_syllables, max_words):
        return [note]
    parts = [p.strip() for p in _CONNECTIVES.split(note) if p and p.strip()]
    out: list[str] = []
    for part in parts if len(parts) > 1 else [note]:
        out.append(part if _fits(part, max_syllables, max_words) else _shorten(part, max_syllables, max_words))
    return [p for p in out if p]


def _fits(text: str, max_syllables: int, max_words: int) -> bool:
    return len(re.findall(r"[가-힣]", text)) <= max_syllables and len(text.split()) <= max_words


def _shorten(text: str, max_syllables: int, max_words: int) -> str:
    words = text.split()
    kept: list[str] = []
    for word in words:
        if not _fits(" ".join([*kept, word]), max_syllables, max_words):
            break
        kept.append(word)
    return (" ".join(kept) or words[0]).rstrip(",;:") + "…"


def _tokens(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.replace("**", "")):
        stem = _PARTICLES.sub("", word) if re.match(r"[가-힣]", word) else word
        if len(stem) >= 2 and stem.lower() not in _STOP:
            out.append(stem)
    return out


def key_sentences(sentences: list[str], k: int) -> list[int]:
    """Indices (document order) of the ``k`` sentences whose words the text repeats most."""
    counts = Counter(t.lower() for s in sentences for t in set(_tokens(s)))
    scored = []
    for i, s in enumerate(sentences):
        toks = {t.lower() for t in _tokens(s)}
        score = sum(counts[t] - 1 for t in toks) / (1 + len(toks)) ** 0.5
        scored.append((score, -i))
    best = sorted(range(len(sentences)), key=lambda i: scored[i], reverse=True)[:k]
    return sorted(best)


def keywords(text: str, k: int) -> list[str]:
    """The ``k`` most repeated content words (English terms keep their case)."""
    counts = Counter(_tokens(text))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def notes_from_text(text: str, max_notes: int, max_words: int = 14) -> list[str]:
    """The key sentences of a passage, each as one or more notes, at most ``max_notes`` in all."""
    sents = sentences(text)
    notes: list[str] = []
    for index in key_sentences(sents, max_notes):
        notes.extend(split_note(to_note(sents[index]), max_words=max_words))
    return notes[:max_notes]
