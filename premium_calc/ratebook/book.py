"""The rate book: rate files on disk -> regions -> resolved schedules.

* :func:`~premium_calc.ratefiles.reading.load_rate_file` parses and validates one file, turning
  every problem into a :class:`~premium_calc.errors.RateFileError` that names file, line, key
  path and rule.
* :class:`RateBook` finds regions (by id, Chinese or English name, alias) across one or
  more rate directories (user directories overlay the bundled tree), and resolves a
  (region, coverage year) into a :class:`Schedule`: a plain, immutable table of what each
  category pays, with inheritance (city -> province -> ``cn``) already applied and the
  origin (file, key path, source) of every value kept.

Files are read on demand and cached: one lookup reads only the region's chain of files.
Between processes, what a book finds (the files, their names and codes, each file validated)
is kept in the user's cache directory (:mod:`~premium_calc.ratebook.cache`): a book whose
files did not change reads no TOML and validates nothing. A rate book is safe to share
between threads, and can be pickled (it is then rebuilt from its directories).
"""

from __future__ import annotations

import difflib
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AmbiguousRegionError, RateFileError, UnknownRegionError, YearNotCoveredError
from ..messages import Note
from ..ratefiles.keypaths import line_of
from ..ratefiles.model import prose_note
from ..ratefiles.reading import (
    NOT_REGIONS,
    RATES_PATH_ENV,
    REGION_ID,
    STATS_DIR,
    Region,
    bundled_rates_dir,
    load_rate_file,
    rate_dirs,
    read_rate_text,
)
from . import cache as rate_cache
from .names import header_names, header_of_file, header_of_text, header_part, normalize_name
from .names import region_id_of_path as _region_id
from .stamps import scan

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer, Place
    from ..ratefiles.model import RateFile
    from .benefits import BenefitBook
    from .income import IncomeStats
    from .schedule import Schedule


#: What a rate book computes and keeps in memory (left out when it is pickled).
_TRANSIENT = (
    "_lock", "_cache_root", "_paths", "_regions", "_schedules", "_names", "_shared", "_codes",
    "_index", "_standards", "_stats", "_benefits", "_heads",
)  # fmt: skip


