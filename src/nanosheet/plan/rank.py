"""Sentences in, their centrality out (TextRank over Kiwi nouns); text in, its key terms out.

TextRank (Mihalcea & Tarau 2004) links two sentences by the nouns they share, normalised by their
lengths, and ranks them by PageRank over that graph: the sentences most others echo are the chapter's
core. A chapter has a few hundred sentences, so the power iteration is a few milliseconds in plain
Python and needs no numpy. ``krwordrank``/``textrankr`` on PyPI do the same with extra dependencies and
their own tokenisers; reusing the Kiwi analysis the notes already need keeps one analyser and one cache.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter

from nanosheet.plan.morph import Morph, hangul_syllables, is_noun, morphs

DAMPING = 0.85
"""PageRank's usual damping: the chance a reader follows a link rather than jumping anywhere."""
_ITERATIONS = 100
_TOLERANCE = 1e-7
"""Stop when the ranks move less than this in total: far below the gaps that decide an order."""
STOP_NOUNS = frozenset({
    "것", "수", "등", "때", "경우", "방법", "부분", "다음", "예", "예시", "정도", "위", "아래", "중", "내", "후", "전",
    "이것", "그것", "자신", "여러분", "저희", "우리", "가지", "번", "개", "때문", "통해", "위해", "대한", "관련",
    "이상", "이하", "모든", "각", "점", "측면", "the", "and", "or", "of", "to", "a", "an", "in", "for", "is", "on",
    "with"})
"""Nouns too generic to tie two sentences together or to name a topic."""


_TERM_PARTS = {"NNG", "NNP", "XR", "XSN", "XPN", "SL", "SN", "SO"}
"""Morphemes that glue into one written term; SO is the hyphen of Few-shot or GPT-2."""
_STOP_TERMS = frozenset({"사용", "가능", "필요", "제공", "기본", "다양"})
"""Verbal nouns too common to name a topic (사용하다, 가능하다), though they link sentences well enough."""


def nouns(sentence: str) -> list[str]:
    """The nouns and English words of ``sentence`` in order (English lower-cased), generic ones left out."""
    out = []
    for m in morphs(sentence):
        if not is_noun(m.tag):
            continue
        form = m.form.lower() if m.tag == "SL" else m.form
        if form in STOP_NOUNS or (m.tag == "SL" and len(form) < 2):
            continue
        out.append(form)
    return out


def centrality(sentences: list[str]) -> list[float]:
    """TextRank score of each sentence (they sum to 1; all equal when no two sentences share a noun)."""
    bags = [frozenset(nouns(s)) for s in sentences]
    if not bags:
        return []
    logs = [math.log(len(bag) + 1) for bag in bags]
    having: dict[str, list[int]] = {}
    for i, bag in enumerate(bags):
        for noun in bag:
            having.setdefault(noun, []).append(i)
    edges: list[list[tuple[int, float]]] = []
    for i, bag in enumerate(bags):
        shared: Counter[int] = Counter()
        for noun in bag:
            shared.update(having[noun])  # counted in C: a big chapter has tens of thousands of pairs
        shared.pop(i, None)
        # Mihalcea & Tarau's overlap, with +1 inside the logs so one-noun sentences do not divide by 0.
        edges.append(sorted((j, n / (logs[i] + logs[j])) for j, n in shared.items()))
    return _pagerank(edges)


def _pagerank(edges: list[list[tuple[int, float]]]) -> list[float]:
    """Power iteration on a weighted undirected graph; a node without edges spreads its rank evenly."""
    n = len(edges)
    out_sum = [sum(w for _, w in row) for row in edges]
    # The graph is undirected, so node i's neighbours are also the nodes that link to it.
    sources = [[j for j, _ in row] for row in edges]
    shares = [[w / out_sum[j] for j, w in row] for row in edges]
    lonely = [i for i in range(n) if not out_sum[i]]
    rank = [1.0 / n] * n
    for _ in range(_ITERATIONS):
        base = (1.0 - DAMPING) / n + DAMPING * sum(rank[i] for i in lonely) / n
        new = [base + DAMPING * sum(map(operator.mul, map(rank.__getitem__, sources[i]), shares[i]))
               for i in range(n)]
        delta = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if delta < _TOLERANCE:
            break
    return rank


def by_rank(scores: list[float]) -> list[int]:
    """Indices from the highest score down; equal scores keep document order (deterministic)."""
    return sorted(range(len(scores)), key=lambda i: (-round(scores[i], 12), i))


def key_sentences(sentences: list[str], k: int) -> list[int]:
    """Indices of the ``k`` most central sentences, in document order."""
    return sorted(by_rank(centrality(sentences))[:max(k, 0)])


def terms(sentence: str) -> list[tuple[str, str]]:
    """The terms of ``sentence`` as (key, spelling): runs of noun-like morphemes with no space between
    (워크+플로우, 불+확실+성, Few+-+shot, GPT+-+2) read as the one word the text writes, and capitalised
    English words in a row (Claude Code, LM Studio) as one name."""
    found: list[tuple[int, int]] = []
    run: list[Morph] = []
    for m in (*morphs(sentence), None):
        if m is not None and m.tag in _TERM_PARTS and (not run or run[-1].end == m.start):
            run.append(m)
            continue
        while run and run[-1].tag == "SO":
            run.pop()
        if run and any(r.tag in ("NNG", "NNP", "SL") for r in run):
            found.append((run[0].start, run[-1].end))
        run = [m] if m is not None and m.tag in _TERM_PARTS and m.tag != "SO" else []
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and sentence[merged[-1][1]:start] == " " and _name_word(sentence[merged[-1][0]:merged[-1][1]]) \
                and _name_word(sentence[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    out = []
    for start, end in merged:
        spelling = sentence[start:end]
        key = spelling.lower()
        if key not in STOP_NOUNS | _STOP_TERMS and (hangul_syllables(key) >= 2 or key.isascii() and len(key) >= 2):
            out.append((key, spelling))
    return out


def _name_word(text: str) -> bool:
    """An English word of a name: capitalised ASCII letters (Claude, Code, LM, Studio)."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z]*", text))


def keywords_of(sentences: list[str], k: int) -> list[str]:
    """Top-``k`` terms by frequency times spread (the share of the text's parts a term turns up in)."""
    if k <= 0 or not sentences:
        return []
    parts = min(8, len(sentences))
    count: Counter[str] = Counter()
    seen_in: dict[str, set[int]] = {}
    first: dict[str, int] = {}
    spelling: dict[str, Counter[str]] = {}
    for index, sentence in enumerate(sentences):
        part = index * parts // len(sentences)
        for key, written in terms(sentence):
            count[key] += 1
            seen_in.setdefault(key, set()).add(part)
            first.setdefault(key, len(first))
            spelling.setdefault(key, Counter())[written] += 1
    score = {t: count[t] * len(seen_in[t]) / parts for t in count}
    best = sorted(score, key=lambda t: (-score[t], first[t]))[:k]
    # A term comes back as the text spells it most often (``MCP``, ``Claude``).
    return [sorted(spelling[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for t in best]
