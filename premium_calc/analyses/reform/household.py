"""One household under a reform: the baseline and the reform side by side
(:func:`assess_reform` -> :class:`ReformComparison`).

Both sides are :func:`premium_calc.household.burden.assess` results: the baseline on the rate
book, the reform on a :class:`~.book.ReformedBook` (its ``[[change]]`` entries), with the
reform's ``[contribution]`` (if any) then replacing the gross amount of each member it applies
to (:func:`.contribution.charge`); assisted-group rules apply to the new gross as they do to
the flat one, and the burden is measured again against the same income (or the same statistic).

Fiscal cost of a household (``fiscal_cost``) = the government's subsidy for its residents
(``total_subsidy``) + the premium assistance paid for its assisted members
(``total_assistance``, paid from medical-assistance funds); ``None`` where either is unknown.
Money is exact Decimal; changes are exact differences.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from ..._frozen import Frozen
from ...household.burden import DEFAULT_THRESHOLDS, Assessment, assess, measure_burden
from ...household.members import Household
from ...household.premium import MemberPremium, PremiumResult, SourceRef, construct
from ...household.rules import assist_for
from ...messages import Note
from ...ratebook.book import RateBook
from ...ratebook.income import IncomeFigure, IncomeStats
from ...ratefiles.model import BilingualText, Name, Source, weakest
from ...units import ZERO, exact_text
from .book import ReformedBook
from .contribution import ADULT_AGE, Charged, Payer, charge
from .model import Reform

#: The confidence a reformed result carries: a scenario, never a sourced fact.
SCENARIO = "scenario"


class MemberChange(Frozen):
    """One member: reform minus baseline (``None`` where either side is unknown)."""

    index: int
    member: str
    gross: Decimal | None
    assistance: Decimal | None
    paid: Decimal | None
    subsidy: Decimal | None
    #: How the reform's contribution treats the member: ``charged``, ``exempt``,
    #: ``beyond_cap``, ``not_subject``, ``unknown``; ``None`` when the reform has no contribution.
    contribution: str | None = None


class ReformChange(Frozen):
    """The change, reform minus baseline, per member and in total."""

    members: list[MemberChange]
    total_gross: Decimal | None
    total_assistance: Decimal | None
    total_paid: Decimal | None
    total_subsidy: Decimal | None
    fiscal_cost: Decimal | None
    #: The change in the burden ratio (premium / income), e.g. -0.0543 is 5.43 points less.
    burden_ratio: Decimal | None


class ReformSummary(Frozen):
    """Which reform, on what it rests, and that it is a scenario (``reform_info`` in JSON)."""

    id: str
    name: Name
    illustrative: bool
    scenario: bool = True
    confidence: Literal["scenario"] = "scenario"
    assumptions: list[BilingualText]
    sources: list[Source]
    file: str
    settings: list[str]
    #: The rate-file keys the reform changed for this region and year.
    changed: list[str]
    #: The contribution schedule's kind (``None``: the reform changes values only).
    contribution: str | None
    #: What the contribution rests on: ``income``, ``statistic`` (the regional per-capita
    #: income standing in for an unknown one), ``standard`` or ``unknown``.
    contribution_basis: str | None
    #: Amounts jump at these per-capita incomes: ``[edge, just below, at]`` per member.
    cliffs: list[list[Decimal]]


class ReformComparison(Frozen):
    """A household under the baseline and under a reform (``calc --reform --json``)."""

    baseline: Assessment
    reform: Assessment
    change: ReformChange
    baseline_fiscal_cost: Decimal | None
    reform_fiscal_cost: Decimal | None
    reform_info: ReformSummary
    notes: list[Note]


def assess_reform(
    book: RateBook,
    region: str,
    year: int,
    household: Household,
    reform: Reform,
    *,
    tier: str | None = None,
    late: bool = False,
    statistic: str = "rural",
    thresholds: Sequence[Decimal] = DEFAULT_THRESHOLDS,
    stats: IncomeStats | None = None,
) -> ReformComparison:
    """The household priced under the baseline and under ``reform``, side by side.

    The options are those of :func:`~premium_calc.household.burden.assess` (both sides use
    them). ``book`` may be a :class:`ReformedBook`: its base is the baseline.
    """
    from ...errors import expect_type

    expect_type(reform, Reform, "reform", "a Reform (load_reform(...))")
    base = book.base if isinstance(book, ReformedBook) else book
    options = {"tier": tier, "late": late, "statistic": statistic, "thresholds": thresholds, "stats": stats}
    baseline = assess(base, region, year, household, **options)  # type: ignore[arg-type]
    reformed_book = (
        book if isinstance(book, ReformedBook) and book.reform is reform else ReformedBook(base, reform)
    )
    reformed = assess(reformed_book, region, year, household, **options)  # type: ignore[arg-type]
    charged: Charged | None = None
    if reform.contribution is not None:
        reformed, charged = _with_contribution(
            reformed_book, region, year, household, reform, reformed, thresholds, statistic
        )
    source = SourceRef.of(reformed_book._source)
    reformed = _marked(reformed, source)
    summary = ReformSummary(
        id=reform.id,
        name=reform.name,
        illustrative=reform.illustrative,
        assumptions=list(reform.reform.assumptions),
        sources=list(reform.reform.sources),
        file=str(reform.file),
        settings=list(reform.settings),
        changed=reformed_book.changed_keys(region, year),
        contribution=reform.contribution.kind if reform.contribution is not None else None,
        contribution_basis=charged.basis if charged is not None else None,
        cliffs=[list(c) for c in reform.contribution.cliffs()] if reform.contribution is not None else [],
    )
    notes = [Note("note.reform_scenario", name=reform.name)]
    if reform.illustrative:
        notes.append(Note("note.reform_illustrative"))
    if charged is not None and charged.basis == "statistic":
        notes.append(Note("note.reform_income_statistic"))
    if charged is not None and charged.basis == "standard":
        notes.append(Note("note.reform_income_standard"))
    if charged is not None and charged.basis == "unknown":
        notes.append(Note("note.reform_income_unknown"))
    for edge, before, at in summary.cliffs:
        notes.append(
            Note("note.reform_cliff", edge=exact_text(edge), before=exact_text(before), at=exact_text(at))
        )
    return construct(
        ReformComparison,
        baseline=baseline,
        reform=reformed,
        change=_change(baseline, reformed, charged),
        baseline_fiscal_cost=fiscal_cost(baseline),
        reform_fiscal_cost=fiscal_cost(reformed),
        reform_info=summary,
        notes=notes,
    )


def fiscal_cost(result: PremiumResult) -> Decimal | None:
    """Subsidy + premium assistance of a priced household (``None`` where either is unknown)."""
    if result.total_subsidy is None or result.total_assistance is None:
        return None
    return result.total_subsidy + result.total_assistance


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _change(baseline: Assessment, reformed: Assessment, charged: Charged | None) -> ReformChange:
    members = [
        construct(
            MemberChange,
            index=new.index,
            member=new.member,
            gross=_minus(new.gross, old.gross),
            assistance=_minus(new.assistance, old.assistance),
            paid=_minus(new.paid, old.paid),
            subsidy=_minus(new.subsidy, old.subsidy),
            contribution=charged.status[i] if charged is not None else None,
        )
        for i, (old, new) in enumerate(zip(baseline.members, reformed.members, strict=True))
    ]
    return construct(
        ReformChange,
        members=members,
        total_gross=_minus(reformed.total_gross, baseline.total_gross),
        total_assistance=_minus(reformed.total_assistance, baseline.total_assistance),
        total_paid=_minus(reformed.total_paid, baseline.total_paid),
        total_subsidy=_minus(reformed.total_subsidy, baseline.total_subsidy),
        fiscal_cost=_minus(fiscal_cost(reformed), fiscal_cost(baseline)),
        burden_ratio=_minus(reformed.burden_ratio, baseline.burden_ratio),
    )


def _marked(result: Assessment, source: SourceRef) -> Assessment:
    """The reform side with the reform listed first among its sources, every confidence at
    most ``low`` (the marker of a scenario is :attr:`ReformSummary.confidence`)."""
    sources = [source, *[s for s in result.sources if s != source]]
    shift = {i: sources.index(s) for i, s in enumerate(result.sources)}
    members = [
        m.model_copy(
            update={
                "source": shift.get(m.source, m.source) if m.source is not None else None,
                # never a notice's confidence as fact: the lowest (reform_info says "scenario")
                "confidence": "low" if m.confidence is not None else None,
            }
        )
        for m in result.members
    ]
    return result.model_copy(update={"sources": sources, "members": members, "confidence": "low"})


def _with_contribution(
    book: ReformedBook,
    region: str,
    year: int,
    household: Household,
    reform: Reform,
    result: Assessment,
    thresholds: Sequence[Decimal],
    statistic: str,
) -> tuple[Assessment, Charged]:
    contribution = reform.contribution
    assert contribution is not None
    schedule = book.standard(region, year)
    payers = []
    for m, person in zip(result.members, household.members, strict=True):
        applies = (
            m.status == "resident"
            and m.unknown != "amount"
            and (contribution.applies_to is None or m.category in contribution.applies_to)
        )
        exempt = m.category in contribution.exempt_categories or any(
            g in contribution.exempt_groups for g in person.assisted
        )
        payers.append(Payer(applies=applies, exempt=exempt, adult=m.age >= ADULT_AGE, standard=m.gross))
    figure = result.burden.statistic
    income = household.annual_income
    if income is None and figure is None:
        figure = _statistic(book, schedule.chain, year, statistic)
    stand_in = figure.value * household.size if figure is not None else None
    charged = charge(contribution, payers, income, household.size, stand_in)
    members: list[MemberPremium] = []
    for i, (m, person) in enumerate(zip(result.members, household.members, strict=True)):
        amount = charged.amounts[i]
        if charged.status[i] == "unknown":
            members.append(
                m.model_copy(
                    update={
                        "gross": None, "assistance": None, "paid": None, "paid_low": ZERO, "paid_high": None,
                        "unknown": "amount", "unknown_reason": Note("note.reform_income_unknown"),
                        "confidence": "low", "components": {},
                    }
                )
            )  # fmt: skip
            continue
        if amount is None:
            members.append(m)
            continue
        assist, open_rule = assist_for(schedule, person, amount, m.index)
        high = assist.paid(amount) if assist is not None else amount
        if open_rule is not None and open_rule.rule.at_most is not None:
            high = min(high, open_rule.rule.at_most)
        # an assisted member whose amount is unknown still pays nothing of a gross of 0 (exempt,
        # beyond the payer cap): the population engine says so too
        paid = high if open_rule is None or amount == ZERO else None
        rule = assist if assist is not None else open_rule
        members.append(
            m.model_copy(
                update={
                    "gross": amount,
                    "assistance": amount - paid if paid is not None else None,
                    "paid": paid,
                    "paid_low": paid if paid is not None else ZERO,
                    "paid_high": high,
                    "unknown": m.unknown if paid is None else None,
                    "unknown_reason": m.unknown_reason if paid is None else None,
                    "assisted_rule": rule.id if rule is not None else None,
                    "gross_is_national_minimum": False,
                    "tier": None,
                    "components": {},
                    "confidence": "low",
                }
            )
        )
    premium = _totals(result, members)
    burden = measure_burden(
        premium, household, statistic=figure, thresholds=thresholds, notes=result.burden.notes
    )
    fields = {name: getattr(premium, name) for name in PremiumResult.model_fields}
    assessment = construct(
        Assessment, **fields, income=burden.income, burden_ratio=burden.burden_ratio, burden=burden
    )
    return assessment, charged


def _statistic(book: RateBook, chain: tuple[str, ...], year: int, statistic: str) -> IncomeFigure | None:
    """The regional per-capita statistic for a household whose income is incomplete."""
    from ...errors import PremiumCalcError

    try:
        names = {r: book.region(r).name for r in chain}
        figure, _ = book.income_stats().for_region(statistic, year - 1, chain, names)
    except PremiumCalcError:
        return None
    return figure


def _totals(result: PremiumResult, members: list[MemberPremium]) -> PremiumResult:
    complete = all(m.unknown is None for m in members)

    def total(values: list[Decimal | None]) -> Decimal | None:
        return None if any(v is None for v in values) else sum((v for v in values if v is not None), ZERO)

    resident = [m for m in members if m.status != "employee"]
    confidences = [m.confidence for m in resident if m.confidence] or [result.confidence]
    notes = list(result.notes)
    for m in members:
        if m.unknown == "amount" and m.unknown_reason == Note("note.reform_income_unknown"):
            notes.append(
                Note("note.member_amount_unknown", index=m.index, member=m.member, reason=m.unknown_reason)
            )
    return result.model_copy(
        update={
            "members": members,
            "total_gross": total([m.gross for m in members]),
            "total_assistance": total([m.assistance for m in members]) if complete else None,
            "total_paid": total([m.paid for m in members]) if complete else None,
            "total_paid_low": sum((m.paid_low for m in members), ZERO),
            "total_paid_high": total([m.paid_high for m in members]),
            "confidence": weakest(confidences),
            "notes": notes,
        }
    )


__all__ = [
    "SCENARIO",
    "MemberChange",
    "ReformChange",
    "ReformComparison",
    "ReformSummary",
    "assess_reform",
    "fiscal_cost",
]
