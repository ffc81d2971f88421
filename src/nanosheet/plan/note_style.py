"""One Korean sentence in, one cheat-sheet note out: the polite final ending turned nominal (설명합니다 -> 설명함).

Only the predicate at the end is rebuilt, from Kiwi's morphemes (the final ending ``EF`` dropped, the
nominal ending ``ETN`` ㅁ/음 added, Kiwi's ``join`` choosing the allomorph and contraction: 만들+음 ->
만듦, 돕+음 -> 도움); every character before it is kept as written, so English terms, numbers, code
spans and quotes come through untouched.
"""

from __future__ import annotations

import re

from nanosheet.plan.morph import Morph, join, morphs

_FORMAL = re.compile(r"(니다|니까|세요|어요|아요|해요|이에요|예요|에요|죠|지요|까요|가요|나요|데요|네요|군요|시오|ᆸ시다)"
                     r"[\s.!?…~'\"”’)\]]*$")
_PREDICATE = {"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "EP", "VV-I", "VV-R", "VA-I", "VA-R", "VX-I", "VX-R",
              "XSA-I", "XSA-R", "XSV-I", "XSV-R"}
"""Morphemes a predicate is built of: its stem(s), the 하/되 that makes a noun a verb, pre-final endings."""
_TRAILING = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB", "W_EMOJI"}
"""Punctuation and symbols that may follow the final ending."""
_IMPERATIVE = {"세요", "으세요", "ᆸ시오", "으십시오", "십시오", "시오", "ᆸ시다", "읍시다", "어라", "아라", "으라", "라"}
_QUESTION = {"ᆸ니까", "습니까", "니까", "ᆯ까요", "을까요", "까요", "나요", "가요", "ᆫ가요", "은가요", "ᆯ까", "나", "ᆫ가",
             "은가", "는가", "을까"}
_POLITE_FORMS = {"ᆸ니다", "습니다", "세요", "으세요", "ᆸ니까", "습니까", "어요", "아요", "에요", "예요"}
_RESPELL = {("거", "NNB"): ("것", "NNB"), ("갖", "VV"): ("가지", "VV"), ("그렇", "VA-I"): ("그러하", "VA")}
"""Spoken short forms spelled out before the nominal ending (겁니다 -> 것임, 갖습니다 -> 가짐, 그렇습니다 -> 그러함)."""
_DROP_EP = {"시", "으시", "겠"}
"""Honorific 시 and the tentative 겠 carry no content in a note (하셨습니다 -> 했음, 좋겠습니다 -> 좋음)."""
_NOMINAL = {"NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XSN", "XPN", "XR", "JKG", "JC", "SSO", "SSC", "SO", "SW",
            "SP", "MM"}
"""Morphemes a short noun phrase may hold, for the ``X는 Y입니다 -> X = Y`` rewrite."""
_LOOK_VERBS = {"살펴보", "알아보", "둘러보"}
"""``X를 살펴보겠습니다`` announces a topic; the note keeps the topic alone."""
_FILLER = re.compile(r"^(?:\[\d{1,2}(?::\d{2}){1,2}\]\s*(?:[-–—]\s*)?|그래서|즉|또한|사실|기본적으로|"
                     r"예를 들어|예를 들면|이 접근법을 통해|이를 통해|다시 말해|물론|참고로|이제|따라서|그러므로)"
                     r"(?:,\s*|\s+)")
"""Discourse words that open a sentence and tie it to the one before (a note stands alone), and the
``[2:01:30]`` time stamps of a transcript."""
_HEDGE = re.compile(r"(?<=\s)기본적으로,?\s+")
"""A hedge inside a sentence (에이전트는 기본적으로 쿼리에 답함): it says nothing a note needs."""
_OPENERS = {")": "(", "]": "[", "”": "“", "’": "‘", '"': '"', "'": "'", ":": ""}
"""Closing marks kept after the ending when the sentence opened them; a colon (it introduces what follows)."""
_QUOTED_SENTENCE = re.compile(r'^(?P<pre>[^"“”]*?)["“](?P<body>[^"“”]+?[.!?])["”]\s*[—–-]*\s*$')
"""A quotation that is the whole sentence, perhaps after a label and before an attribution dash."""
_POLITE_CONNECTIVE = re.compile(r"(어서|아서|해서|고|면서|니까|는데|지만|려고|도록)요([.!?…~]*)$")
"""A connective ending made polite by 요 (포함해서요, 알고 있고요): the 요 goes and the connective stays."""


