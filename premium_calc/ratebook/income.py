"""Income statistics (NBS per-capita income, quintiles, medians) from ``rates/stats/``.

Series have a break: before 2013 rural income is *net* income (纯收入), from 2013
*disposable* income (可支配收入). Each figure carries its measure so that nothing chains
the two silently.

Statistics (ids): ``rural``, ``urban``, ``all`` (per-capita income of the region's population),
``q1``..``q5`` (national all-resident household quintiles) and ``median``, ``urban_median``,
``rural_median`` (per-capita median income of all residents, urban and rural residents; from
the ``[[median]]`` rows, national unless a statistics file gives regions).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from ..errors import StatisticNotFoundError
from ..messages import Note, tr
from ..ratefiles.income_model import (
    IncomeFile,
    IncomeRow,
    Measure,
    MedianRow,
    Population,
    QuintileRow,
)
from ..ratefiles.model import Name, Source
from ..ratefiles.pydantic_errors import validation_error
from ..ratefiles.reading import STATS_DIR, bundled_rates_dir, rate_dirs, read_toml

Statistic = Literal[
    "all", "urban", "rural", "q1", "q2", "q3", "q4", "q5", "median", "urban_median", "rural_median"
]


STATISTICS: tuple[str, ...] = (
    "rural",
    "urban",
    "all",
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "median",
    "urban_median",
    "rural_median",
)

#: The median statistics and the population whose median each is (``[[median]]`` rows).
MEDIANS: dict[str, Population] = {"median": "all", "urban_median": "urban", "rural_median": "rural"}

#: Other spellings accepted for a statistic id (after lower-casing, ``-`` and spaces as ``_``).
_ALIASES: dict[str, str] = {
    "all_median": "median",
    "median_all": "median",
    "median_urban": "urban_median",
    "median_rural": "rural_median",
}


def statistic_names() -> dict[str, tuple[str, str]]:
    """The name of each statistic in both languages (texts in the message catalog; asked for
    when needed, so that an English run never reads the Chinese catalog at import)."""
    return {s: (tr(f"statistic.{s}", "zh"), tr(f"statistic.{s}", "en")) for s in STATISTICS}


#: How many years older than the income year a regional figure may be (see
#: :meth:`IncomeStats.for_region`).
REGIONAL_YEARS_BACK = 3


def _province_chain(region: str) -> tuple[str, ...]:
    """``cn/a/b`` -> (``cn``, ``cn/a``, ``cn/a/b``): a region id's ancestors by its path."""
    parts = region.split("/")
    return tuple("/".join(parts[: i + 1]) for i in range(len(parts)))


class IncomeFigure(BaseModel):
    """One per-capita income figure with its provenance.

    ``region`` is the region the figure is of; ``for_region`` the region it was asked for
    (set by :meth:`IncomeStats.for_region`; ``None`` for a figure asked for by region, as
    :meth:`IncomeStats.figure` returns it). :attr:`stands_in` says whether the figure is of
    another region than the asked one or its province (a national figure standing in for a
    provincial one).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    statistic: str
    region: str
    year: int
    measure: Measure
    value: Decimal
    confidence: str
    source: Source
    #: The region asked for (the last of the chain given to :meth:`IncomeStats.for_region`).
    for_region: str | None = None
    #: The asked region and its ancestors, national root first (not in JSON output); empty:
    #: taken from the path of ``for_region`` (``cn/a/b`` -> ``cn``, ``cn/a``, ``cn/a/b``).
    for_chain: tuple[str, ...] = Field(default=(), exclude=True)
    #: The name of ``region`` where the caller knows it (shown instead of the id).
    region_name: Name | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def stands_in(self) -> bool:
        """True when the figure is not of the asked region or of one of its ancestors below
        the national root (its province, its city): e.g. the national rural income used for a
        county of a province that has no rural figure for the year. False for a figure asked
        for nationally, and for one that :meth:`IncomeStats.figure` returned (no ``for_region``).
        """
        if self.for_region is None:
            return False
        chain = self.for_chain or _province_chain(self.for_region)
        return len(chain) > 1 and self.region not in chain[1:]

    def message(self) -> Note:
        """The figure's name, region and year (``农村居民人均可支配收入 2024``) as a note."""
        family = "statistic_net" if self.measure == "net" else "statistic"
        where: object = "" if self.region == "cn" else f" ({self.region})"
        if self.region != "cn" and self.region_name is not None:
            where = Note("statistic.where", region=self.region_name)
        return Note("statistic.label", name=Note(f"{family}.{self.statistic}"), where=where, year=self.year)

    def label(self, lang: str = "en") -> str:
        """:meth:`message` in ``lang``."""
        return self.message().text(lang)