def _rate_dirs_from_env() -> list[Path]:
    raw = os.environ.get(RATES_PATH_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


class RateBook:
    """Regions and their rates, from one or more rate directories.

    ``RateBook()`` uses the bundled rates plus any directories named in the
    ``PREMIUM_CALC_RATES`` environment variable; ``extra_dirs`` come first and override
    both (a file ``mycounty.toml`` in an extra directory is region ``mycounty``; one named
    ``cn/sichuan.toml`` replaces the bundled Sichuan file).

    ``cache=False`` reads every file from disk (as ``rates validate`` does); otherwise the
    rate cache is used unless ``PREMIUM_CALC_NO_CACHE=1`` (:mod:`~premium_calc.ratebook.cache`).
    """

    def __init__(
        self,
        extra_dirs: Sequence[Path | str] | Path | str | None = (),
        *,
        include_bundled: bool = True,
        use_env: bool = True,
        cache: bool = True,
    ) -> None:
        if extra_dirs is None:
            extra_dirs = ()
        if isinstance(extra_dirs, str | Path):
            extra_dirs = [extra_dirs]  # one directory
        dirs = list(rate_dirs(extra_dirs, "extra_dirs"))
        if use_env:
            dirs += _rate_dirs_from_env()
        for d in dirs:
            if not d.is_dir():
                raise RateFileError(d, Note("error.no_rate_directory"), rule="file")
        if include_bundled:
            dirs.append(bundled_rates_dir())
        self.dirs: tuple[Path, ...] = tuple(d.resolve() for d in dirs)
        self._use_cache = cache
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.RLock()
        self._cache_root: Path | None = None  # chosen when the directories are first read
        #: region id -> its file (``None`` until asked for, when the index has it)
        self._paths: dict[str, Path | None] | None = None
        self._index: rate_cache.Index | None = None
        self._regions: dict[str, Region] = {}
        self._schedules: dict[tuple[str, int], Schedule] = {}
        self._standards: dict[tuple[str, int], Schedule] = {}
        self._names: dict[str, str] | None = None
        self._shared: dict[str, list[str]] = {}
        self._codes: dict[str, str] | None = None
        self._heads: dict[str, str] = {}  # region id -> its file's header, as a load read it
        self._stats: IncomeStats | None = None
        self._benefits: BenefitBook | None = None

    def __getstate__(self) -> dict[str, object]:
        """The directories and options: locks and what was read are left out (rebuilt)."""
        state = dict(self.__dict__)
        for name in _TRANSIENT:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._reset()

    # -- discovery

    def _discover(self) -> dict[str, Path | None]:
        with self._lock:
            if self._paths is None:
                root = self._cache_root = rate_cache.cache_root() if self._use_cache else None
                if root is not None:
                    index = rate_cache.load_index(root, self.dirs, NOT_REGIONS, _region_id)
                    self._shared = index.shared  # names and codes: decoded when asked for
                    self._index = index
                    self._paths = dict.fromkeys(index.regions)
                    return self._paths
                paths: dict[str, Path | None] = {}
                for i, rel, _, _ in scan(self.dirs, NOT_REGIONS):
                    region_id = _region_id(rel)
                    if region_id is not None and region_id not in paths:  # earlier directories win
                        paths[region_id] = self.dirs[i] / rel
                self._paths = paths
            return self._paths

    def region_ids(self) -> list[str]:
        """All region ids, sorted (``cn`` first, then by path)."""
        return sorted(self._discover())

    def path_of(self, region_id: str) -> Path:
        paths = self._discover()
        if region_id not in paths:
            raise UnknownRegionError(region_id, self._suggest(region_id))
        path = paths[region_id]
        if path is None:
            assert self._index is not None
            path = paths[region_id] = self.dirs[self._index.folder(region_id)] / f"{region_id}.toml"
        return path

    def region(self, region_id: str) -> Region:
        """The parsed rate file of a region id (not a name: see :meth:`find`)."""
        _expect_region_text(region_id)
        with self._lock:
            cached = self._regions.get(region_id)
            if cached is not None:
                return cached
            path = self.path_of(region_id)
            region = Region(region_id, path, self._load(region_id, path))
            self._regions[region_id] = region
            return region

    def _load(self, region_id: str, path: Path) -> RateFile:
        """A validated rate file: from the cache when its content is the one the index hashed,
        else read, parsed, validated (and cached under the hash of what was read)."""
        root, index = self._cache_root, self._index
        digest = index.sha(region_id) if root is not None and index is not None else None
        if root is None or digest is None:
            text = read_rate_text(path)
            self._heads[region_id] = header_part(text)
            return load_rate_file(path, text)
        cached = rate_cache.load_validated(root, digest.hex())
        if cached is not None:
            return cached
        text = read_rate_text(path)
        data = load_rate_file(path, text)
        rate_cache.store_validated(root, rate_cache.text_sha(text), data)
        return data

    def regions(self) -> Iterator[Region]:
        for region_id in self.region_ids():
            yield self.region(region_id)

    def _name_index(self) -> dict[str, str]:
        """Names and aliases -> region id, from each file's ``[region]`` table only.

        Only the text before the first ``[[year]]`` is parsed (no validation), so finding a
        region by name does not validate every rate file; the region found is validated
        in full when it is used.
        """
        self._discover()  # from the cache, this has the names already
        with self._lock:
            if self._names is None and self._index is not None:
                self._names = self._index.all_names()  # None: a damaged entry, the files are read
            if self._names is None:
                index: dict[str, str] = {}
                shared: dict[str, list[str]] = {}
                for region_id in self._discover():
                    for key in self._header(region_id)[0]:
                        name = normalize_name(key)
                        first = index.setdefault(name, region_id)
                        if first != region_id:
                            claims = shared.setdefault(name, [first])
                            if region_id not in claims:
                                claims.append(region_id)
                self._shared = shared
                self._names = index
            return self._names

    def _header(self, region_id: str) -> tuple[list[str], str | None]:
        """The names, aliases and code of a file's header (as a load read it, else read now)."""
        head = self._heads.get(region_id)
        return header_of_text(head) if head is not None else header_of_file(self.path_of(region_id))

    def shared_names(self) -> dict[str, list[str]]:
        """Names or aliases that several rate files claim (normalised name -> region ids, in
        the order the directories are searched): looking one up is ambiguous, never a guess."""
        self._name_index()
        return {k: list(v) for k, v in self._shared.items()}

    def find(self, query: str) -> str:
        """A region id from an id, Chinese or English name, or alias (case-insensitive)."""
        _expect_region_text(query, "query")
        q = query.strip().strip("/")
        if q.endswith(".toml"):
            q = q[: -len(".toml")]
        if q in self._discover():
            return q
        if REGION_ID.match(q.lower()) and q.lower() in self._discover():
            return q.lower()
        name, index = normalize_name(q), self._index  # from the cache: one bucket of names
        bucket = index.names_like(name) if self._names is None and index is not None else None
        hit = (bucket if bucket is not None else self._name_index()).get(name)
        claims = self._shared.get(name)
        if claims:
            raise AmbiguousRegionError(query, [self._label(r) for r in claims], rate_files=True)
        if hit is not None:
            return hit
        raise UnknownRegionError(query, self._suggest(query))

    def _label(self, region_id: str) -> str:
        path = self.path_of(region_id)
        names = header_names(path)
        return f"{names[0]} ({region_id})" if names else region_id

    def _suggest(self, query: str) -> list[str]:
        names = dict(self._name_index()) if self._paths is not None else {}
        candidates = {**{k: v for k, v in names.items()}, **{r: r for r in self._discover()}}
        close = difflib.get_close_matches(normalize_name(query), list(candidates), n=3, cutoff=0.6)
        out: list[str] = []
        for c in close:
            if candidates[c] not in out:
                out.append(candidates[c])
        return out

    # -- inheritance

    def chain(self, region_id: str) -> list[Region]:
        """The region and its ancestors, root first. Unknown parents and cycles are errors."""
        out: list[Region] = []
        seen: list[str] = []
        current: str | None = region_id
        while current is not None:
            if current in seen:
                cycle = " -> ".join([*seen, current])
                region = self.region(region_id)
                raise RateFileError(
                    region.path,
                    Note("error.parent_cycle", cycle=cycle),
                    key="region.parent",
                    key_path=("region", "parent"),
                    rule="parent-cycle",
                )
            seen.append(current)
            try:
                region = self.region(current)
            except UnknownRegionError:
                if not out:  # the region itself is unknown, not a parent
                    raise
                child = out[-1]
                raise RateFileError(
                    child.path,
                    Note("error.parent_unknown", parent=repr(current)),
                    key="region.parent",
                    key_path=("region", "parent"),
                    line=_line(child.path, ("region", "parent")),
                    rule="parent-unknown",
                ) from None
            out.append(region)
            current = region.parent
        return list(reversed(out))

    def years(self, region_id: str) -> list[int]:
        """The coverage years a region has an entry for."""
        return self.region(region_id).years()

    def schedule(self, region: str, year: int) -> Schedule:
        """Resolve a region (id or name) and coverage year into a :class:`Schedule`."""
        known = self._schedules.get((region, year)) if type(region) is str and type(year) is int else None
        if known is not None:  # resolved already (a key is a region id: find() gives it back)
            return known
        from ..errors import expect_type

        expect_type(region, str, "region", "a region id or name (text)")
        expect_type(year, int, "year", "a coverage year (a whole number)")
        region_id = self.find(region)
        key = (region_id, year)
        with self._lock:
            cached = self._schedules.get(key)
            if cached is not None:
                return cached
            from .inherit import resolve

            schedule = resolve(self.chain(region_id), region_id, year, self.national_minimum(year))
            self._schedules[key] = schedule
            return schedule

    def resolved(self) -> list[Schedule]:
        """The schedules this book has resolved so far, in the order first asked for."""
        with self._lock:
            return list(self._schedules.values())

    def standard(self, region: str, year: int) -> Schedule:
        """The standard that applies in a region (id, name, or place of the gazetteer) for a
        coverage year, falling back where the data has nothing of the region's own.

        Unlike :meth:`schedule`, a region without an entry for the year gets the entry of its
        nearest ancestor that has one (city -> province -> ``cn``: the national minimums), and
        a place without a rate file (a county, a city) that of its nearest ancestor with one.
        The schedule says so (:attr:`Schedule.standard_from`, :attr:`Schedule.place`,
        :attr:`Schedule.national_fallback`) and carries a note. Only where no level has an
        entry for the year is it an error (:class:`YearNotCoveredError`).
        """
        if type(region) is str and type(year) is int:  # the common case (a bool is checked below)
            known = self._standards.get((region, year))
            if known is not None:  # the files are read once: the answer stays the same
                return known
        from ..errors import expect_type

        expect_type(region, str, "region", "a region id, name or code (text)")
        expect_type(year, int, "year", "a coverage year (a whole number)")
        known = self._standards.get((region, year))
        if known is not None:
            return known
        schedule = self._standard(region, year)
        with self._lock:
            return self._standards.setdefault((region, year), schedule)

    def _standard(self, region: str, year: int) -> Schedule:
        region_id, place = self.locate(region)
        chain = self.chain(region_id)
        own = [i for i, r in enumerate(chain) if r.year(year) is not None]
        if not own:
            leaf = chain[-1]
            note = leaf.data.region.note
            raise YearNotCoveredError(
                region_id, year, leaf.years(), prose_note(note) if note is not None else ""
            )
        nearest = chain[own[-1]]
        schedule = self.schedule(nearest.id, year)
        notes = list(schedule.notes)
        if nearest.id != region_id:
            key = "note.standard_national" if nearest.id == "cn" else "note.standard_from_ancestor"
            notes.insert(0, Note(key, region=chain[-1].name, year=year, used=nearest.name))
            leaf = chain[-1]
            schedule = replace(
                schedule,
                region=region_id,
                name=leaf.name,
                level=leaf.data.region.level,
                chain=tuple(r.id for r in chain),
                standard_region=nearest.id,
            )
        if place is not None:
            key = "note.place_whole_region" if schedule.whole_region else "note.place_from_region"
            notes.insert(0, Note(key, place=place.name, code=place.code, used=chain[-1].name))
            schedule = replace(schedule, place=place)
        return replace(schedule, notes=tuple(notes))

    def locate(self, query: str) -> tuple[str, Place | None]:
        """The rate region for a query, and the place of the gazetteer where the query names a
        place without a rate file of its own (then the region is its nearest ancestor with one).
        """
        q = query.strip()
        try:
            region_id = self.find(q)
        except AmbiguousRegionError:
            raise
        except UnknownRegionError:
            region_id = None
        latin_name = q.isascii() and "/" not in q and not q.isdigit()
        if region_id is not None and not latin_name:
            return region_id, None
        from ..gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
        places = gazetteer.lookup(q)
        if region_id is not None and len(places) <= 1:
            return region_id, None  # a rate file's own name, not shared by another place
        if not places:
            # Close names of places (fuzzy, in Chinese, pinyin and English) and of region ids.
            suggestions = [_place_label(gazetteer, p) for p in gazetteer.suggest(q, limit=3)]
            raise UnknownRegionError(query, suggestions or self._suggest(q))
        if len(places) > 1:
            raise AmbiguousRegionError(query, [_place_label(gazetteer, p) for p in places])
        place = places[0]
        codes = self._code_index()
        if place.code in codes:
            return codes[place.code], None
        for ancestor in reversed(gazetteer.ancestors(place)):
            if ancestor.code in codes:
                return codes[ancestor.code], place
        return "cn", place

    def _code_index(self) -> dict[str, str]:
        """行政区划代码 -> region id, from the ``code`` of each file's ``[region]`` table."""
        self._discover()  # from the cache, this has the codes already
        with self._lock:
            if self._codes is None and self._index is not None:
                self._codes = self._index.code_map()  # None: a damaged entry, the files are read
            if self._codes is None:
                self._codes = {
                    code: region_id
                    for region_id in self._discover()
                    if (code := self._header(region_id)[1]) is not None
                }
            return self._codes

    def income_stats(self) -> IncomeStats:
        """The income statistics of this book's rate directories (read once, then shared;
        between processes kept in the rate cache, like the rate files)."""
        known = self._stats
        if known is not None:
            return known
        from .income import IncomeStats

        with self._lock:
            if self._stats is None:
                root = rate_cache.cache_root() if self._use_cache else None
                stats = (
                    rate_cache.load_stats(root, self.dirs, STATS_DIR, self._loaded_stats) if root else None
                )
                self._stats = stats if isinstance(stats, IncomeStats) else IncomeStats(self.dirs)
            return self._stats

    def _loaded_stats(self) -> IncomeStats | None:
        """The statistics, read now (``None`` if they cannot be: the error is then raised where
        they are used, as without the cache)."""
        from ..errors import PremiumCalcError
        from .income import IncomeStats

        stats = IncomeStats(self.dirs)
        try:
            stats.rows()
        except PremiumCalcError:
            return None
        return stats

    def benefit_book(self) -> BenefitBook:
        """The benefit files of this book's rate directories (``benefits/``; read on first use,
        then shared): user directories first, as for rate files."""
        from .benefits import BenefitBook

        with self._lock:
            if self._benefits is None:
                self._benefits = BenefitBook(self.dirs)
            return self._benefits

    def national_minimum(self, year: int) -> Decimal | None:
        """The national minimum individual contribution for a coverage year, if known."""
        try:
            entry = self.region("cn").year(year)
        except UnknownRegionError:
            return None
        if entry is None or not entry[1].category:
            return None
        amount = entry[1].category[0].individual
        return amount if isinstance(amount, Decimal) else None


def _line(path: Path, key: tuple[str | int, ...]) -> int | None:
    try:
        return line_of(path.read_text(encoding="utf-8"), key)
    except OSError:
        return None


def iter_schedules(book: RateBook, regions: Iterable[str] | None = None) -> Iterator[Schedule]:
    """Every (region, year) schedule in the book (for validation, snapshots, comparisons)."""
    for region_id in regions if regions is not None else book.region_ids():
        for year in book.years(region_id):
            yield book.schedule(region_id, year)


def _place_label(gazetteer: Gazetteer, place: Place) -> str:
    """A place as a person tells it from its namesakes: ``贵州省 毕节市 威宁彝族回族苗族自治县 (520526)``."""
    names = [a.name for a in gazetteer.ancestors(place)] + [place.name]
    return f"{' '.join(names)} ({place.code})"


def _expect_region_text(value: object, name: str = "region_id") -> None:
    from ..errors import expect_type

    expect_type(value, str, name, "a region id or name (text)")
