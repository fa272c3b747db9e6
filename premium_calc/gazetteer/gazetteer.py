"""The gazetteer: every division at or above county level, found by code or by name.

>>> g = Gazetteer.load()
>>> g.by_code("520526").name, [a.name for a in g.ancestors(g.by_code("5205"))]
('威宁彝族回族苗族自治县', ['贵州省'])
>>> [p.code for p in g.lookup("贵州 威宁")], [p.code for p in g.lookup("fuzhou")]
(['520526'], ['350100', '361000'])
>>> [p.name for p in g.suggest("weinng", limit=1)]
['威宁彝族回族苗族自治县']
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import ClassVar

from . import data
from .fuzzy import Choices, similar
from .place import Level, Place, order
from .text import is_han, normalize

#: English type words a Latin query may end with ("Guiyang City", "Guizhou Province").
ENGLISH_TYPES = (
    "specialadministrativeregion", "autonomousregion", "autonomousprefecture", "autonomouscounty",
    "autonomousbanner", "municipality", "prefecture", "province", "district", "county", "league",
    "banner", "city", "sar",
)  # fmt: skip
#: Parts a combined query ("贵州省毕节市威宁县") is split into at most.
MAX_PARTS = 3


class Gazetteer:
    """Every province-, prefecture- and county-level division of the shipped list.

    Get the shared instance with :meth:`load` (read once, on first use). Queries are
    compared after :func:`~premium_calc.gazetteer.text.normalize` (case, spaces, punctuation,
    full-width forms do not matter).
    """

    _shared: ClassVar[Gazetteer | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, meta: Mapping[str, str], records: Sequence[data.Record]) -> None:
        self.source: Mapping[str, str] = MappingProxyType(dict(meta))
        self.places: tuple[Place, ...] = tuple(r.place for r in records)
        self._by_code = {p.code: p for p in self.places}
        self._ancestors: dict[str, tuple[Place, ...]] = {}
        for place in self.places:  # in code order: a parent comes before its children
            up = self._by_code[place.parent] if place.parent else None
            self._ancestors[place.code] = (*self._ancestors[up.code], up) if up else ()
        self._children: dict[str, list[Place]] = {}
        for place in self.places:
            if place.parent:
                self._children.setdefault(place.parent, []).append(place)
        #: City-shaped codes of the pseudo-levels (110100 市辖区, 419000 ...) -> their province.
        self._pseudo = {
            p.code[:4] + "00": self._by_code[p.parent]
            for p in self.places
            if p.level == "county" and p.parent and p.parent.endswith("0000")
        }
        index: dict[str, list[Place]] = {}
        for record in records:  # the shipped Chinese names and pinyin are normalised already
            place = record.place
            keys = [*record.chinese, *record.pinyin, *(normalize(e) for e in record.english)]
            keys += [k.replace("v", "u") for k in record.pinyin if "v" in k]  # lvliang, luliang
            for key in keys:
                same = index.setdefault(key, [])
                if not same or same[-1] is not place:
                    same.append(place)
        self._index = index
        self._records = tuple(records)
        self._fuzzy: tuple[Choices, Choices] | None = None

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the shipped list, read on the first call (thread-safe)."""
        shared = cls._shared
        if shared is None:
            with cls._lock:
                shared = cls._shared
                if shared is None:
                    shared = cls._shared = cls(*data.read())
        return shared

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def level(self, level: Level) -> list[Place]:
        """The places of one level, in code order."""
        return [p for p in self.places if p.level == level]

    def by_code(self, code: str) -> Place | None:
        """The place of a code: 6 digits (``520526``), a 2- or 4-digit prefix (``52`` -> 贵州省,
        ``5205`` -> 毕节市), or a 9- or 12-digit statistical code (truncated to 6). A code of a
        municipality's or province's pseudo-level (``1101``/``110100`` 市辖区, ``419000``)
        gives the province; an unknown code ``None``.
        """
        digits = normalize(code)
        if not digits.isascii() or not digits.isdigit():
            return None
        if len(digits) in (2, 4):
            digits = digits.ljust(6, "0")
        elif len(digits) in (9, 12):
            digits = digits[:6]
        elif len(digits) != 6:
            return None
        return self._by_code.get(digits) or self._pseudo.get(digits)

    def ancestors(self, place: Place | str) -> list[Place]:
        """The places above one (a place or its code), province first; [] for a province."""
        code = place if isinstance(place, str) else place.code
        return list(self._ancestors.get(code, ()))

    def children(self, place: Place | str) -> list[Place]:
        """The places directly below one, in code order."""
        code = place if isinstance(place, str) else place.code
        return list(self._children.get(code, ()))

    def lookup(self, query: str, within: str | None = None) -> list[Place]:
        """The places a name names exactly: the official name, the short one or another form
        (威宁, 威宁县), pinyin with or without spaces (``weining``, ``Wei Ning``), an English name
        (Inner Mongolia), or a code. Several when the name is ambiguous (朝阳区, ``suzhou``),
        ordered province, city, county, then by code.

        A query of nested names (``贵州 威宁``, ``贵州省毕节市威宁县``) gives the innermost
        places. ``within`` (a code) keeps only places below that one; [] if it is unknown.
        """
        q = normalize(query)
        scope = None
        if within is not None:
            scope = self.by_code(within)
            if scope is None:
                return []
        if not q:
            return []
        if q.isascii() and q.isdigit():
            place = self.by_code(q)
            return [place] if place is not None and self._inside(place, scope) else []
        found = self._resolve(q, scope, 1)
        if not found and not is_han(q):
            bare = next((q[: -len(t)] for t in ENGLISH_TYPES if q.endswith(t) and len(q) > len(t)), "")
            found = self._resolve(bare, scope, 1) if bare else []
        return found

    def suggest(self, query: str, limit: int = 5) -> list[Place]:
        """Places whose names are like the query: its exact matches first, then close ones by
        similarity (a typo: ``weinng`` -> 威宁, ``Shenyan`` -> 沈阳). Nothing rather than places
        that only look alike: see :mod:`premium_calc.gazetteer.fuzzy`.
        """
        out = {p.code: p for p in self.lookup(query)}
        for _score, place in similar(query, self.places, *self._choices()):
            out.setdefault(place.code, place)
        return list(out.values())[: max(limit, 0)]

    def _choices(self) -> tuple[Choices, Choices]:
        """The names fuzzy matching runs over (Chinese, Latin), made on the first suggestion."""
        if self._fuzzy is None:
            with self._lock:
                if self._fuzzy is None:
                    records = self._records
                    self._fuzzy = (Choices.of(records, latin=False), Choices.of(records, latin=True))
        return self._fuzzy

    def _inside(self, place: Place, scope: Place | None) -> bool:
        return scope is None or scope in self._ancestors[place.code]

    def _resolve(self, q: str, scope: Place | None, parts: int) -> list[Place]:
        hits = [p for p in self._index.get(q, ()) if self._inside(p, scope)]
        if hits or parts >= MAX_PARTS:
            return sorted(hits, key=order)
        found: dict[str, Place] = {}
        for cut in range(len(q) - 1, 0, -1):  # the longest head first
            for head in self._index.get(q[:cut], ()):
                if head.level != "county" and self._inside(head, scope):
                    for place in self._resolve(q[cut:], head, parts + 1):
                        found.setdefault(place.code, place)
        return sorted(found.values(), key=order)