def is_formal(sentence: str) -> bool:
    """True when ``sentence`` ends in a polite/formal final ending (니다, 세요, 어요…), trailing punctuation aside."""
    return bool(_FORMAL.search(sentence.strip()))


def to_note(sentence: str) -> str:
    """One sentence -> one note: nominal ending, fillers dropped, ``X는 Y입니다`` as ``X = Y``, no final period."""
    text = _unquote(sentence.strip())
    text = _POLITE_CONNECTIVE.sub(r"\1\2", _drop_fillers(text))
    if not text:
        return _bare(sentence)
    note = _equation(text) or _possible(text) or _nominalise(text)
    return note or _bare(sentence)


def _bare(text: str) -> str:
    """``text`` without trailing spaces and full stops (a note has no final period)."""
    return re.sub(r"[\s.。]+$", "", text.strip())


def _unquote(text: str) -> str:
    """A sentence that is wholly a quotation (``"… 수 있습니다."``) is the note itself: take its quote marks off.

    A quotation of several sentences reaches us in pieces: an unmatched opening or closing mark goes too."""
    m = _QUOTED_SENTENCE.match(text)
    if m:
        return m.group("pre") + m.group("body")
    straight = text.count('"')
    if text.startswith(('"', "“")) and (straight % 2 == 1 or text.count("“") > text.count("”")):
        return text[1:]
    if text.endswith(('"', "”")) and (straight % 2 == 1 or text.count("”") > text.count("“")):
        return text[:-1]
    return text


def _drop_fillers(text: str) -> str:
    """Leading discourse words (그래서, 즉, 예를 들어…) and the hedge 기본적으로 anywhere go; the rest stays."""
    while (m := _FILLER.match(text)) and text[m.end():].strip():
        if m.group().rstrip(", ") == "사실" and "," not in m.group() and _opens_with_noun(text[m.end():]):
            break  # 사실 검색은 …: a compound noun (fact retrieval), not the adverb "actually"
        text = text[m.end():]
    text = _HEDGE.sub("", text).strip() or text
    return text


def _opens_with_noun(text: str) -> bool:
    """True when ``text`` starts with a common or proper noun."""
    ms = morphs(text)
    return bool(ms) and ms[0].tag in ("NNG", "NNP")


def _final_ending(ms: tuple[Morph, ...]) -> tuple[int, bool] | None:
    """Index of the ending the note rebuilds, and whether only punctuation follows it.

    That is the final ending of the sentence, or failing one, the last final ending followed by a
    colon or a bracket (``요청합니다: 파일 쓰기, …``, ``공유할 수 있습니다(권장).``)."""
    for i in range(len(ms) - 1, -1, -1):
        if _is_final(ms[i]):
            return i, True
        if ms[i].tag not in _TRAILING and (ms[i].form, ms[i].tag) != ("요", "JX"):  # 무엇인가요: ᆫ가 + 요
            break
    for i in range(len(ms) - 2, -1, -1):
        if _is_final(ms[i]):
            after = ms[i + 1]
            if after.start == ms[i].end and (after.form == ":" or after.tag == "SSO"):
                return i, False
            return None
    return None


def _is_final(m: Morph) -> bool:
    """A final ending; Kiwi tags a formal one before a colon as connective (요청합니다: …), so those count too."""
    return m.tag == "EF" or (m.tag == "EC" and m.form in _POLITE_FORMS)


