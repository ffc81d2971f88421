"""Damaged Hangul syllables in, candidates ranked by a Korean language model out.

Each candidate is put back into its word (the run of non-space characters around it, with the word
before it as context) and the word is scored by Kiwi's morphological analyser: the log-probability of
its best analysis. Kiwi knows which morphemes exist and how they combine, so ``첨부된`` beats
``첨부됬``/``첨부돈`` and ``아래`` beats ``아뭘``. Several damaged syllables in one word are decided left to
right with a small beam, scoring the word up to the next undecided syllable. Close calls are then
decided again with the document's own vocabulary as extra evidence (``_reconsider``): ``중상단`` beside
``상단`` in the same table. Every score also carries the genre prior: a syllable trigram of technical
Korean (``priors.hangul_log_prob``, ``GENRE_WEIGHT``).

Candidates are first narrowed to KS X 1001's 2,350 syllables when any fits: that set was drawn up from
syllable frequencies and covers modern Korean text (none of the 2,456 damaged syllables in our example
prompts lies outside it); the other 8,822 are kept only when nothing else fits.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from nanosheet.ingest.draft import HOLE, Draft, Gap
from nanosheet.ingest.priors import hangul_log_prob
from nanosheet.ingest.utf8_damage import in_ksx1001, is_hangul_syllable

WORD_BUDGET = 20_000
"""Words scored by Kiwi per file (about 15 s); bounds the time a multi-megabyte mojibake file takes."""
_BEAM = 6
_EXHAUSTIVE = 64
"""Up to this many combinations of a word's candidates are all scored as whole words; past it, a beam."""
_OOV_PENALTY = OOV_PENALTY_DEFAULT = 3.0
"""Log-probability taken off per word Kiwi's dictionary does not know: Kiwi scores unknown words by
their letters alone, which lets a damaged syllable make up a plausible-looking non-word (``생단`` for
``상단``). When every candidate leaves the word unknown the penalty cancels out. Technical Korean is
full of loanwords Kiwi lacks (``에이전틱``, ``리팩터링``), which a heavy penalty breaks into native
words (``역`` + ``이전`` + ``틱``); the example prompts score the same at 3 and 6 (99.975 %), and with
the neighbouring-word context, the document vocabulary and one spelling per document guarding
against non-words, the lighter penalty is the loanword prior."""
VOCABULARY_BONUS = 3.0
"""Log-probability added for each damaged syllable that makes a word the document uses elsewhere (see
``_reconsider``); also the lead over the runner-up below which a decision is reconsidered."""
GENRE_WEIGHT = 0.5
"""Weight of the genre's syllable trigram (``priors.hangul_log_prob``) added to Kiwi's log-probability.
Kiwi knows Korean; the trigram knows this genre's loanwords, one-syllable words and particles (``스택``
over ``스탭``, ``팁`` alone over ``판``, ``열을`` over Kiwi's proper noun ``열석``). On the tuning prompts
(each left out of the prior in turn) 0 gave 99.975 %, 0.5 99.979 % and 1 99.977 %. The held-out chapters
were also run at 0.5 and 1 (99.962 and 99.950 %), so they have been looked at once."""
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_ANALYSES = 3
"""Kiwi analyses considered per string (the best is taken after the unknown-word penalty)."""
_CONTEXT = 12
"""Characters of context kept on each side; morphology is local and long strings cost time."""


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    """Kiwi takes about a second to load its model, so it is loaded once and only when needed."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    kiwi.analyze("가")  # the first analysis loads the rest of the model; pay for it here
    return kiwi


def hangul_candidates(candidates: tuple[str, ...]) -> tuple[str, ...]:
    """The Hangul syllables among ``candidates``, common (KS X 1001) ones only when there are any."""
    syllables = tuple(c for c in candidates if is_hangul_syllable(c))
    common = tuple(c for c in syllables if in_ksx1001(c))
    return common or syllables


def choose_hangul(gaps: list[Gap], draft: Draft) -> int:
    """Rank the candidates of every Hangul gap (``gap.candidates`` already narrowed) and fill the draft.

    Returns how many syllables were decided without Kiwi because the word budget ran out."""
    scorer = _Scorer()
    by_word: dict[tuple[int, int], list[Gap]] = {}
    for gap in gaps:
        by_word.setdefault(_word_span(draft.line(gap.line), gap.col, gap.line), []).append(gap)
    learned: dict[tuple[str, ...], Counter[str]] = {}
    decisions: dict[tuple[int, int], _Decision] = {}
    unscored = 0
    for n, ((line_no, start), word_gaps) in enumerate(sorted(by_word.items())):
        word_gaps.sort(key=lambda g: g.col)
        if n < WORD_BUDGET:
            decisions[line_no, start] = _decide_word(draft, line_no, start, word_gaps, scorer)
            for gap in word_gaps:
                learned.setdefault(gap.candidates, Counter())[gap.chosen] += 1
        else:
            unscored += len(word_gaps)
            for gap in word_gaps:
                _decide_from_document(gap, learned.get(gap.candidates, Counter()), draft)
    # Words are decided left to right, so a word followed by a damaged one was scored without its
    # right context (``각`` alone beats ``감`` only once ``이슈를`` follows). Now every syllable has a
    # first pick: decide those words again with the context filled in.
    for key in [k for k, d in decisions.items() if d.truncated]:
        decisions[key] = _decide_word(draft, *key, by_word[key], scorer)
    margins = _agree(decisions, by_word, draft)
    unsure = [(*key, by_word[key]) for key, margin in sorted(margins.items()) if margin < VOCABULARY_BONUS]
    _reconsider(unsure, draft, scorer)
    return unscored


class _Decision(NamedTuple):
    margin: float
    """Score lead of the pick over the runner-up."""
    truncated: bool
    """The right context stopped at a syllable not yet decided."""
    scores: dict[str, float]
    """Score of each combination of the word's syllables that was tried."""


