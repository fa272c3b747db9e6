"""A household's burden across a range of incomes, and the incomes where it crosses each threshold.

The household is priced once (:func:`~premium_calc.household.premium.calculate`, the pricing of
``premium-calc calc``); the premium does not depend on income under the rules in force today,
so every income of the sweep pays the same amount (the result says so in a note, and keeps a
premium per income for reforms that tier it by income).

Arithmetic, exact :class:`~decimal.Decimal` throughout, each value rounded half-up once, where
it is produced:

* burden = premium paid / income, to 4 decimals (``0.1143`` = 11.43%, as ``calc``); days of
  work = burden x 250 working days, to 2 decimals; income per person = income / members, to fen;
* whether the premium is above a threshold at an income compares exactly, without rounding:
  premium paid > threshold x income;
* the crossing of a threshold is the income below which the premium is more than that share
  of income: premium paid / threshold (400 x 4 / 0.05 = 32,000), rounded up to the fen where
  it has more decimals (400 / 0.03 = 13,333.33... -> 13,333.34), so that the statement holds
  in whole fen: below the crossing the premium is above the threshold, at it or above it not.

Where what the household pays is unknown (a member's assistance is not in the data), the
premium, the burden and the crossings are bounds (low .. high, or "at least" where there is no
upper bound), never 0 nor the full price.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, Decimal

from .._frozen import Frozen
from ..errors import HouseholdError, OptionError
from ..household.amounts import parse_yuan
from ..household.burden import DAYS_PLACES, DEFAULT_THRESHOLDS, RATIO_PLACES, WORKING_DAYS, check_thresholds
from ..household.members import Household
from ..household.premium import PremiumResult, calculate
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.model import Name
from ..units import FEN, half_up, money

#: The most incomes one sweep prices (a table of 200 rows is already long to read).
MAX_SWEEP_POINTS = 200


class SweepPoint(Frozen):
    """One income of the sweep: what the household pays there and how heavy it is."""

    income: Decimal
    income_per_capita: Decimal
    #: What the household pays at this income, or ``None`` where it is not known exactly; then
    #: ``paid_low`` .. ``paid_high`` bound it (``paid_high`` ``None``: no upper bound).
    paid: Decimal | None
    paid_low: Decimal
    paid_high: Decimal | None
    #: paid / income (4 decimals, half-up); ``None`` where the income is 0 or the premium unknown.
    burden_ratio: Decimal | None
    #: Where the premium is unknown, the burden of its bounds (``ratio_high`` ``None``: no upper
    #: bound); both ``None`` when the premium is known or the income is 0.
    ratio_low: Decimal | None = None
    ratio_high: Decimal | None = None
    days_of_work: Decimal | None
    #: Per threshold (in the order of ``SweepResult.thresholds``): whether the premium is more
    #: than that share of this income; ``None`` where the bounds of an unknown premium lie on
    #: both sides.
    above: list[bool | None]
    #: Why the burden is not a single number here (zero income, premium unknown), else ``None``.
    reason: Note | None = None


class SweepCrossing(Frozen):
    """Where a threshold is crossed: below ``income`` the premium is more than ``threshold`` of
    income, at or above it not. ``income`` is ``None`` where the premium is unknown; then
    ``income_low`` .. ``income_high`` bound the crossing (``income_high`` ``None``: no upper
    bound). A crossing of 0 means the household pays nothing: never above the threshold."""

    threshold: Decimal
    income: Decimal | None
    income_low: Decimal
    income_high: Decimal | None


class SweepResult(Frozen):
    """A household's burden across incomes (what ``premium-calc sweep --json`` prints)."""

    region: str
    region_name: Name
    coverage_year: int
    policy_year: int | None
    tier: str | None
    late: bool
    household_size: int
    #: The household priced once under the rules of the region and year.
    premium: PremiumResult
    #: Whether the premium changes with income (``False`` under every rule in force today).
    premium_depends_on_income: bool = False
    thresholds: list[Decimal]
    points: list[SweepPoint]
    crossings: list[SweepCrossing]
    notes: list[Note]