def _chain_start(ms: tuple[Morph, ...], end: int) -> int:
    """First morpheme of the predicate that ends before ``ms[end]``: stems, 하/되, pre-final endings of the
    last word, plus any morpheme whose surface shares a syllable with them (될 겁니다: 거+이+ᆸ니다)."""
    i = end
    while i > 0:
        prev, cur = ms[i - 1], ms[i]
        if prev.end > cur.start or (prev.tag in _PREDICATE and prev.end == cur.start):
            i -= 1
        else:
            break
    return i


def _stem(ms: tuple[Morph, ...], start: int, end: int) -> list[tuple[str, str]]:
    """The predicate's morphemes ``ms[start:end]`` without what a note leaves out (시, 겠), 거 spelled 것."""
    out = []
    for m in ms[start:end]:
        if m.tag == "EP" and m.form in _DROP_EP:
            continue
        out.append(_RESPELL.get((m.form, m.tag), (m.form, m.tag)))
    return out


def _nominalise(text: str) -> str:
    """Rebuild the final predicate with a nominal ending; text without a final ending only loses its period."""
    ms = morphs(text)
    found = _final_ending(ms)
    if found is None:
        return _bare(_without_polite_particle(text, ms))
    ef, terminal = found
    final = ms[ef]
    start = _chain_start(ms, ef)
    chain = _stem(ms, start, ef)
    question = final.form in _QUESTION or "?" in text[final.end:]
    imperative = final.form in _IMPERATIVE and not question  # 좋다고 생각하세요? asks, it does not tell
    if [f for f, _ in chain] == ["바라"] and start > 0 and ms[start - 1].form == "기" and ms[start - 1].tag == "ETN":
        # 찾아보시기 바랍니다 is a polite imperative: 찾아볼 것.
        start = _chain_start(ms, start - 1)
        chain, imperative = _stem(ms, start, _index_of_gi(ms, start)), True
    head = text[:ms[start].start]
    tail = text[final.end:]
    if any(m.tag == "EP" and m.form == "겠" for m in ms[start:ef]) and chain and chain[0][0] in _LOOK_VERBS:
        topic = re.sub(r"(을|를)\s*$", "", head.rstrip())
        if topic.strip():
            return _bare(topic)
    if not chain:  # 요 after a particle (전까지는요): the ending just goes
        body = head.rstrip()
    elif imperative:
        body = head + join([*chain, ("ᆯ", "ETM")]) + " 것"
    else:
        body = head + _as_written(text[ms[start].start:], join([*chain, ("음", "ETN")]))
    if not terminal:
        return _bare(body + tail)
    return _bare(body + _closing(head, tail)) + ("?" if question else "")


def _without_polite_particle(text: str, ms: tuple[Morph, ...]) -> str:
    """``1단계에서요`` -> ``1단계에서``: the polite particle 요 closing a fragment goes."""
    content = [m for m in ms if m.tag not in _TRAILING]
    if content and (content[-1].form, content[-1].tag) == ("요", "JX") and len(content) > 1:
        return text[:content[-1].start]
    return text


def _as_written(surface: str, rebuilt: str) -> str:
    """Keep the copula's past contracted when the text wrote it so (도구였습니다, GPU였습니다 -> …였음):
    Kiwi joins the predicate alone, without the syllable before it, and spells it out as 이었."""
    if rebuilt.startswith("이었") and surface.startswith("였"):
        return "였" + rebuilt[2:]
    return rebuilt


def _index_of_gi(ms: tuple[Morph, ...], start: int) -> int:
    """Index of the nominal ending 기 at or after ``start``."""
    return next(i for i in range(start, len(ms)) if ms[i].form == "기" and ms[i].tag == "ETN")


def _closing(head: str, tail: str) -> str:
    """Brackets and quotes after the ending that close one opened earlier in the sentence; stops and ``!`` go."""
    kept = ""
    for ch in tail:
        opener = _OPENERS.get(ch)
        if opener is None:
            continue
        if not opener:
            kept += ch
            continue
        before = head + kept
        still_open = before.count(ch) % 2 == 1 if opener == ch else before.count(opener) > before.count(ch)
        if still_open:
            kept += ch
    return kept


