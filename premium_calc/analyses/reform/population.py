"""A population under a reform: the same households priced under the baseline and under the
reform, in exact integer fen, and compared (:mod:`.population_compare`).

The reform side prices every (region, year) group with the reformed schedule (value changes
applied: ``book`` is then the reform's ``ReformedBook``) and, where the reform has a
``[contribution]``, replaces each member's gross **before assistance** by the contribution
schedule's amount (:func:`~.contribution_arrays.member_amounts_fen`): members it applies to
(priced residents of a category it covers, not enrolled late) pay its amount; exempt members
and members beyond ``max_paying_members`` 0; the others keep the rate files' amount.
Assistance is then applied to the new gross by the engine's own rules (the household path's
``ScheduleAssist.paid``: a fixed ``pays`` is ``min(pays, gross)``, ``pays_share`` is ``gross x
share`` half-up to the fen, ``assistance`` is ``max(gross - assistance, 0)``); a member whose
assistance amount is unknown stays bounded (pays between 0 and the gross), never 0.

A member whose amount cannot be known (a household without a known income, and the reform's
``unknown_income`` rule gives nothing to stand in) is not priced: its household is counted as
unpriced, never charged 0.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from ...household.batch import BatchResult, category_codes, household_sums, price_batch
from ...household.batch_rules import NO_AMOUNT, OK
from ...household.compiled import price_members
from ...household.member_table import GROUP_BITS, MemberTable
from ...household.rules import check_tier
from ..population.columns import Population
from ..population.pricing import Group, PopulationResult, price_population
from ..population.summary import StandardUsed
from .contribution import ADULT_AGE, Brackets, FlatReductions, IncomeShare
from .contribution_arrays import NOT_SUBJECT, UNKNOWN, member_amounts_fen
from .population_compare import PairedHouseholds, ReformPopulationSummary, RelativeTo, summarise_reform

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ...ratebook.schedule import Schedule

    ContributionRule = IncomeShare | Brackets | FlatReductions

#: The regional per-capita income standing in for a household's unknown income, per schedule:
#: (schedule) -> yuan per person, or None (none in the data).
StandIn = Callable[["Schedule"], "Decimal | None"]


def contribution_pricer(
    contribution: ContributionRule,
    population: Population,
    stand_in: StandIn | None = None,
) -> Callable[[Schedule, MemberTable, str | None, NDArray[np.int64]], BatchResult]:
    """The hook :func:`~premium_calc.analyses.population.pricing.price_population` calls for
    each group: categories by the rate files, gross replaced by ``contribution``, then
    assistance and late enrolment by the engine (see the module docstring)."""

    def price(
        schedule: Schedule, table: MemberTable, tier: str | None, households: NDArray[np.int64]
    ) -> BatchResult:
        if schedule.late is None and table.any_late:
            return price_batch(schedule, table, tier=tier)  # raises as the baseline does
        chosen = check_tier(schedule, tier)
        category, status, gross = category_codes(schedule, table, chosen)
        gross = gross.copy()
        status = status.copy()
        ids = [c.id for c in schedule.categories]
        covered = np.array(
            [contribution.applies_to is None or i in contribution.applies_to for i in ids] + [False]
        )
        exempt_cat = np.array([i in contribution.exempt_categories for i in ids] + [False])
        applies = (status == OK) & ~table.late & covered[category]
        mask = sum(GROUP_BITS[g] for g in contribution.exempt_groups if g in GROUP_BITS)
        exempt = ((table.groups & mask) != 0) | exempt_cat[category]
        local = np.searchsorted(households, table.household).astype(np.int64)
        size = population.members[households]
        stand = None
        per_head = stand_in(schedule) if stand_in is not None else None
        if per_head is not None:
            stand = np.full(households.shape[0], int(per_head * 100), dtype=np.int64) * size
        amounts = member_amounts_fen(
            contribution,
            household=local,
            applies=applies,
            exempt=exempt,
            adult=table.age >= ADULT_AGE,
            standard_fen=np.where(status == OK, gross, -1),
            household_income_fen=population.income_fen[households],
            household_size=size,
            stand_in_income_fen=stand,
        )
        subject = amounts != NOT_SUBJECT
        gross = np.where(subject & (amounts >= 0), amounts, gross)
        unknown = amounts == UNKNOWN
        status[unknown] = NO_AMOUNT
        gross[unknown] = 0
        outcomes = price_members(schedule, table, chosen, category, status, gross)
        return household_sums(table, outcomes)

    return price


def statistic_stand_in(book: Any, setting: str = "rural") -> StandIn:
    """The stand-in of the household path for an unknown income: the regional per-capita
    income statistic of the year before the coverage year (``setting``: rural, urban or all),
    found along the schedule's chain; ``None`` where the data has none."""
    from ...errors import PremiumCalcError

    seen: dict[tuple[tuple[str, ...], int], Decimal | None] = {}

    def per_head(schedule: Schedule) -> Decimal | None:
        key = (schedule.chain, schedule.coverage_year)
        if key not in seen:
            try:
                names = {r: book.region(r).name for r in schedule.chain}
                figure, _ = book.income_stats().for_region(setting, schedule.coverage_year - 1,
                                                           schedule.chain, names)  # fmt: skip
                seen[key] = figure.value if figure is not None else None
            except PremiumCalcError:
                seen[key] = None
        return seen[key]

    return per_head