def income_range(start: Decimal, stop: Decimal, step: Decimal, *, option: str = "--income") -> list[Decimal]:
    """``start, start + step, ...`` up to ``stop`` (included when it falls on a step), exactly.

    Refuses (:class:`~premium_calc.errors.OptionError`) a negative start, a step that is not
    above 0, a stop below the start and more than :data:`MAX_SWEEP_POINTS` incomes."""
    if start < 0:
        raise OptionError(option, Note("error.sweep_negative", value=start))
    if step <= 0:
        raise OptionError(option, Note("error.sweep_step", step=step))
    if stop < start:
        raise OptionError(option, Note("error.sweep_order", start=start, stop=stop))
    count = int((stop - start) // step) + 1
    if count > MAX_SWEEP_POINTS:
        raise OptionError(option, Note("error.sweep_too_many", count=count, limit=MAX_SWEEP_POINTS))
    return [start + step * n for n in range(count)]


def parse_income_range(text: str, *, option: str = "--income") -> list[Decimal]:
    """``START:STOP:STEP`` in yuan as people write amounts (``5000:60000:5000``,
    ``5千：6万：5千``) as the incomes of :func:`income_range`; a malformed range is an
    :class:`~premium_calc.errors.OptionError` naming the part that is wrong."""
    shown = repr(text.strip()[:40])
    parts = unicodedata.normalize("NFKC", text).strip().split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise OptionError(option, Note("error.sweep_form", value=shown))
    values: list[Decimal] = []
    for part in parts:
        try:
            values.append(parse_yuan(part.strip(), field="income"))
        except HouseholdError as exc:
            raise OptionError(option, Note("error.sweep_amount", value=shown, reason=exc.note)) from None
    start, stop, step = values
    return income_range(start, stop, step, option=option)


def _checked_incomes(incomes: object) -> list[Decimal]:
    from ..errors import expect_type

    if isinstance(incomes, str | bytes) or not isinstance(incomes, Iterable):
        expect_type(incomes, list, "incomes", "a list of incomes in yuan such as [Decimal('14000')]")
    out: set[Decimal] = set()
    for value in incomes:  # type: ignore[attr-defined]
        expect_type(value, (Decimal, int), "incomes", "incomes in yuan as Decimals, such as Decimal('14000')")
        amount = Decimal(value)
        if not amount.is_finite() or amount < 0:
            raise OptionError("incomes", Note("error.sweep_negative", value=repr(str(value)[:40])))
        out.add(amount)
    if not out:
        raise OptionError("incomes", Note("error.sweep_empty"))
    if len(out) > MAX_SWEEP_POINTS:
        raise OptionError("incomes", Note("error.sweep_too_many", count=len(out), limit=MAX_SWEEP_POINTS))
    return sorted(out)


def _ratio(paid: Decimal, income: Decimal) -> Decimal:
    return half_up(paid / income, RATIO_PLACES)


def _point(premium: PremiumResult, size: int, income: Decimal, thresholds: Sequence[Decimal]) -> SweepPoint:
    paid, low, high = premium.total_paid, premium.total_paid_low, premium.total_paid_high
    per_capita = half_up(income / size, FEN)
    if paid is not None:
        above: list[bool | None] = [paid > t * income for t in thresholds]
    else:
        # Above for sure where even the lowest payment is; below for sure where the highest is not.
        above = [
            True if low > t * income else (False if high is not None and high <= t * income else None)
            for t in thresholds
        ]
    if income == 0:
        return SweepPoint(
            income=income,
            income_per_capita=per_capita,
            paid=paid,
            paid_low=low,
            paid_high=high,
            burden_ratio=None,
            days_of_work=None,
            above=above,
            reason=Note("note.burden_zero_income"),
        )
    if paid is None:
        return SweepPoint(
            income=income,
            income_per_capita=per_capita,
            paid=None,
            paid_low=low,
            paid_high=high,
            burden_ratio=None,
            ratio_low=_ratio(low, income),
            ratio_high=_ratio(high, income) if high is not None else None,
            days_of_work=None,
            above=above,
            reason=Note("note.burden_paid_unknown"),
        )
    exact = paid / income
    return SweepPoint(
        income=income,
        income_per_capita=per_capita,
        paid=paid,
        paid_low=paid,
        paid_high=paid,
        burden_ratio=half_up(exact, RATIO_PLACES),
        days_of_work=half_up(exact * WORKING_DAYS, DAYS_PLACES),
        above=above,
    )


def crossing_income(paid: Decimal, threshold: Decimal) -> Decimal:
    """The lowest income in whole fen at which ``paid`` is no longer more than ``threshold`` of
    it: paid / threshold, rounded up to the fen (once; exact quotients are kept as they are)."""
    return (paid / threshold).quantize(FEN, rounding=ROUND_CEILING)


def _crossing(premium: PremiumResult, threshold: Decimal) -> SweepCrossing:
    paid, low, high = premium.total_paid, premium.total_paid_low, premium.total_paid_high
    if paid is not None:
        at = crossing_income(paid, threshold)
        return SweepCrossing(threshold=threshold, income=at, income_low=at, income_high=at)
    return SweepCrossing(
        threshold=threshold,
        income=None,
        income_low=crossing_income(low, threshold),
        income_high=crossing_income(high, threshold) if high is not None else None,
    )


def income_sweep(
    book: RateBook,
    household: Household,
    region: str,
    year: int,
    incomes: Iterable[Decimal | int],
    thresholds: Sequence[Decimal] = DEFAULT_THRESHOLDS,
    *,
    tier: str | None = None,
    late: bool = False,
) -> SweepResult:
    """Price ``household`` once in ``region`` for coverage ``year`` and measure its burden at
    every income of ``incomes`` (yuan a year, for the whole household; any income the household
    itself gives is not used), with the income where each threshold is crossed.

    ``incomes`` are taken in increasing order, each once; at most :data:`MAX_SWEEP_POINTS`.
    ``thresholds`` are shares of income as for ``calc`` (``Decimal("0.05")`` is 5%)."""
    from ..errors import expect_type

    expect_type(book, RateBook, "book", "a RateBook")
    expect_type(household, Household, "household", "a Household (build_household(...))")
    expect_type(region, str, "region", "a region id or name (text)")
    expect_type(year, int, "year", "a coverage year (a whole number)")
    checked = check_thresholds(thresholds)
    values = _checked_incomes(incomes)
    premium = calculate(book.standard(region, year), household, tier=tier, late=late)
    size = household.size
    notes = list(premium.notes)
    if premium.total_paid is not None:
        notes.append(Note("note.sweep_flat", paid=money(premium.total_paid)))
    else:
        notes.append(Note("note.sweep_flat_unknown", low=money(premium.total_paid_low)))
    return SweepResult(
        region=premium.region,
        region_name=premium.region_name,
        coverage_year=premium.coverage_year,
        policy_year=premium.policy_year,
        tier=premium.tier,
        late=late,
        household_size=size,
        premium=premium,
        premium_depends_on_income=False,
        thresholds=list(checked),
        points=[_point(premium, size, income, checked) for income in values],
        crossings=[_crossing(premium, t) for t in checked],
        notes=notes,
    )


__all__ = [
    "MAX_SWEEP_POINTS",
    "SweepCrossing",
    "SweepPoint",
    "SweepResult",
    "crossing_income",
    "income_range",
    "income_sweep",
    "parse_income_range",
]