def _agree(decisions: dict[tuple[int, int], _Decision], by_word: dict[tuple[int, int], list[Gap]],
           draft: Draft) -> dict[tuple[int, int], float]:
    """One spelling per document: occurrences of the same long damaged word are decided together.

    A word of 3+ syllables that lost the same bytes in several places is the same word each time
    (``샘플링`` nine times in one file, each time with ``링``/``말`` open), so its spelling is the
    combination with the best score summed over every occurrence: one odd context (``시스템은 샘플말``)
    no longer outvotes the others, nor lends its misspelling to the vocabulary.
    Returns every word's margin, a shared word's being the group's."""
    groups: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    for key, gaps in by_word.items():
        pattern = _pattern(draft.line(key[0]), gaps)
        if key in decisions and pattern is not None:
            groups.setdefault(pattern, []).append(key)
    margins = {key: d.margin for key, d in decisions.items()}
    for members in groups.values():
        if len(members) < 2:
            continue
        tried = {p for k in members for p in decisions[k].scores}
        total = dict.fromkeys(tried, 0.0)
        for key in members:
            scores = decisions[key].scores
            floor = min(scores.values())  # a combination the beam dropped here scored no better than its worst
            for picks in tried:
                total[picks] += scores.get(picks, floor)
        ranked = sorted(total, key=lambda p: (-total[p], p))
        lead = total[ranked[0]] - total[ranked[1]] if len(ranked) > 1 else float("inf")
        for key in members:
            for i, gap in enumerate(by_word[key]):
                gap.ranked = [ranked[0][i], *(c for c in gap.ranked if c != ranked[0][i])]
                draft.put(gap, ranked[0][i])
            margins[key] = lead
    return margins


