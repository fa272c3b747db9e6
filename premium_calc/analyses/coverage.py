"""Coverage: which regions have rates for which coverage years, and how far to trust them.

:func:`coverage` reads a :class:`~premium_calc.ratebook.RateBook` and returns a
:class:`Coverage`: one :class:`CoverageRow` per region (in tree order: a province, then its
cities, then their counties), one :class:`CoverageCell` per requested coverage year, and
:class:`CoverageCounts`. A cell records whether the region has an entry for the year, the
confidence of the resolved schedule (:attr:`Schedule.confidence <premium_calc.ratebook.
Schedule.confidence>`: the weakest of all its sources, inherited ones included) and whether the
entry only inherits (it has no categories of its own: every amount comes from the parent).

Nothing here prints: ``premium-calc rates coverage`` renders the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, cast

from .._frozen import Frozen
from ..errors import OptionError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.model import Confidence, Name
from ..ratefiles.reading import Region

#: The coverage years shown when none are asked for.
DEFAULT_YEARS: tuple[int, ...] = (2024, 2025, 2026)


#: The years a rate file may hold (schema bounds of ``coverage``).
MIN_YEAR, MAX_YEAR = 2000, 2100


CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")


class CoverageCell(Frozen):
    """One region in one coverage year."""

    year: int
    exists: bool
    #: Confidence of the resolved schedule (the weakest of its sources); None if no entry.
    confidence: Confidence | None = None
    #: True if the year's entry has no categories of its own (all amounts inherited);
    #: None if there is no entry.
    inherits: bool | None = None


class CoverageRow(Frozen):
    """One region: its cells for the requested years."""

    region: str
    name: Name
    level: str
    parent: str | None
    #: Indentation in the matrix: 0 for the national file and provinces, 1 for a city, 2 for
    #: a county under a city.
    depth: int
    cells: list[CoverageCell]
    #: Years the region has outside the requested ones (e.g. Suzhou 2022).
    other_years: list[int]

    @property
    def years(self) -> list[int]:
        """The requested years the region has an entry for."""
        return [c.year for c in self.cells if c.exists]


class CoverageCounts(Frozen):
    """Totals over the matrix."""

    regions: int
    years: int
    #: Region-year cells with an entry.
    entries: int
    #: Cells without one (regions x years - entries).
    missing: int
    #: Entries by schedule confidence (always the keys high, medium, low).
    by_confidence: dict[Confidence, int]
    #: Entries by coverage year.
    by_year: dict[int, int]
    #: Entries that only inherit (no categories of their own).
    inherits: int
    #: Regions with no entry in any of the requested years.
    regions_without_years: list[str]
    #: Regions with no year at all (region-only files: Hainan, city-pooled provinces).
    regions_without_any_year: list[str]


class Coverage(Frozen):
    """The coverage matrix: regions x coverage years, with counts."""

    years: list[int]
    rows: list[CoverageRow]
    counts: CoverageCounts

    def row(self, region: str) -> CoverageRow:
        """The row of a region id (KeyError if it is not in the book)."""
        for r in self.rows:
            if r.region == region:
                return r
        raise KeyError(region)

    def cell(self, region: str, year: int) -> CoverageCell:
        """The cell of a region id and a requested year (KeyError otherwise)."""
        for c in self.row(region).cells:
            if c.year == year:
                return c
        raise KeyError((region, year))


_PART = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


def parse_years(text: str) -> list[int]:
    """``"2024-2026"`` -> [2024, 2025, 2026]; also ``"2025"`` and lists ``"2004-2010,2025"``.

    Raises PremiumCalcError (one line) for anything else.
    """
    years: set[int] = set()
    parts = text.split(",")
    for part in parts:
        match = _PART.match(part)
        if match is None:
            raise OptionError("years", Note("error.years_not_a_range", text=repr(text)))
        start = int(match[1])
        end = int(match[2]) if match[2] else start
        if end < start:
            backwards = Note("error.years_backwards", part=repr(part.strip()), start=start, end=end)
            raise OptionError("years", backwards)
        for year in (start, end):
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise OptionError(
                    "years", Note("error.years_out_of_range", year=year, low=MIN_YEAR, high=MAX_YEAR)
                )
        years.update(range(start, end + 1))
    return sorted(years)


def _depth(chain: list[Region]) -> int:
    """Ancestors below a country-level root (cn): provinces 0, cities 1, counties 2."""
    ancestors = len(chain) - 1
    if ancestors and chain[0].data.region.level == "country":
        ancestors -= 1
    return ancestors


def _tree_order(book: RateBook) -> list[str]:
    """Region ids with every child right after its parent (siblings by id)."""
    ids = book.region_ids()
    children: dict[str | None, list[str]] = {}
    for region_id in ids:
        parent = book.region(region_id).parent
        if parent is not None and parent not in ids:
            parent = None  # an unknown parent: schedule() reports it; list the region anyway
        children.setdefault(parent, []).append(region_id)
    out: list[str] = []

    def walk(node: str | None) -> None:
        for child in sorted(children.get(node, [])):
            if child in out:  # a cycle: chain() reports it when the region is used
                continue
            out.append(child)
            walk(child)

    walk(None)
    out += [r for r in ids if r not in out]  # regions only reachable through a cycle
    return out


def coverage(book: RateBook, years: Iterable[int] | None = None) -> Coverage:
    """The coverage matrix of a rate book for some coverage years (default 2024-2026).

    Every rate file is read and every existing region-year is resolved, so a malformed file
    raises its :class:`~premium_calc.errors.RateFileError` here.
    """
    wanted = sorted(set(years)) if years is not None else list(DEFAULT_YEARS)
    if not wanted:
        raise OptionError("years", Note("error.years_none"))
    rows: list[CoverageRow] = []
    for region_id in _tree_order(book):
        region = book.region(region_id)
        chain = book.chain(region_id)
        have = set(region.years())
        cells: list[CoverageCell] = []
        for year in wanted:
            found = region.year(year)
            if found is None:
                cells.append(CoverageCell(year=year, exists=False))
                continue
            schedule = book.schedule(region_id, year)
            cells.append(
                CoverageCell(
                    year=year,
                    exists=True,
                    confidence=cast(Confidence, schedule.confidence),
                    inherits=not found[1].category,
                )
            )
        info = region.data.region
        rows.append(
            CoverageRow(
                region=region_id,
                name=info.name,
                level=info.level,
                parent=info.parent,
                depth=_depth(chain),
                cells=cells,
                other_years=sorted(have - set(wanted)),
            )
        )
    return Coverage(years=wanted, rows=rows, counts=_count(rows, wanted))


def _count(rows: list[CoverageRow], years: list[int]) -> CoverageCounts:
    cells = [c for r in rows for c in r.cells if c.exists]
    by_confidence: dict[Confidence, int] = dict.fromkeys(CONFIDENCES, 0)
    for c in cells:
        assert c.confidence is not None
        by_confidence[c.confidence] += 1
    by_year = {y: sum(1 for c in cells if c.year == y) for y in years}
    return CoverageCounts(
        regions=len(rows),
        years=len(years),
        entries=len(cells),
        missing=len(rows) * len(years) - len(cells),
        by_confidence=by_confidence,
        by_year=by_year,
        inherits=sum(1 for c in cells if c.inherits),
        regions_without_years=[r.region for r in rows if not r.years],
        regions_without_any_year=[r.region for r in rows if not r.years and not r.other_years],
    )


CellKind = Literal["high", "medium", "low", "none"]


def cell_kind(cell: CoverageCell) -> CellKind:
    """``high``/``medium``/``low`` for an entry, ``none`` for a missing year."""
    return cell.confidence if cell.exists and cell.confidence is not None else "none"
