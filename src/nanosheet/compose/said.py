"""Whether a short line is already said by another: a line's text in, its content words and their coverage out.

A wireframe takeaway (``불확실성 측정으로 예시 선택``) and the content's fuller item (``불확실성 기반 선택:
Disagreement로 annotation이 필요한 예시 식별``) say the same thing in different words: most of the short
one's content words reappear in the long one. Words are compared in a plain normal form (English
lower-cased and stemmed, Korean without a trailing case particle), so ``측정으로`` counts for ``측정``.
"""

from __future__ import annotations

import re

from nanosheet.ingest.emoji_keywords import PARTICLES, stem, without_particle

_WORD = re.compile(r"[a-z0-9]+|[가-힣]+")
_PARTICLES = ("에게", *PARTICLES)
"""Case particles a Korean word may end in (the emoji keywords' and the dative, which lines use)."""
_STOP = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "from", "with", "by", "as",
                   "but", "is", "are", "be", "it", "this", "that",
                   "및", "등", "것", "수"})
"""Words that carry no content of their own: they neither count nor cover."""
NEAR_SHARE = 2 / 3
"""Share of a line's content words another text must cover for the line to add nothing."""
NEAR_WORDS = 2
"""...and at least this many of them: one shared word is a topic in common, not the same point."""
_HANGUL = re.compile(r"^[가-힣]+$")


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry content, in normal form (digits and one-letter words left out)."""
    out = set()
    for word in _WORD.findall(text.lower()):
        form = without_particle(word, _PARTICLES) if _HANGUL.match(word) else stem(word)
        if len(form) > 1 and form not in _STOP and not form.isdigit():
            out.add(form)
    return out


def covered(words: set[str], shown: set[str]) -> int:
    """How many of ``words`` ``shown`` says: the same form, or (Korean) a shown word opening with it
    (``불확실`` in ``불확실성``) or opened by it."""
    korean = [w for w in shown if _HANGUL.match(w)]
    return sum(1 for w in words if w in shown or _HANGUL.match(w) and any(
        len(k) >= 2 and (k.startswith(w) or w.startswith(k)) for k in korean))


def nearly_said(text: str, others: list[str]) -> bool:
    """``text`` adds nothing to one of ``others``: most of its content words (and at least two) are in it."""
    words = content_words(text)
    if len(words) < NEAR_WORDS:
        return False
    for other in others:
        hits = covered(words, content_words(other))
        if hits >= NEAR_WORDS and hits / len(words) >= NEAR_SHARE:
            return True
    return False