class IncomeStats:
    """The income statistics of one or more rate directories (read on first use).

    Every ``stats/*.toml`` of every directory is read (files in name order, directories in the
    order given: a rate book gives user directories first, the bundled tree last). Rows add
    up; where two rows give the same statistic for the same region, year and measure, the row
    read first wins, so a user's file overrides the bundled figure.
    """

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.dirs = rate_dirs(dirs) if dirs is not None else (bundled_rates_dir(),)
        self._lock = threading.Lock()
        self._income: list[IncomeRow] | None = None
        self._quintiles: list[QuintileRow] = []
        self._medians: list[MedianRow] = []
        #: (0: income rows, 1: median rows; region) -> its rows, in the order read.
        self._by_region: dict[tuple[int, str], list[IncomeRow | MedianRow]] = {}

    def _load(self) -> list[IncomeRow]:
        with self._lock:
            if self._income is None:
                income: list[IncomeRow] = []
                quintiles: list[QuintileRow] = []
                medians: list[MedianRow] = []
                for root in self.dirs:
                    folder = root / STATS_DIR
                    if not folder.is_dir():
                        continue
                    for path in sorted(folder.glob("*.toml")):
                        data = read_toml(path)
                        try:
                            parsed = IncomeFile.model_validate(data)
                        except ValidationError as exc:
                            raise validation_error(path, exc) from None
                        income += parsed.income
                        quintiles += parsed.quintile
                        medians += parsed.median
                self._quintiles = quintiles
                self._medians = medians
                by_region: dict[tuple[int, str], list[IncomeRow | MedianRow]] = {}
                tables: tuple[Sequence[IncomeRow | MedianRow], ...] = (income, medians)
                for kind, table in enumerate(tables):
                    for row in table:
                        by_region.setdefault((kind, row.region), []).append(row)
                self._by_region = by_region
                self._income = income
            return self._income

    def rows(self) -> list[IncomeRow]:
        return list(self._load())

    def quintile_rows(self) -> list[QuintileRow]:
        self._load()
        return list(self._quintiles)

    def median_rows(self) -> list[MedianRow]:
        self._load()
        return list(self._medians)

    def _population_rows(self, statistic: str) -> tuple[Sequence[IncomeRow | MedianRow], Population]:
        """The rows a population statistic (``rural`` .. ``rural_median``) is read from."""
        self._load()
        if statistic in MEDIANS:
            return self._medians, MEDIANS[statistic]
        assert self._income is not None
        return self._income, statistic  # type: ignore[return-value]

    def _region_rows(self, statistic: str, region: str) -> tuple[Sequence[IncomeRow | MedianRow], Population]:
        """:meth:`_population_rows` of one region only, in the order read (indexed by region
        when loaded: a look-up reads the rows of its region, not every county's)."""
        _, population = self._population_rows(statistic)
        return self._by_region.get((int(statistic in MEDIANS), region), ()), population

    def figure(
        self,
        statistic: str,
        year: int,
        *,
        region: str = "cn",
        measure: Measure | None = None,
    ) -> IncomeFigure | None:
        """The figure for exactly this statistic, region and year (disposable preferred)."""
        from ..errors import expect_type

        expect_type(statistic, str, "statistic", "an income statistic such as 'rural'")
        expect_type(year, int, "year", "a year (a whole number)")
        expect_type(region, str, "region", "a region id such as 'cn/hunan'")
        statistic = check_statistic(statistic, self)
        if statistic.startswith("q"):
            return self._quintile(statistic, year, measure) if region == "cn" else None
        rows, population = self._region_rows(statistic, region)
        candidates = [
            r
            for r in rows
            if r.year == year
            and getattr(r, population) is not None
            and (measure is None or r.measure == measure)
        ]
        if not candidates:
            return None
        row = min(candidates, key=lambda r: r.measure != "disposable")  # the first read wins ties
        value = getattr(row, population)
        assert value is not None
        return IncomeFigure(
            statistic=statistic,
            region=region,
            year=year,
            measure=row.measure,
            value=value,
            confidence=row.confidence_of(population),
            source=row.source,
        )

    def _quintile(self, statistic: str, year: int, measure: Measure | None) -> IncomeFigure | None:
        self._load()
        q = int(statistic[1:])
        for row in self._quintiles:
            if row.year == year and row.population == "all" and (measure in (None, row.measure)):
                return IncomeFigure(
                    statistic=statistic,
                    region="cn",
                    year=year,
                    measure=row.measure,
                    value=getattr(row, f"q{q}"),
                    confidence=row.confidence,
                    source=row.source,
                )
        return None

    def years(self, statistic: str, region: str = "cn") -> list[int]:
        """Years for which the statistic exists for a region."""
        if statistic.startswith("q"):
            if region != "cn":
                return []  # quintiles are national only (figure() has none for a province)
            self._load()
            return sorted({r.year for r in self._quintiles if r.population == "all"})
        rows, population = self._region_rows(statistic, region)
        return sorted({r.year for r in rows if getattr(r, population) is not None})

    def for_region(
        self,
        statistic: str,
        year: int,
        chain: Sequence[str],
        names: Mapping[str, Name] | None = None,
    ) -> tuple[IncomeFigure, list[Note]]:
        """The statistic for the region, or its nearest ancestor, for ``year`` or the latest
        year before it. Returns the figure and notes on any substitution made.

        ``chain`` is the region and its ancestors, national root first (``Schedule.chain``).
        The figure's ``for_region`` is the asked region (``chain[-1]``) and its
        :attr:`~IncomeFigure.stands_in` tells whether a figure of a region above the province
        (the nation) stood in for it. ``names`` (region id -> name) puts names in the notes.

        A regional figure may be up to :data:`REGIONAL_YEARS_BACK` years older than ``year``
        (provinces publish later than the nation, and a province's own figure of two years ago
        is a better measure of its households than this year's national one); only without
        one does the national figure stand in, and the first note then says so.
        """
        named = dict(names or {})

        def name(region: str) -> object:
            return named.get(region, region)

        statistic = check_statistic(statistic, self)
        notes: list[Note] = []
        for region in reversed(chain):
            # Regional figures must be of the year itself or the one before (a provincial
            # figure a decade old is no denominator for today's premium); the national
            # series may fall back to its latest year.
            earliest = year - REGIONAL_YEARS_BACK if region != "cn" else 0
            years = [y for y in self.years(statistic, region) if earliest <= y <= year]
            if not years:
                continue
            best = max(years)
            figure = self.figure(statistic, best, region=region)
            assert figure is not None
            figure = figure.model_copy(
                update={
                    "for_region": chain[-1],
                    "for_chain": tuple(chain),
                    "region_name": named.get(region),
                }
            )
            if figure.stands_in:
                notes.append(
                    Note(
                        "note.statistic_national_stands_in",
                        statistic=stat_name(statistic),
                        region=name(chain[-1]),
                        year=year,
                        back=REGIONAL_YEARS_BACK,
                    )
                )
            elif region != chain[-1]:
                notes.append(
                    Note(
                        "note.statistic_from_ancestor",
                        statistic=stat_name(statistic),
                        region=name(chain[-1]),
                        used=name(region),
                    )
                )
            if best != year:
                what = stat_name(statistic)
                notes.append(Note("note.statistic_earlier_year", statistic=what, year=year, used=best))
            return figure, notes
        have = ", ".join(map(str, self.years(statistic))) or Note("error.none")
        raise StatisticNotFoundError(
            Note(
                "error.no_statistic",
                statistic=stat_name(statistic),
                region=chain[-1],
                year=year,
                years=have,
            )
        )


