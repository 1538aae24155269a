""""Did you mean ...?": the closest known word to a misspelt one.

One helper for every hint of this kind.  :func:`closest` compares as typed first and then
case-insensitively (``Model`` finds ``model``); :func:`did_you_mean` words the hint.  A
:class:`Suggester` answers many words against one list of candidates (the artifact ids of a
lineage): a case-insensitive index answers every word, while the fuzzy search -- which
costs a comparison with every candidate -- runs over a shortlist from a trigram index and
for the first :data:`SUGGESTION_LIMIT` distinct words only, so 20,000 unknown references
do not cost 20,000 searches over 20,000 ids.  :func:`closest_phrase` finds the keyword
phrase (``released under``) that the first words of a text are closest to.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable, Iterable

#: How many distinct words a :class:`Suggester` searches for close matches (the rest get
#: exact case-insensitive matches only).
SUGGESTION_LIMIT = 20

#: Said of a word not searched for because the limit was reached.
NOT_SEARCHED = f"(close matches are searched for the first {SUGGESTION_LIMIT} unknown names only)"

#: Candidate lists longer than this are searched through a trigram shortlist.
_INDEX_FROM = 256
_SHORTLIST = 64


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The candidate closest to ``word`` (difflib's ratio at least ``cutoff``), compared as
    typed and, failing that, case-insensitively; None if none is close."""
    pool = list(candidates)
    match = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if match:
        return match[0]
    folded: dict[str, str] = {}
    for candidate in pool:
        folded.setdefault(candidate.casefold(), candidate)
    match = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """``did you mean `X`?`` for the closest candidate X, or None."""
    match = closest(word, candidates, cutoff)
    return f"did you mean `{match}`?" if match is not None else None


class Suggester:
    """Close matches for many words against one candidate list (see the module docstring).

    ``search``, if given, replaces the fuzzy search over ``candidates`` (a search of its own,
    such as region names); the answers are still remembered and limited in number."""

    def __init__(self, candidates: Iterable[str] = (), cutoff: float = 0.5, limit: int = SUGGESTION_LIMIT,
                 search: Callable[[str], str | None] | None = None) -> None:
        self.candidates = list(dict.fromkeys(candidates))
        self.cutoff = cutoff
        self.limit = limit
        self.search = search
        self.searched = 0  # distinct words searched fuzzily so far
        self._folded: dict[str, str] = {}
        for candidate in self.candidates:
            self._folded.setdefault(candidate.casefold(), candidate)
        self._answers: dict[str, str | None] = {}
        self._grams: dict[str, list[int]] | None = None

    def closest(self, word: str) -> str | None:
        """The closest candidate, or None (also when the search limit is used up: see
        :meth:`gave_up`)."""
        if word in self._answers:
            return self._answers[word]
        exact = self._folded.get(word.casefold())
        if exact is not None:
            answer: str | None = exact
        elif self.searched >= self.limit:
            return None
        else:
            self.searched += 1
            answer = self.search(word) if self.search else closest(word, self._shortlist(word), self.cutoff)
        self._answers[word] = answer
        return answer

    def gave_up(self, word: str) -> bool:
        """True if ``word`` was not searched for because the limit was reached."""
        return word not in self._answers and self.searched >= self.limit

    def did_you_mean(self, word: str) -> str | None:
        match = self.closest(word)
        return f"did you mean `{match}`?" if match is not None else None

    def hint(self, word: str, otherwise: str | None = None) -> str | None:
        """``did you mean `X`?``, else ``otherwise``; followed by a note when ``word`` was not
        searched for because the limit was reached."""
        hint = self.did_you_mean(word) or otherwise
        if self.gave_up(word):
            hint = f"{hint} {NOT_SEARCHED}" if hint else NOT_SEARCHED
        return hint

    def _shortlist(self, word: str) -> list[str]:
        """All candidates, or for a long list the ones sharing the most trigrams with ``word``."""
        if len(self.candidates) <= _INDEX_FROM:
            return self.candidates
        if self._grams is None:
            self._grams = defaultdict(list)
            for i, candidate in enumerate(self.candidates):
                for gram in _trigrams(candidate):
                    self._grams[gram].append(i)
        counts: Counter[int] = Counter()
        for gram in _trigrams(word):
            counts.update(self._grams.get(gram, ()))
        return [self.candidates[i] for i, _ in counts.most_common(_SHORTLIST)]


def _trigrams(text: str) -> set[str]:
    folded = f"  {text.casefold()} "
    return {folded[i:i + 3] for i in range(len(folded) - 2)}


_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _normal(text: str) -> str:
    """Words compared as one: case, ``-`` and ``_`` do not matter (``Fine tuned`` ~ ``fine-tuned``)."""
    return " ".join(re.split(r"[\s_-]+", text.casefold())).strip()


def closest_phrase(text: str, phrases: Iterable[str], cutoff: float = 0.7) -> tuple[str, str] | None:
    """The phrase most like the first words of ``text``: ``(those words, the phrase)``.

    ``closest_phrase('Released Under MIT', ['released under', 'license'])`` is
    ``('Released Under', 'released under')``.  Each phrase is compared with the first one to
    four words of the text (after :func:`_normal`), and the best ratio wins."""
    words: list[re.Match] = []
    position = 0
    while len(words) < 4:
        m = _WORDS.match(text, position)
        if m is None:
            break
        words.append(m)
        gap = re.match(r"[ \t]+", text[m.end():])
        if gap is None:
            break
        position = m.end() + gap.end()
    if not words:
        return None
    return _closest_prefix(tuple(text[:m.end()] for m in words), tuple(dict.fromkeys(phrases)), cutoff)


@lru_cache(maxsize=4096)
def _closest_prefix(prefixes: tuple[str, ...], phrases: tuple[str, ...], cutoff: float) -> tuple[str, str] | None:
    best: tuple[float, str, str] | None = None
    matcher = difflib.SequenceMatcher(None)
    normal_phrases = [(_normal(p), p) for p in phrases]
    for typed in prefixes:
        wanted = _normal(typed)
        matcher.set_seq2(wanted)  # difflib caches the second sequence's index
        for normal, phrase in normal_phrases:
            floor = cutoff if best is None else max(cutoff, best[0] + 1e-9)
            if 2 * min(len(normal), len(wanted)) < floor * (len(normal) + len(wanted)):
                continue  # the lengths alone rule it out (difflib's real_quick_ratio)
            matcher.set_seq1(normal)
            if matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score >= floor:
                best = (score, typed, phrase)
    return (best[1], best[2]) if best else None