def _pattern(line: str, gaps: list[Gap]) -> tuple[object, ...] | None:
    """The run of Hangul holding the word's gaps, each gap as its candidate set, if it has 3+ syllables
    (``샘플링`` in ``샘플링,`` and in ``샘플링 전략`` alike); None for shorter runs, where one damaged
    spelling can be two words (``각``/``감``, ``많은``/``맞은``)."""
    holes = {g.col: g.candidates for g in gaps}
    start = end = gaps[0].col
    while start > 0 and (start - 1 in holes or is_hangul_syllable(line[start - 1])):
        start -= 1
    while end < len(line) and (end in holes or is_hangul_syllable(line[end])):
        end += 1
    if end - start < 3 or max(holes) >= end:
        return None
    return tuple(holes.get(i, line[i]) for i in range(start, end))


def _reconsider(unsure: list[tuple[int, int, list[Gap]]], draft: Draft, scorer: _Scorer) -> None:
    """Decide close calls again, crediting candidates that spell a word this document uses elsewhere.

    A document repeats its vocabulary (a cache language model): ``중상단`` sits in a table beside
    ``상단`` and ``하단``, so the ``상단`` in it is likelier than the ``생단`` Kiwi slightly prefers
    (``중생`` + ``단``). The vocabulary is every Hangul run of the text except those touching a close
    call, whose spelling is in doubt (a word decided by more than the bonus cannot flip, so it counts),
    and the beginnings of those runs: Korean adds its endings and particles at the end, so a word's
    stem is its beginning, and ``에이전트`` vouches for the ``에이`` of ``에이전틱``."""
    if not unsure:
        return
    doubtful = {(line_no, gap.col) for line_no, _, gaps in unsure for gap in gaps}
    vocabulary: set[str] = set()
    for line_no in range(len(draft.lines)):
        for run in _HANGUL_RUN.finditer(draft.line(line_no)):
            word = run.group()
            if len(word) >= 2 and not any((line_no, c) in doubtful for c in range(*run.span())):
                vocabulary.update(word[:n] for n in range(2, len(word) + 1))
    for line_no, start, gaps in unsure:
        line = draft.line(line_no)
        if any(_spells_known(line, gap.col, c, vocabulary) for gap in gaps for c in gap.candidates):
            _decide_word(draft, line_no, start, gaps, scorer, vocabulary)


def _spells_known(line: str, col: int, char: str, vocabulary: set[str]) -> bool:
    """True when putting ``char`` at ``col`` makes a run of 2+ syllables through it that is in ``vocabulary``."""
    start = col
    while start > 0 and is_hangul_syllable(line[start - 1]):
        start -= 1
    end = col + 1
    while end < len(line) and is_hangul_syllable(line[end]):
        end += 1
    run = line[start:col] + char + line[col + 1:end]
    at = col - start
    return any(run[i:j] in vocabulary for i in range(at + 1) for j in range(max(at + 1, i + 2), len(run) + 1))


def _decide_from_document(gap: Gap, earlier: Counter[str], draft: Draft) -> None:
    """Past the budget, repeat what Kiwi chose most often for the same surviving bytes in this file."""
    gap.ranked = sorted(gap.candidates, key=lambda c: (-earlier[c], c))
    gap.tied = not earlier
    draft.put(gap, gap.chosen)


def _word_span(line: str, col: int, line_no: int) -> tuple[int, int]:
    start = col
    while start > 0 and _wordy(line[start - 1]) and col - start < _CONTEXT:
        start -= 1
    return line_no, start


def _wordy(char: str) -> bool:
    """Part of a word: not space, and not a drawing or symbol (``│``, ``→``, emoji), which only
    blur the analysis; the context stops there."""
    return char == HOLE or (not char.isspace() and unicodedata.category(char) not in ("So", "Sm", "Co"))