_RURAL_QUINTILE = re.compile(r"^(rural[-_ ]?q[1-5]|q[1-5][-_ ]?rural)$")


def check_statistic(statistic: str, stats: IncomeStats | None = None) -> str:
    """The statistic id, validated: rural, urban, all, q1..q5, median, urban_median,
    rural_median (``median-rural``, ``median_urban``, ``all_median`` are accepted too). Rural
    quintiles are refused with the reason (not in the data)."""
    value = statistic.strip().lower()
    if value in STATISTICS:
        return value
    spelled = re.sub(r"[-\s]+", "_", value)
    spelled = _ALIASES.get(spelled, spelled)
    if spelled in STATISTICS:
        return spelled
    if _RURAL_QUINTILE.match(value):
        rural_years: list[int] = []
        if stats is not None:
            rural_years = sorted({r.year for r in stats.quintile_rows() if r.population == "rural"})
        old = (
            Note("error.rural_net_quintiles_only", years=", ".join(map(str, rural_years)))
            if rural_years
            else ""
        )
        raise StatisticNotFoundError(Note("error.no_rural_quintiles", old=old))
    raise StatisticNotFoundError(_unknown_statistic(statistic))


def _unknown_statistic(statistic: str) -> Note:
    return Note("error.unknown_statistic", statistic=repr(statistic), known=", ".join(STATISTICS))


def stat_name(statistic: str) -> Note:
    """The short name of a statistic id (``rural``: 农村居民) as a note, for texts about it."""
    return Note(f"statistic_short.{statistic}")


def statistic_name(statistic: str) -> Name:
    return Name(zh=tr(f"statistic.{statistic}", "zh"), en=tr(f"statistic.{statistic}", "en"))
