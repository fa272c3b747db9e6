"""Income statistics (NBS per-capita income, quintiles, medians) from ``rates/stats/``.

Series have a break: before 2013 rural income is *net* income (纯收入), from 2013
*disposable* income (可支配收入). Each figure carries its measure so that nothing chains
the two silently.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import StatisticNotFoundError
from ..messages import Note, tr
from ..ratefiles.income_model import IncomeFile, IncomeRow, Measure, Population, QuintileRow
from ..ratefiles.model import Name, Source
from ..ratefiles.pydantic_errors import validation_error
from ..ratefiles.reading import STATS_DIR, bundled_rates_dir, read_toml

Statistic = Literal["all", "urban", "rural", "q1", "q2", "q3", "q4", "q5"]


STATISTICS: tuple[str, ...] = ("rural", "urban", "all", "q1", "q2", "q3", "q4", "q5")


#: The name of each statistic in both languages (texts in the message catalog).
STATISTIC_NAMES: dict[str, tuple[str, str]] = {
    s: (tr(f"statistic.{s}", "zh"), tr(f"statistic.{s}", "en")) for s in STATISTICS
}


class IncomeFigure(BaseModel):
    """One per-capita income figure with its provenance."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    statistic: str
    region: str
    year: int
    measure: Measure
    value: Decimal
    confidence: str
    source: Source

    def message(self) -> Note:
        """The figure's name, region and year (``农村居民人均可支配收入 2024``) as a note."""
        family = "statistic_net" if self.measure == "net" else "statistic"
        where = "" if self.region == "cn" else f" ({self.region})"
        return Note("statistic.label", name=Note(f"{family}.{self.statistic}"), where=where, year=self.year)

    def label(self, lang: str = "en") -> str:
        """:meth:`message` in ``lang``."""
        return self.message().text(lang)


class IncomeStats:
    """The income statistics of one or more rate directories (read on first use)."""

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.dirs = tuple(dirs) if dirs is not None else (bundled_rates_dir(),)
        self._lock = threading.Lock()
        self._income: list[IncomeRow] | None = None
        self._quintiles: list[QuintileRow] = []

    def _load(self) -> list[IncomeRow]:
        with self._lock:
            if self._income is None:
                income: list[IncomeRow] = []
                quintiles: list[QuintileRow] = []
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
                self._quintiles = quintiles
                self._income = income
            return self._income

    def rows(self) -> list[IncomeRow]:
        return list(self._load())

    def quintile_rows(self) -> list[QuintileRow]:
        self._load()
        return list(self._quintiles)

    def figure(
        self,
        statistic: str,
        year: int,
        *,
        region: str = "cn",
        measure: Measure | None = None,
    ) -> IncomeFigure | None:
        """The figure for exactly this statistic, region and year (disposable preferred)."""
        if statistic.startswith("q"):
            return self._quintile(statistic, year, measure) if region == "cn" else None
        population: Population = statistic  # type: ignore[assignment]
        candidates = [
            r
            for r in self._load()
            if r.year == year
            and r.region == region
            and getattr(r, population) is not None
            and (measure is None or r.measure == measure)
        ]
        if not candidates:
            return None
        row = min(candidates, key=lambda r: r.measure != "disposable")
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
        return sorted(
            {r.year for r in self._load() if r.region == region and getattr(r, statistic) is not None}
        )

    def for_region(
        self,
        statistic: str,
        year: int,
        chain: Sequence[str],
    ) -> tuple[IncomeFigure, list[Note]]:
        """The statistic for the region, or its nearest ancestor, for ``year`` or the latest
        year before it. Returns the figure and notes on any substitution made."""
        if statistic not in STATISTICS:
            raise StatisticNotFoundError(_unknown_statistic(statistic))
        notes: list[Note] = []
        for region in reversed(chain):
            # Regional figures must be of the year itself or the one before (a provincial
            # figure a decade old is no denominator for today's premium); the national
            # series may fall back to its latest year.
            earliest = year - 1 if region != "cn" else 0
            years = [y for y in self.years(statistic, region) if earliest <= y <= year]
            if not years:
                continue
            best = max(years)
            figure = self.figure(statistic, best, region=region)
            assert figure is not None
            if region != chain[-1]:
                notes.append(
                    Note(
                        "note.statistic_from_ancestor", statistic=stat_name(statistic), region=chain[-1],
                        used=region,
                    )
                )
            if best != year:
                name = stat_name(statistic)
                notes.append(Note("note.statistic_earlier_year", statistic=name, year=year, used=best))
            return figure, notes
        have = ", ".join(map(str, self.years(statistic))) or Note("error.none")
        raise StatisticNotFoundError(
            Note(
                "error.no_statistic", statistic=stat_name(statistic), region=chain[-1], year=year,
                years=have,
            )
        )


_RURAL_QUINTILE = re.compile(r"^(rural[-_ ]?q[1-5]|q[1-5][-_ ]?rural)$")


def check_statistic(statistic: str, stats: IncomeStats | None = None) -> str:
    """The statistic id, validated: rural, urban, all, q1..q5. Rural quintiles are refused
    with the reason (not in the data)."""
    value = statistic.strip().lower()
    if value in STATISTICS:
        return value
    if _RURAL_QUINTILE.match(value):
        rural_years: list[int] = []
        if stats is not None:
            rural_years = sorted(
                {r.year for r in stats.quintile_rows() if r.population == "rural"}
            )
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
    zh, en = STATISTIC_NAMES[statistic]
    return Name(zh=zh, en=en)