def _plain(schedule: Schedule, table: MemberTable, tier: str | None, households: Any) -> BatchResult:
    return price_batch(schedule, table, tier=tier)


def price_reform(
    book: Any,
    population: Population,
    *,
    contribution: ContributionRule | None = None,
    stand_in: StandIn | None = None,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
) -> PopulationResult:
    """The population priced under a reform: ``book`` (a ``ReformedBook``, or the RateBook
    itself for a contribution-only reform) gives each group's schedule; ``contribution``
    replaces the flat amounts (see the module docstring)."""
    price = contribution_pricer(contribution, population, stand_in) if contribution is not None else _plain
    return price_population(book, population, region=region, year=year, tier=tier, price=price)


def unknown_income_households(result: PopulationResult) -> int:
    """Weight units of households without a known income (whatever the reform does with them)."""
    return int(result.population.weight[result.population.income_fen < 0].sum())


def group_notes(results: list[PopulationResult]) -> tuple[tuple[Any, ...], tuple[StandardUsed, ...]]:
    """The notes and standards of the baseline's groups over batches, as ``population`` gives
    them (a standard from a parent region, national minimums standing in, low confidence, no
    standard; rows dropped): the marks survive a reform run."""
    from ..population.run import run_notes, standard_used

    groups: dict[tuple[str, int], Group] = {}
    skipped: list[Any] = []
    dropped = 0
    for result in results:
        for g in result.groups:
            groups.setdefault((g.region or g.query, g.year), g)
        skipped.extend(result.population.skipped)
        dropped += result.population.dropped_rows
    standards = tuple(standard_used(k, g) for k, g in sorted(groups.items()))
    return run_notes(groups, skipped, dropped), standards


def pair_batches(
    book: Any,
    reformed: Any,
    batches: list[Population],
    *,
    contribution: ContributionRule | None = None,
    stand_in: StandIn | None = None,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[PairedHouseholds, tuple[Any, ...], tuple[StandardUsed, ...]]:
    """Every batch priced under the baseline and the reform: the paired households (all
    batches), and the notes and standards of the baseline's groups. ``progress`` is called
    with the households done."""
    kw: dict[str, Any] = {"region": region, "year": year, "tier": tier}
    pairs, bases, done = [], [], 0
    for pop in batches:
        base = price_population(book, pop, **kw)
        new = price_reform(reformed, pop, contribution=contribution, stand_in=stand_in, **kw)
        pairs.append(PairedHouseholds.of(base, new))
        bases.append(base)
        done += pop.households
        if progress is not None:
            progress(done)
    notes, standards = group_notes(bases)
    return PairedHouseholds.concat(pairs), notes, standards


def compare_reform(
    book: Any,
    reformed: Any,
    population: Population,
    *,
    contribution: ContributionRule | None = None,
    stand_in: StandIn | None = None,
    region: str | None = None,
    year: int | None = None,
    tier: str | None = None,
    relative_to: RelativeTo = "premium",
    thresholds: tuple[Decimal, ...] = (Decimal("0.05"), Decimal("0.10")),
    notes: tuple[Any, ...] = (),
) -> tuple[ReformPopulationSummary, PairedHouseholds]:
    """Baseline (``book``) and reform (``reformed`` and ``contribution``) for the same
    households, summarised; also the paired households (for a response scenario)."""
    base = price_population(book, population, region=region, year=year, tier=tier)
    new = price_reform(reformed, population, contribution=contribution, stand_in=stand_in,
                       region=region, year=year, tier=tier)  # fmt: skip
    pairs = PairedHouseholds.of(base, new)
    more, standards = group_notes([base])
    summary = summarise_reform(
        pairs, relative_to=relative_to, thresholds=thresholds, notes=(*notes, *more), standards=standards
    )
    return summary, pairs


def total_paid(result: PopulationResult) -> int:
    """What the priced households pay at most, in fen x weight units (exact)."""
    from .population_compare import wsum

    ok = result.status <= 1  # priced or bounded
    return wsum(np.where(ok, result.paid_fen, 0), result.population.weight)


__all__ = [
    "compare_reform", "contribution_pricer", "group_notes", "pair_batches", "price_reform",
    "statistic_stand_in", "total_paid", "unknown_income_households",
]  # fmt: skip
