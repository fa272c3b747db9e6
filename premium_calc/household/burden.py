"""How heavy a premium is: paid / income, per capita, months of income, days of work.

With a household income given, the burden is the household's premium over that income.
Without one, it is measured against a statistical income: the region's (or, failing that,
its nearest ancestor's) per-capita disposable income (rural by default) times the household
size, for the year the premium is paid in (coverage year - 1), or the latest year before it.
The result says which statistic and year were used.

Ratios are exact Decimal quotients quantized half-up: the burden ratio to 4 decimals
(0.1143 = 11.43%), months of income and days of work to 2 decimals.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..errors import expect_type
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.income import IncomeFigure, IncomeStats, check_statistic
from ..ratebook.schedule import Schedule
from ..ratefiles.model import Name
from ..units import half_up
from .members import Household
from .premium import PremiumResult, premium_fields
from .results import construct

#: Default affordability thresholds: premium paid as a share of household income.
DEFAULT_THRESHOLDS: tuple[Decimal, ...] = (Decimal("0.05"), Decimal("0.10"))


#: Working days a year: 365 - 104 weekend days - 11 public holidays
#: (劳动和社会保障部《关于职工全年月平均工作时间和工资折算问题的通知》劳社部发〔2008〕3号).
WORKING_DAYS = Decimal(250)


RATIO_PLACES = Decimal("0.0001")


DAYS_PLACES = Decimal("0.01")


def check_thresholds(values: object, name: str = "thresholds") -> tuple[Decimal, ...]:
    """Affordability thresholds, validated and sorted: shares of income strictly between 0 and
    1 (``Decimal("0.1")`` is 10%), given as Decimals or ints (a float is refused: it is not
    the number written). Anything else is an :class:`~premium_calc.errors.OptionError`."""
    if values is DEFAULT_THRESHOLDS:
        return DEFAULT_THRESHOLDS  # checked and sorted
    from ..errors import OptionError

    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        expect_type(values, list, name, "a list of shares of income such as [Decimal('0.1')]")
    out: list[Decimal] = []
    for value in values:  # type: ignore[attr-defined]
        expect_type(value, (Decimal, int), name, "shares of income as Decimals, such as Decimal('0.1')")
        shown = repr(str(value)[:40])
        if not Decimal(value).is_finite():
            raise OptionError(name, Note("error.threshold_not_a_number", value=shown))
        if not 0 < value < 1:
            raise OptionError(name, Note("error.threshold_out_of_range", value=shown))
        out.append(Decimal(value))
    return tuple(sorted(out))


class ThresholdCheck(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    threshold: Decimal
    exceeded: bool


class Burden(BaseModel):
    """The premium against income."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    income: Decimal | None
    income_basis: Literal["household", "statistic", "none", "incomplete"]
    statistic: IncomeFigure | None
    household_size: int
    income_per_capita: Decimal | None
    paid_per_member: Decimal | None
    burden_ratio: Decimal | None
    #: Where what the household pays is not known exactly (a member's assistance or amount is
    #: unknown), the burden of its bounds: ``ratio_high`` is ``None`` when there is no upper
    #: bound. Both are ``None`` when the payment is known (see ``burden_ratio``).
    ratio_low: Decimal | None = None
    ratio_high: Decimal | None = None
    months_of_income: Decimal | None
    days_of_work: Decimal | None
    thresholds: list[ThresholdCheck]
    computable: bool
    reason: Note | None
    notes: list[Note]


class Assessment(PremiumResult):
    """A household's premium and its burden (what ``premium-calc calc --json`` prints)."""

    income: Decimal | None
    burden_ratio: Decimal | None
    burden: Burden


def measure_burden(
    premium: PremiumResult,
    household: Household,
    *,
    statistic: IncomeFigure | None = None,
    thresholds: Sequence[Decimal] = DEFAULT_THRESHOLDS,
    notes: Sequence[Note] = (),
) -> Burden:
    """The burden of a priced household against its own income, or a statistic."""
    from ..errors import expect_type

    expect_type(premium, PremiumResult, "premium", "a PremiumResult (calculate(...))")
    expect_type(household, Household, "household", "a Household (build_household(...))")
    if statistic is not None:
        expect_type(statistic, IncomeFigure, "statistic", "an IncomeFigure (IncomeStats.figure(...))")
    return _burden(
        premium.total_paid,
        premium.total_paid_low,
        premium.total_paid_high,
        len(premium.resident_members),
        household,
        household.annual_income,
        statistic,
        check_thresholds(thresholds),
        notes,
    )