def _decide_word(draft: Draft, line_no: int, start: int, gaps: list[Gap], scorer: _Scorer,
                 vocabulary: set[str] | None = None) -> _Decision:
    """Fill the word's gaps with the best-scoring combination; return its lead over the runner-up and
    whether the context was cut short by a syllable not yet decided."""
    line = draft.line(line_no)
    left = _left_context(line, start)
    end = _word_end(line, gaps[-1].col)
    truncated = end < len(line) and line[end] == HOLE

    def score(picks: str, stop: int) -> float:
        chars = list(line[start:stop])
        for g, c in zip(gaps, picks, strict=False):
            chars[g.col - start] = c
        total = scorer(left + "".join(chars))
        if vocabulary:
            word = "".join(chars)
            total += VOCABULARY_BONUS * sum(
                _spells_known(word, g.col - start, word[g.col - start], vocabulary) for g in gaps[: len(picks)])
        return total

    if math.prod(len(g.candidates) for g in gaps) <= _EXHAUSTIVE:
        # Few combinations: score each whole word, so none is pruned on a prefix that ends mid-word
        # (``많`` alone is a bare verb stem and loses to ``말``; ``많은`` does not).
        combos = map("".join, itertools.product(*(g.candidates for g in gaps)))
        scored = [(score(picks, end), picks) for picks in combos]
        scored.sort(key=lambda s: (-s[0], s[1]))
        beams, finals = scored, {picks: total for total, picks in scored}
    else:
        beams = [(0.0, "")]  # (score, choices so far)
        for i, gap in enumerate(gaps):
            stop = gaps[i + 1].col if i + 1 < len(gaps) else end
            scored = [(score(picks + cand, stop), picks + cand) for _, picks in beams for cand in gap.candidates]
            scored.sort(key=lambda s: (-s[0], s[1]))
            beams = scored[:_BEAM]
        finals = {picks: total for total, picks in scored}
    best = beams[0][1]
    for i, gap in enumerate(gaps):
        # Rank each syllable by the best full-word score it takes part in; the beam's pick comes first.
        per_char: dict[str, float] = {}
        for picks, total in finals.items():
            per_char[picks[i]] = max(total, per_char.get(picks[i], total))
        ranked = sorted(per_char, key=lambda c: (c != best[i], -per_char[c], c))
        gap.ranked = ranked + [c for c in gap.candidates if c not in per_char]
        draft.put(gap, best[i])
    top = sorted(finals.values(), reverse=True)
    return _Decision(top[0] - top[1] if len(top) > 1 else float("inf"), truncated, finals)


def _left_context(line: str, start: int) -> str:
    """The previous word (already repaired, since words are decided left to right) and a space."""
    if start == 0 or not line[start - 1].isspace():
        return ""
    end = start - 1
    while end > 0 and line[end - 1].isspace():
        end -= 1
    begin = end
    while begin > 0 and _wordy(line[begin - 1]) and end - begin < _CONTEXT:
        begin -= 1
    return line[begin:end] + " " if begin < end else ""


def _word_end(line: str, col: int) -> int:
    """End of the word holding ``col`` plus the next word, stopping at any undecided syllable."""
    end = col + 1
    spaces = 0
    while end < len(line) and end - col < _CONTEXT and line[end] != HOLE:
        if line[end].isspace():
            if not line[end - 1].isspace():
                spaces += 1
                if spaces == 2:
                    break
        elif not _wordy(line[end]):
            break
        end += 1
    return end


class _Scorer:
    """Kiwi's best-analysis log-probability for a string, memoised (words repeat a lot)."""

    def __init__(self) -> None:
        self._analyze: Callable[..., Any] = _kiwi().analyze
        self._cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        score = self._cache.get(text)
        if score is None:
            # The penalty can reorder Kiwi's analyses (``중상단`` as one unknown noun, or ``중상`` + ``단``):
            # take the best analysis after it.
            score = max(float(s) - _OOV_PENALTY * sum(t.oov for t in tokens)
                        for tokens, s in self._analyze(text, top_n=_ANALYSES))
            score += GENRE_WEIGHT * hangul_log_prob(text)
            self._cache[text] = score
        return score
