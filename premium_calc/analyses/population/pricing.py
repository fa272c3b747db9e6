"""Pricing a population under any mix of regions and years.

Households are grouped by (region, coverage year); each group is priced with its own resolved
standard (:meth:`RateBook.standard <premium_calc.ratebook.book.RateBook.standard>`, so a county
without a rate file gets its city's, province's or the national standard, and the group says
so) by the integer-fen engine. A group that cannot be priced at all (an unknown region, a year
no level covers) leaves its households unpriced with the reason, never a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import PremiumCalcError
from ...household.batch import BatchResult, price_batch, run_sums, to_fen
from ...household.batch_rules import ASSIST_UNKNOWN, EMPLOYEE, LATE, OK
from ...household.member_table import MemberTable
from ...messages import Note
from .columns import Population

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ...ratebook.book import RateBook
    from ...ratebook.schedule import Schedule

#: A reform's pricing of one group: (schedule, member table, tier, household indices) -> result.
PriceGroup = Callable[["Schedule", MemberTable, "str | None", "NDArray[np.int64]"], BatchResult]

# Household status codes.
PRICED, BOUNDED, UNPRICED, NO_STANDARD = 0, 1, 2, 3
HOUSEHOLD_STATUS = {PRICED: "priced", BOUNDED: "assistance unknown", UNPRICED: "member not priced",
                    NO_STANDARD: "no standard"}  # fmt: skip


@dataclass(frozen=True)
class Group:
    """One (region, year) group of a population and the standard it was priced with."""

    query: str  # the region as the population wrote it
    year: int
    households: int
    region: str | None = None  # the resolved rate region
    standard_from: str | None = None  # whose entry set the amounts
    national_fallback: bool = False  # amounts are the national minimums (at least)
    subsidy_at_least: bool = False  # a subsidy is the national one standing in (不低于)
    confidence: str | None = None
    notes: tuple[Any, ...] = ()
    error: Note | None = None  # why the group could not be priced


@dataclass(frozen=True)
class PopulationResult:
    """Per-household results of a population, in integer fen (see :data:`HOUSEHOLD_STATUS`)."""

    population: Population
    group: NDArray[np.int32]  # per household: index into groups
    groups: tuple[Group, ...]
    status: NDArray[np.int8]
    gross_fen: NDArray[np.int64]  # 0 where not priced
    paid_fen: NDArray[np.int64]  # the most the household pays (0 where not priced)
    paid_low_fen: NDArray[np.int64]  # the least (= paid_fen unless assistance is unknown)
    subsidy_fen: NDArray[np.int64]  # the fiscal subsidy of its members; -1 where unknown
    #: The engine's results per group (member by member), in the order of ``groups``.
    batches: tuple[BatchResult | None, ...] = field(default=(), repr=False)
    #: Member rows of each group in the population's member table.
    member_rows: tuple[NDArray[np.int64], ...] = field(default=(), repr=False)

    @property
    def households(self) -> int:
        return int(self.status.shape[0])

    @property
    def priced(self) -> NDArray[np.bool_]:
        return np.asarray(self.status == PRICED)

    def household_columns(self) -> dict[str, NDArray[Any]]:
        """One entry per household (money in fen), for tables and files."""
        pop = self.population
        ok = self.status <= BOUNDED
        return {
            "household": pop.labels,
            "region": np.array([g.region or g.query for g in self.groups], dtype=object)[self.group],
            "year": np.array([g.year for g in self.groups], dtype=np.int64)[self.group],
            "members": pop.members,
            "weight": pop.weight,
            "income_fen": pop.income_fen,
            "gross_fen": np.where(ok, self.gross_fen, -1),
            "paid_low_fen": np.where(ok, self.paid_low_fen, -1),
            "paid_high_fen": np.where(ok, self.paid_fen, -1),
            "subsidy_fen": self.subsidy_fen,
            "status": self.status,
        }

    def to_arrow(self) -> Any:
        """:meth:`household_columns` as an Arrow table (money in integer fen, -1 where unknown)."""
        import pyarrow as pa

        columns = self.household_columns()
        return pa.Table.from_arrays([pa.array(v) for v in columns.values()], names=list(columns))

    def to_pandas(self) -> Any:
        """:meth:`household_columns` as a pandas DataFrame (needs pandas)."""
        return self.to_arrow().to_pandas()

    def member_columns(self) -> dict[str, NDArray[Any]]:
        """One entry per member, in the population's order: household (index), category
        (index into its group's schedule, -1 none), status (the engine's codes), gross, paid
        (at most) and least paid, in fen; members of groups without a standard are -1."""
        n = len(self.population.table)
        names = ("category", "status", "gross_fen", "paid_fen", "paid_low_fen")
        out = {name: np.full(n, -1, dtype=np.int64) for name in names}
        for rows, batch in zip(self.member_rows, self.batches, strict=True):
            if batch is None:
                continue
            out["category"][rows] = batch.category
            out["status"][rows] = batch.status
            out["gross_fen"][rows] = batch.gross_fen
            out["paid_fen"][rows] = batch.paid_fen
            out["paid_low_fen"][rows] = batch.paid_low_fen
        return {"household": self.population.table.household, **out}


def price_population(
    book: RateBook,
    population: Population,
    *,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    price: PriceGroup | None = None,
) -> PopulationResult:
    """Price every household under the standard of its own region and year (the columns), or
    of ``region`` / ``year`` where the population has none.

    ``price`` (a reform's hook) prices each group instead of :func:`price_batch`: it gets the
    group's schedule, member table, tier and the indices of its households in the population.
    ``book`` may then be anything with the ``standard(region, year)`` of a RateBook."""
    from ...errors import expect_type
    from ...ratebook.book import RateBook

    if price is None:
        expect_type(book, RateBook, "book", "a RateBook")
    expect_type(
        population, Population, "population", "a Population (from_columns(...) or synthetic_population(...))"
    )
    if region is not None:
        expect_type(region, str, "region", "a region id or name (text)")
    if year is not None:
        expect_type(year, int, "year", "a coverage year (a whole number)")
    h = population.households
    regions = population.regions or (region or "",)
    region_of = population.region if population.region is not None else np.zeros(h, dtype=np.int32)
    if population.region is not None and region:
        regions = tuple(r or region for r in regions)
    if population.year is not None:
        year_of = population.year.astype(np.int64)
    else:
        year_of = np.full(h, year if year is not None else -1, dtype=np.int64)
    key = region_of.astype(np.int64) * 10_000 + np.where(year_of < 0, 0, year_of)
    combos, inverse = np.unique(key, return_inverse=True)
    group: NDArray[np.int32] = np.asarray(inverse.reshape(-1), dtype=np.int32)
    status = np.full(h, NO_STANDARD, dtype=np.int8)
    gross = np.zeros(h, dtype=np.int64)
    paid = np.zeros(h, dtype=np.int64)
    low = np.zeros(h, dtype=np.int64)
    subsidy = np.full(h, -1, dtype=np.int64)
    runs = population.table.runs
    assert runs is not None
    member_end = np.append(runs, len(population.table))
    groups: list[Group] = []
    batches: list[BatchResult | None] = []
    member_rows: list[NDArray[np.int64]] = []
    for index, combo in enumerate(combos.tolist()):
        query = regions[combo // 10_000]
        coverage = combo % 10_000
        households = np.flatnonzero(group == index)
        whole = len(combos) == 1
        rows = np.arange(len(population.table)) if whole else _member_rows(households, member_end)
        member_rows.append(rows)
        if not query or coverage == 0:
            what = Note("error.population_no_region") if not query else Note("error.population_no_year")
            groups.append(Group(query=query, year=coverage, households=households.size, error=what))
            batches.append(None)
            continue
        try:
            schedule = book.standard(query, coverage)
            table = population.table if len(combos) == 1 else population.table.take(rows)
            result = (
                price_batch(schedule, table, tier=tier)
                if price is None
                else price(schedule, table, tier, households)
            )
        except PremiumCalcError as exc:
            groups.append(Group(query=query, year=coverage, households=households.size, error=exc.note))
            batches.append(None)
            continue
        groups.append(
            Group(
                query=query,
                year=coverage,
                households=households.size,
                region=schedule.region,
                standard_from=schedule.standard_from,
                national_fallback=schedule.national_fallback,
                subsidy_at_least=_subsidy_floor(schedule),
                confidence=schedule.confidence,
                notes=tuple(schedule.notes),
            )
        )
        batches.append(result)
        gross[households] = result.household_gross_fen
        paid[households] = result.household_paid_fen
        low[households] = result.household_paid_low_fen
        status[households] = np.where(result.valid, PRICED, np.where(result.bounded, BOUNDED, UNPRICED))
        subsidy[households] = _subsidies(schedule, result)
    unpriced = status >= UNPRICED
    return PopulationResult(
        population=population,
        group=group,
        groups=tuple(groups),
        status=status,
        gross_fen=np.where(unpriced, 0, gross),
        paid_fen=np.where(unpriced, 0, paid),
        paid_low_fen=np.where(unpriced, 0, low),
        subsidy_fen=np.where(unpriced, -1, subsidy),
        batches=tuple(batches),
        member_rows=tuple(member_rows),
    )


def _member_rows(households: NDArray[np.int64], member_end: NDArray[np.int64]) -> NDArray[np.int64]:
    """The member rows of the given households (each a contiguous run)."""
    starts, ends = member_end[households], member_end[households + 1]
    sizes = ends - starts
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.arange(int(sizes.sum()), dtype=np.int64) + offsets


def _subsidies(schedule: Schedule, result: BatchResult) -> NDArray[np.int64]:
    """Each household's fiscal subsidy: the per-person subsidy of its members' categories
    (employees none); -1 where a member's category has no subsidy in the data."""
    amounts = [to_fen(c.subsidy) if c.subsidy is not None else -1 for c in schedule.categories]
    per_category = np.array([*amounts, -1], dtype=np.int64)  # category -1: none
    # Late enrollees pay the whole cost themselves (no subsidy), as in the one-household path.
    enrolled = np.isin(result.status, (OK, ASSIST_UNKNOWN))
    none = (result.status == EMPLOYEE) | (result.status == LATE)
    member = np.where(enrolled, per_category[result.category], np.where(none, 0, -1))
    unknown = member < 0
    starts = result.household_starts
    if starts is None:
        _, slot = np.unique(np.asarray(result.households), return_inverse=True)
        total = np.bincount(slot, weights=np.where(unknown, 0, member), minlength=result.households.shape[0])
        missing = np.bincount(slot, weights=unknown, minlength=result.households.shape[0])
        return np.where(missing > 0, -1, total.astype(np.int64))
    total = run_sums(np.where(unknown, 0, member), starts)
    missing = run_sums(unknown, starts)
    return np.where(missing > 0, -1, total)


def _subsidy_floor(schedule: Schedule) -> bool:
    """Whether a category's subsidy is the national figure standing in for a local one."""
    return schedule.region != "cn" and any(
        c.subsidy_origin is not None and c.subsidy_origin.region == "cn" for c in schedule.categories
    )
