"""Suggestions for a name that matched nothing exactly: edit-distance similarity (rapidfuzz)
over the Chinese names character by character (``fuzz.ratio``), and over pinyin and English
names (optimal string alignment: a swapped pair of letters is one edit, so ``hefie`` is one edit
from ``hefei`` and two from ``heihe``).

A suggestion must be close (see :data:`CHINESE_CUTOFF`, :data:`LATIN_CUTOFF`), and a Chinese one
must share at least two characters of its short name with the query's (a typed 威远 does not
suggest 威宁): a short list of nothing beats a list of places that only look alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .data import Record
from .names import core
from .place import Place, order
from .text import is_han, normalize

#: Least similarity (0-100, rapidfuzz ``fuzz.ratio``) of a Chinese name: 毕节 -> 毕节市 is 80,
#: 黔东 -> 黔东南 80, 威宁彝族 -> 威宁 67.
CHINESE_CUTOFF = 60.0
#: Least similarity (0-100, 100 x OSA normalised similarity) of a pinyin or English name: one
#: edit in five letters. weinng -> weining is 86, hefie -> hefei 80, hello -> helan (贺兰) 60.
LATIN_CUTOFF = 80.0
#: Shortest Latin query that is matched fuzzily (shorter ones only exactly).
LATIN_MIN = 4
#: Characters a Chinese suggestion shares at least with the query.
SHARED_MIN = 2


@dataclass(frozen=True)
class Choices:
    """Normalised names, and for each the index of its place."""

    names: tuple[str, ...]
    owners: tuple[int, ...]

    @classmethod
    def of(cls, records: Sequence[Record], latin: bool) -> Choices:
        names: list[str] = []
        owners: list[int] = []
        for i, record in enumerate(records):
            spelt = (*record.pinyin, *(normalize(e) for e in record.english)) if latin else record.chinese
            for name in dict.fromkeys(spelt):  # shipped names are normalised already
                names.append(name)
                owners.append(i)
        return cls(tuple(names), tuple(owners))


def _shares(query: str, place: Place) -> bool:
    common = Counter(core(query)) & Counter(place.short)
    return sum(common.values()) >= SHARED_MIN


def similar(
    query: str, places: Sequence[Place], chinese: Choices, latin: Choices
) -> list[tuple[float, Place]]:
    """The places whose names are close to the query, with their best score, best first."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    q = normalize(query)
    han = is_han(q)
    if not q or (not han and len(q) < LATIN_MIN):
        return []
    if han:
        found = process.extract(q, chinese.names, scorer=fuzz.ratio, score_cutoff=CHINESE_CUTOFF, limit=None)
        owners = chinese.owners
    else:
        # (rapidfuzz misses a score exactly at the cutoff, 0.8 for 1 edit in 5, by rounding)
        found = process.extract(q, latin.names, scorer=OSA.normalized_similarity,
                                score_cutoff=LATIN_CUTOFF / 100 - 0.005, limit=None)  # fmt: skip
        found = [(name, score * 100, at) for name, score, at in found]
        owners = latin.owners
    best: dict[int, float] = {}
    for _name, score, at in found:
        owner = owners[at]
        best[owner] = max(score, best.get(owner, 0.0))
    close = [(score, places[i]) for i, score in best.items() if not han or _shares(q, places[i])]
    return sorted(close, key=lambda sp: (-sp[0], *order(sp[1])))
