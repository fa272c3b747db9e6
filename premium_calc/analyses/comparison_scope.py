"""What a comparison covers: which regions (``--all``, ``--level``), which of them have no
entry for the year (every province accounted for), and the one income denominator of a table.
"""

from __future__ import annotations

from typing import Literal

from .._frozen import Frozen
from ..errors import OptionError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.income import IncomeFigure, IncomeStats, check_statistic, stat_name
from ..ratefiles.model import Name

#: How a table's burden is measured: the national figure of a statistic for every region,
#: each region's own (province's) figure, or the household's own income.
Basis = Literal["national", "own", "household"]
LEVELS = ("province", "city")


class MissingRegion(Frozen):
    """A region without an entry for the coverage year (or a province without a rate file)."""

    region: str
    name: Name
    level: str
    reason: Note
    available: list[int]
    #: For a province: its cities that do have an entry for the year (ranked on their own).
    cities_with_data: list[str]


def parse_income(text: str) -> tuple[Basis, str]:
    """``rural`` -> the national rural figure for every region; ``own`` / ``own:urban`` -> each
    region's own (province's) figure of that statistic."""
    raw = text.strip().lower()
    if raw == "own" or raw.startswith("own:"):
        return "own", raw.partition(":")[2] or "rural"
    return "national", raw


def check_level(level: str | None) -> str | None:
    if level is None or level in LEVELS:
        return level
    raise OptionError("--level", Note("compare.bad_level", value=repr(level), levels=", ".join(LEVELS)))


def region_level(book: RateBook, region_id: str) -> str:
    return book.region(region_id).data.region.level


def regions_with_year(book: RateBook, year: int) -> list[str]:
    """Every region whose own rate file has an entry for the coverage year."""
    return [r for r in book.region_ids() if year in book.years(r)]


def regions_for_all(book: RateBook, year: int, level: str | None = None) -> list[str]:
    """The regions ``--all`` ranks: those with an entry for the year (``cn`` is the reference
    line, not a row), of one level where asked."""
    out = [r for r in regions_with_year(book, year) if r != "cn"]
    return [r for r in out if level is None or region_level(book, r) == level]


def without_data(book: RateBook, year: int, level: str | None = None) -> list[MissingRegion]:
    """Every region (of the level) without an entry for the year, provinces first, and every
    province of the gazetteer without a rate file at all: with ``--all`` no province is left
    out silently."""
    from ..gazetteer import Gazetteer

    out: list[MissingRegion] = []
    ids = [r for r in book.region_ids() if r != "cn"]
    with_year = set(regions_with_year(book, year))
    for region_id in sorted(ids, key=lambda r: (r.count("/"), r)):
        lvl = region_level(book, region_id)
        if region_id in with_year or (level is not None and lvl != level):
            continue
        cities = [r for r in with_year if r.startswith(region_id + "/")] if lvl == "province" else []
        out.append(
            MissingRegion(
                region=region_id,
                name=book.region(region_id).name,
                level=lvl,
                reason=Note("compare.no_entry", year=year),
                available=book.years(region_id),
                cities_with_data=sorted(cities),
            )
        )
    if level in (None, "province"):
        codes = {book.region(r).data.region.code for r in ids if region_level(book, r) == "province"}
        for place in Gazetteer.load().level("province"):
            if place.code in codes or not place.covered:
                continue
            out.append(
                MissingRegion(
                    region=place.code,
                    name=Name(zh=place.name, en=place.en or place.pinyin),
                    level="province",
                    reason=Note("compare.no_rate_file"),
                    available=[],
                    cities_with_data=[],
                )
            )
    return out


def provinces_total() -> int:
    """How many provinces the mainland has (31): the count ``--all`` accounts for."""
    from ..gazetteer import Gazetteer

    return len([p for p in Gazetteer.load().level("province") if p.covered])


def national_figure(stats: IncomeStats, statistic: str, year: int) -> tuple[IncomeFigure, list[Note]]:
    """The national figure of the income year (or the latest before it)."""
    return stats.for_region(statistic, year, ("cn",))


#: How many regions a refusal names (the count says how many there are).
SHOWN = 5


def own_figures(
    stats: IncomeStats, statistic: str, year: int, chains: dict[str, tuple[str, ...]]
) -> dict[str, tuple[IncomeFigure, list[Note]]]:
    """Each region's own (or its province's) figure; refuses (:class:`OptionError`, naming the
    regions without one and the way out) where any region has none of its own."""
    statistic = check_statistic(statistic, stats)
    out = {r: stats.for_region(statistic, year, chain) for r, chain in chains.items()}
    lacking = [r for r, (figure, _) in out.items() if figure.stands_in]
    if lacking:
        raise OptionError(
            "--income-stat",
            Note(
                "compare.own_income_missing",
                statistic=stat_name(statistic),
                year=year,
                count=len(lacking),
                regions=", ".join(lacking[:SHOWN])
                + (f" (+{len(lacking) - SHOWN})" if len(lacking) > SHOWN else ""),
                national=statistic,
            ),
        )
    return out
