"""The value side of one member's year, as averages (never a prediction for one person): what
the fund spends per enrollee, scenarios of low, medium and high use as stated multiples of it,
and, where a survey gives one, how many people of the member's age have a hospital stay in a
year; and the cost of dropping out (premium saved against the waiting period on return, the
late amount and a stay without cover).

The national spending per enrollee (fund spending / enrollees of the resident scheme, NHSA
bulletins) covers every age and region: no age-specific figure of the resident scheme is
sourced, and the result says so. :data:`USE_MULTIPLES` are assumptions, not statistics.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ..._frozen import Frozen
from ...household.premium import MemberPremium, SourceRef
from ...messages import Note
from ...ratebook.benefits import BenefitRules
from ...ratebook.schedule import Schedule
from ...ratefiles.model import Confidence, Name
from ...units import FEN, half_up
from .stay import Basis, StayOutcome

#: Low, medium and high use as multiples of the national average (assumed, not sourced: the
#: bulletins give no distribution of spending among enrollees).
USE_MULTIPLES: dict[Literal["low", "medium", "high"], Decimal] = {
    "low": Decimal("0.5"),
    "medium": Decimal(1),
    "high": Decimal(2),
}

MULTIPLE_PLACES = Decimal("0.01")


class Average(Frozen):
    """The national fund spending per enrollee of a year (all ages, all regions)."""

    year: int
    value: Decimal
    derived: bool
    basis: Basis
    #: What one average stay brings back from the fund: cost per stay x the fund's share of all
    #: medical spending (or, without it, the realised inpatient ratio); ``None`` if unknown.
    stay_value: Decimal | None = None


class UseScenario(Frozen):
    use: Literal["low", "medium", "high"]
    multiple: Decimal
    payback: Decimal


class Utilisation(Frozen):
    """A survey's share of people of the member's age with a hospital stay in a year."""

    share: Decimal
    per_100: int
    survey_year: int
    population: Name
    min_age: int | None
    max_age: int | None
    confidence: Confidence | None
    source: SourceRef | None
    #: Whether one average stay brings back more than the member pays (then "at least N in
    #: 100 people like you get back more than they paid").
    stay_beats_premium: bool | None = None


class MemberWorth(Frozen):
    """One member: what they pay, what the government adds, what the fund pays on average."""

    index: int
    member: str
    age: int
    status: Literal["resident", "employee", "late"]
    paid: Decimal | None
    paid_low: Decimal
    paid_high: Decimal | None
    assistance: Decimal | None
    subsidy: Decimal | None
    subsidy_is_national_minimum: bool = False
    #: paid + premium assistance + fiscal subsidy: what is put into the fund for the member.
    financed: Decimal | None
    expected: Decimal | None
    #: expected / paid and expected / financed (``None`` where a term is unknown or 0).
    expected_per_paid: Decimal | None
    expected_per_financed: Decimal | None
    uses: list[UseScenario]
    utilisation: Utilisation | None
    utilisation_missing: Note | None = None


class StayWithout(Frozen):
    """A stay during a break in cover: the whole bill, against what it costs insured."""

    bill: Decimal
    level: str
    insured_out_of_pocket: Decimal | None
    extra: Decimal | None


class Dropout(Frozen):
    """What one member's year without cover costs and saves."""

    member: int
    saved: Decimal | None
    saved_low: Decimal
    saved_high: Decimal | None
    subsidy_forgone: Decimal | None
    expected_forgone: Decimal | None
    #: Months without cover after re-enrolling in the next window, after a one-year break.
    waiting_months: int | None
    waiting_basis: Basis | None
    waiting_missing: Note | None
    #: Paying late in the same year (outside the window), where the rate file has it.
    late_amount: Decimal | None
    late_waiting_days: int | None
    stays: list[StayWithout]
    notes: list[Note]


def _ratio(top: Decimal | None, bottom: Decimal | None) -> Decimal | None:
    if top is None or not bottom:
        return None
    return half_up(top / bottom, MULTIPLE_PLACES)


def national_average(rules: BenefitRules) -> tuple[Average | None, list[Note]]:
    """The latest national spending per enrollee at or before the rules' year."""
    section = rules.national
    value = section.value
    if value is None or value.spending_per_enrollee is None or section.origin is None:
        return None, [Note("worth.note.no_average")]
    figure = value.spending_per_enrollee
    share = value.overall_fund_share or value.realised_ratio
    stay_value = None
    if value.cost_per_stay is not None and share is not None:
        stay_value = half_up(value.cost_per_stay.value * share.value, FEN)
    year = section.origin.coverage
    notes = [Note("worth.note.average_scope", year=year)]
    if year != rules.year:
        notes.append(Note("worth.note.average_year", year=year, asked=rules.year))
    average = Average(
        year=year, value=figure.value, derived=figure.derived, basis=Basis.of(section), stay_value=stay_value
    )
    return average, notes