def _possible(text: str) -> str | None:
    """``X를 전달할 수 있습니다`` -> ``X를 전달 가능`` (없습니다 -> 불가): a verbal noun keeps the meaning in
    two syllables. Only for a verbal noun of two syllables or more + 하 (말할 수 있음 stays: 말 가능 is not
    Korean) and not after an adverb (잘 실행할 수 없음 stays)."""
    ms = morphs(text)
    found = _final_ending(ms)
    if found is None or not found[1] or found[0] < 5:
        return None
    ef = found[0]
    noun, ha, etm, su, exist = ms[ef - 5:ef]
    verbal_noun = noun.tag == "XSN" or (noun.tag == "NNG" and noun.end - noun.start >= 2)  # 최적+화, 전달
    if not (verbal_noun and (ha.form, ha.tag) == ("하", "XSV") and etm.form == "ᆯ" and (su.form, su.tag) == ("수", "NNB")
            and exist.form in ("있", "없") and ms[ef].form in _POLITE_FORMS):
        return None
    word = ef - 5
    while word > 0 and ms[word - 1].end == ms[word].start:
        word -= 1
    if word > 0 and ms[word - 1].tag == "MAG":
        return None
    head = text[:noun.end]
    return _bare(head + (" 가능" if exist.form == "있" else " 불가") + _closing(head, text[ms[ef].end:]))


def _equation(text: str) -> str | None:
    """``X는 Y입니다`` with short noun phrases X and Y -> ``X = Y`` (a definition reads best as one)."""
    ms = morphs(text)
    found = _final_ending(ms)
    if found is None or not found[1]:
        return None
    ef = found[0]
    if ef < 3 or ms[ef - 1].tag != "VCP" or ms[ef].form in _QUESTION | _IMPERATIVE:
        return None
    topic = [i for i, m in enumerate(ms[:ef]) if m.tag == "JX"]
    if len(topic) != 1 or ms[topic[0]].form not in ("은", "는"):
        return None
    left, right = ms[:topic[0]], ms[topic[0] + 1:ef - 1]
    if not left or not right or any(m.tag == "NP" for m in left):
        return None
    if not all(m.tag in _NOMINAL for m in (*left, *right)):
        return None
    x = text[:left[-1].end].strip()
    y = text[right[0].start:right[-1].end].strip()
    if len(x.split()) > 3 or len(y.split()) > 4 or not x or not y:
        return None
    return f"{x} = {y}"


_EXACT_ENDINGS = (("있습니다", "있음"), ("없습니다", "없음"), ("같습니다", "같음"), ("했습니다", "했음"),
                  ("됐습니다", "됐음"), ("었습니다", "었음"), ("았습니다", "았음"), ("였습니다", "였음"),
                  ("합니다", "함"), ("됩니다", "됨"), ("입니다", "임"))
"""Formal endings whose nominal form needs no dictionary: 하다/되다/이다 and the regular 있/없/같 and past
stems. Other ``ㅂ니다`` endings can hide an irregular stem (만듭니다 → 만듦, 쉽습니다 → 쉬움) only Kiwi knows."""


def quick_note(sentence: str) -> str | None:
    """The note form of ``sentence`` without loading Kiwi (3.6 CPU-s and 0.5 GB — more than a whole prompt's
    render), for text a prompt's sheet only shows as filler: the sentence itself when it is not formal, the
    exact nominal ending for the endings above, else None (the caller leaves the sentence out)."""
    text = sentence.strip()
    while (m := _FILLER.match(text)) and m.group().rstrip(", ") != "사실" and text[m.end():].strip():
        text = text[m.end():]  # 사실 may open a compound noun; telling needs Kiwi, so it stays
    text = text.rstrip(" .")
    if not text or not is_formal(text):
        return text or None
    for formal, nominal in _EXACT_ENDINGS:
        if text.endswith(formal):
            return text[: -len(formal)] + nominal
    return None