def _burden(
    paid: Decimal | None,
    paid_low: Decimal,
    paid_high: Decimal | None,
    residents: int,
    household: Household,
    income: Decimal | None,
    statistic: IncomeFigure | None,
    thresholds: Sequence[Decimal],
    notes: Sequence[Note],
) -> Burden:
    """:func:`measure_burden` of checked values (``income``: the household's own, or None)."""
    # Built with construct (see premium.calculate): the values have their fields' types;
    # notes given as text become notes, as validation would make them.
    notes = [n if isinstance(n, Note) else Note.verbatim(n) for n in notes]
    size = household.size
    basis: Literal["household", "statistic", "none", "incomplete"] = "household"
    per_member = half_up(paid / residents, DAYS_PLACES) if residents and paid is not None else None
    missing = household.members_without_income
    if missing:
        return construct(
            Burden,
            income=None,
            income_basis="incomplete",
            statistic=None,
            household_size=size,
            income_per_capita=None,
            paid_per_member=per_member,
            burden_ratio=None,
            months_of_income=None,
            days_of_work=None,
            thresholds=[],
            computable=False,
            reason=Note("note.income_incomplete", members=", ".join(map(str, missing))),
            notes=notes,
        )
    if income is None and statistic is not None:
        income = statistic.value * size
        basis = "statistic"
    elif income is None:
        basis = "none"
    if paid is None and income:
        # What the household pays is only known within bounds: so is its burden.
        high = paid_high
        return construct(
            Burden,
            income=income,
            income_basis=basis,
            statistic=statistic if basis == "statistic" else None,
            household_size=size,
            income_per_capita=half_up(income / size, DAYS_PLACES),
            paid_per_member=None,
            burden_ratio=None,
            ratio_low=half_up(paid_low / income, RATIO_PLACES),
            ratio_high=half_up(high / income, RATIO_PLACES) if high is not None else None,
            months_of_income=None,
            days_of_work=None,
            thresholds=[],
            computable=False,
            reason=Note("note.burden_paid_unknown"),
            notes=notes,
        )
    if income is None or income == 0 or paid is None:
        reason = Note("note.burden_zero_income") if income == 0 else Note("note.burden_no_income")
        return construct(
            Burden,
            income=income,
            income_basis=basis,
            statistic=statistic if basis == "statistic" else None,
            household_size=size,
            income_per_capita=half_up(income / size, DAYS_PLACES) if income is not None else None,
            paid_per_member=per_member,
            burden_ratio=None,
            months_of_income=None,
            days_of_work=None,
            thresholds=[],
            computable=False,
            reason=reason,
            notes=notes,
        )
    ratio = paid / income
    return construct(
        Burden,
        income=income,
        income_basis=basis,
        statistic=statistic if basis == "statistic" else None,
        household_size=size,
        income_per_capita=half_up(income / size, DAYS_PLACES),
        paid_per_member=per_member,
        burden_ratio=half_up(ratio, RATIO_PLACES),
        months_of_income=half_up(ratio * 12, DAYS_PLACES),
        days_of_work=half_up(ratio * WORKING_DAYS, DAYS_PLACES),
        thresholds=[construct(ThresholdCheck, threshold=t, exceeded=ratio > t) for t in thresholds],
        computable=True,
        reason=None,
        notes=notes,
    )


def assess(
    book: RateBook,
    region: str,
    year: int,
    household: Household,
    *,
    tier: str | None = None,
    late: bool = False,
    statistic: str = "rural",
    thresholds: Sequence[Decimal] = DEFAULT_THRESHOLDS,
    stats: IncomeStats | None = None,
) -> Assessment:
    """Price a household and measure its burden, in one call.

    ``statistic`` (``rural``, ``urban``, ``all``, ``q1``..``q5``) is the income used when the
    household gives none.
    """
    if not isinstance(book, RateBook):
        expect_type(book, RateBook, "book", "a RateBook")
    if not isinstance(region, str):
        expect_type(region, str, "region", "a region id or name (text)")
    if type(year) is not int:  # a bool is no year
        expect_type(year, int, "year", "a coverage year (a whole number)")
    if not isinstance(household, Household):
        expect_type(household, Household, "household", "a Household (build_household(...))")
    if not isinstance(statistic, str):
        expect_type(statistic, str, "statistic", "an income statistic such as 'rural'")
    statistic = check_statistic(statistic)
    thresholds = check_thresholds(thresholds)
    if stats is not None:
        expect_type(stats, IncomeStats, "stats", "IncomeStats (book.income_stats())")
    schedule = book.standard(region, year)
    # The fields of the premium, without building a PremiumResult to copy them from.
    fields = premium_fields(schedule, household, tier=tier, late=late)
    figure: IncomeFigure | None = None
    notes: list[Note] = []
    income = household.annual_income
    if income is None and not household.members_without_income:
        income_stats = stats if stats is not None else book.income_stats()
        names = _chain_names(book, schedule)
        figure, notes = _statistic_for(income_stats, statistic, year - 1, schedule.chain, names)
    residents = sum(1 for m in fields["members"] if m.status != "employee")
    burden = _burden(
        fields["total_paid"],
        fields["total_paid_low"],
        fields["total_paid_high"],
        residents,
        household,
        income,
        figure,
        thresholds,
        notes,
    )
    return construct(
        Assessment,
        **fields,
        income=burden.income,
        burden_ratio=burden.burden_ratio,
        burden=burden,
    )


def _chain_names(book: RateBook, schedule: Schedule) -> dict[str, Name]:
    """The names of the regions of a schedule's chain (kept with the schedule: its book's)."""
    key = ("chain names", id(book))
    hit = schedule.memo.get(key)
    if hit is None or hit[0] is not book:
        hit = schedule.memo[key] = (book, {r: book.region(r).name for r in schedule.chain})
    names: dict[str, Name] = hit[1]
    return names


#: Statistics already looked up, per IncomeStats (whose rows never change once read): the
#: same household size in the same place asks the same question again and again.
_FIGURES: weakref.WeakKeyDictionary[IncomeStats, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def _statistic_for(
    stats: IncomeStats, statistic: str, year: int, chain: Sequence[str], names: Mapping[str, Name]
) -> tuple[IncomeFigure | None, list[Note]]:
    """``stats.for_region(...)``, remembered (the figure is immutable; the notes are copied)."""
    try:
        memo = _FIGURES.setdefault(stats, {})
    except TypeError:  # pragma: no cover - a stats object that cannot be weakly referenced
        figure, notes = stats.for_region(statistic, year, chain, names)
        return figure, list(notes)
    key = (statistic, year, tuple(chain))
    hit = memo.get(key)
    if hit is None or (hit[0] is not names and hit[0] != names):  # the names of _chain_names: the same
        figure, notes = stats.for_region(statistic, year, chain, names)
        hit = memo[key] = (names, figure, tuple(notes))
    return hit[1], list(hit[2])