def member_worth(premium: MemberPremium, rules: BenefitRules, average: Average | None) -> MemberWorth:
    """One member's money in and expected money back."""
    financed = None
    if premium.paid is not None and premium.subsidy is not None and premium.assistance is not None:
        financed = premium.paid + premium.assistance + premium.subsidy
    resident = premium.status != "employee"
    expected = average.value if average is not None and resident else None
    uses = [
        UseScenario(use=use, multiple=m, payback=half_up(expected * m, FEN))
        for use, m in USE_MULTIPLES.items()
        if expected is not None
    ]
    utilisation, missing = None, None
    section = rules.utilisation
    if resident and section.value is not None and section.origin is not None:
        row = section.value.for_age(premium.age)
        if row is not None:
            row_source = row.source or section.origin.source
            beats = None
            if average is not None and average.stay_value is not None and premium.paid is not None:
                beats = average.stay_value > premium.paid
            utilisation = Utilisation(
                share=row.share,
                per_100=int(half_up(row.share * 100, Decimal(1))),
                survey_year=row.survey_year,
                population=row.population,
                min_age=row.min_age,
                max_age=row.max_age,
                confidence=row_source.confidence if row_source is not None else None,
                source=SourceRef.of(row_source) if row_source is not None else None,
                stay_beats_premium=beats,
            )
        else:
            missing = Note("worth.note.no_survey_for_age", age=premium.age)
    elif resident:
        missing = Note("worth.note.no_survey")
    return MemberWorth(
        index=premium.index,
        member=premium.member,
        age=premium.age,
        status=premium.status,
        paid=premium.paid,
        paid_low=premium.paid_low,
        paid_high=premium.paid_high,
        assistance=premium.assistance,
        subsidy=premium.subsidy,
        subsidy_is_national_minimum=premium.subsidy_is_national_minimum,
        financed=financed,
        expected=expected,
        expected_per_paid=_ratio(expected, premium.paid),
        expected_per_financed=_ratio(expected, financed),
        uses=uses,
        utilisation=utilisation,
        utilisation_missing=missing,
    )


def dropout(
    premium: MemberPremium,
    rules: BenefitRules,
    schedule: Schedule,
    average: Average | None,
    stays: list[StayOutcome],
) -> Dropout:
    """What a year without cover means for one member (stays: the member's insured outcomes)."""
    notes: list[Note] = []
    months, basis, missing = None, None, None
    waiting = rules.waiting
    if waiting.value is not None and waiting.origin is not None:
        basis = Basis.of(waiting)
        base = waiting.value.base_months
        extra = waiting.value.months_per_break_year
        if base is not None:
            # "每多断保1年" adds a month for each year of break beyond the first (the examples of
            # 阜新 and 铜仁: a one-year break waits the fixed 3 months).
            months = base
            notes.append(Note("worth.note.waiting_rule", base=base, extra=extra or 0))
        if waiting.value.repair_months_per_paid_year:
            notes.append(Note("worth.note.waiting_repair", months=waiting.value.repair_months_per_paid_year))
    else:
        missing = Note("worth.note.no_waiting_rule", year=rules.year)
    late = schedule.late
    if late is None:
        notes.append(Note("worth.note.no_late_amount"))
    incentive = rules.critical_illness.value.incentive if rules.critical_illness.value is not None else None
    if incentive is not None and incentive.after_years is not None:
        notes.append(Note("worth.note.incentive_reset", years=incentive.after_years))
    return Dropout(
        member=premium.index,
        saved=premium.paid,
        saved_low=premium.paid_low,
        saved_high=premium.paid_high,
        subsidy_forgone=premium.subsidy,
        expected_forgone=average.value if average is not None else None,
        waiting_months=months,
        waiting_basis=basis,
        waiting_missing=missing,
        late_amount=late.amount if late is not None else None,
        late_waiting_days=late.waiting_days if late is not None else None,
        stays=[
            StayWithout(
                bill=s.bill,
                level=s.level,
                insured_out_of_pocket=s.out_of_pocket,
                extra=s.reimbursed,
            )
            for s in stays
        ],
        notes=notes,
    )


__all__ = ["USE_MULTIPLES", "Average", "Dropout", "MemberWorth", "UseScenario", "Utilisation"]
