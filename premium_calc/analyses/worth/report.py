"""``worth``: is the resident insurance worth it for a household? One call that puts the cost
side (what each member pays, the government's subsidy, the burden) next to the value side
(the fund's average spending per enrollee, hospital-stay scenarios layer by layer, and the cost
of a year without cover), with the origin and the bound of every figure.

What is an average and what is a scenario stays apart: ``members[].expected`` is the national
average (all ages), ``stays`` are scenarios a user chose, ``dropouts`` what a year without
cover means for the members chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..._frozen import Frozen
from ...errors import OptionError, expect_type
from ...household.burden import DEFAULT_THRESHOLDS, Assessment, assess
from ...household.members import Household
from ...messages import Note
from ...ratebook.benefits import BenefitBook
from ...ratebook.book import RateBook
from ...ratebook.income import IncomeFigure
from ...ratebook.schedule import Schedule
from ...ratefiles.model import Name
from ...units import half_up, money
from .stay import Basis, Stay, StayOutcome, price_stay
from .value import Average, Dropout, MemberWorth, dropout, member_worth, national_average

SHARE_PLACES = Decimal("0.0001")


class StayView(Frozen):
    """A stay of one member, with what is left as a share of the household's income and as a
    multiple of what the household pays a year."""

    outcome: StayOutcome
    out_of_pocket_share: Decimal | None
    uninsured_share: Decimal | None
    out_of_pocket_per_premium: Decimal | None


class WorthResult(Frozen):
    """What ``premium-calc worth --json`` prints (see the module docstring)."""

    assessment: Assessment
    benefit_chain: list[str]
    region_names: dict[str, Name]
    members: list[MemberWorth]
    average: Average | None
    #: What the household pays, what the government adds, what the fund pays on average.
    total_paid: Decimal | None
    total_subsidy: Decimal | None
    total_expected: Decimal | None
    stays: list[StayView]
    dropouts: list[Dropout]
    #: The income a 大病 deductible set as a share of income was computed from.
    deductible_income: IncomeFigure | None
    #: The benefit sections used, with their origin (what was a national floor, what local).
    rules: list[Basis]
    missing_rules: dict[str, Note]
    notes: list[Note]


def benefit_chain(book: RateBook, schedule: Schedule) -> tuple[tuple[str, ...], dict[str, Name]]:
    """The region ids whose benefit files apply, national first, and their names: the rate
    chain, then, for a place without a rate file, the places of the gazetteer below it by
    pinyin (``cn/shandong`` + 淄博 + 淄川 -> ``cn/shandong/zibo/zichuan``)."""
    chain = tuple(schedule.chain)
    names = {r: book.region(r).name for r in chain}
    place = schedule.place
    if place is None:
        return chain, names
    from ...gazetteer import Gazetteer

    path = [*Gazetteer.load().ancestors(place), place]
    code = book.region(chain[-1]).data.region.code
    codes = [p.code for p in path]
    below = path[codes.index(code) + 1 :] if code in codes else path
    ids = list(chain)
    for p in below:
        ids.append(f"{ids[-1]}/{p.pinyin}")
        names[ids[-1]] = Name(zh=p.name, en=p.en or p.pinyin.title())
    return tuple(ids), names


def _total(values: list[Decimal | None]) -> Decimal | None:
    """The exact sum, or ``None`` when a term is unknown."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if len(known) == len(values) else None


def _share(value: Decimal | None, income: Decimal | None) -> Decimal | None:
    if value is None or not income:
        return None
    return half_up(value / income, SHARE_PLACES)


def assess_worth(
    book: RateBook,
    region: str,
    year: int,
    household: Household,
    *,
    stays: Sequence[Stay] | None = None,
    skip: Sequence[int] | None = None,
    in_scope_share: Decimal = Decimal(1),
    tier: str | None = None,
    statistic: str = "rural",
    benefits: BenefitBook | None = None,
) -> WorthResult:
    """The cost and the value of the resident insurance for a household (see the module
    docstring). ``stays``: scenarios priced for every resident member (``None``: one stay of
    the national average cost per stay at a county hospital); ``skip``: member
    numbers (1-based) whose year without cover is shown (``[]``: none; ``None``: none).
    ``in_scope_share``: the share of a bill inside the catalogue (default 1: all of it)."""
    expect_type(book, RateBook, "book", "a RateBook")
    for stay in stays or ():
        expect_type(stay, Stay, "stays", "Stay(bill, level) scenarios (parse_stay('30000:county'))")
    expect_type(in_scope_share, (Decimal, int), "in_scope_share", "a share between 0 and 1 (Decimal)")
    if not 0 <= in_scope_share <= 1:
        raise OptionError("in_scope_share", Note("error.in_scope_range", value=repr(str(in_scope_share))))
    assessment = assess(
        book, region, year, household, tier=tier, statistic=statistic, thresholds=DEFAULT_THRESHOLDS
    )
    schedule = book.standard(region, year)
    chain, region_names = benefit_chain(book, schedule)
    benefit_book = benefits if benefits is not None else book.benefit_book()
    rules = benefit_book.rules(chain, year)
    floors = benefit_book.rules(("cn",), year)
    average, notes = national_average(rules)
    if stays is None:
        stays = []
        cost = rules.national.value.cost_per_stay if rules.national.value is not None else None
        if cost is not None and rules.national.origin is not None:
            stays = [Stay(bill=cost.value, level="secondary")]
            notes.append(
                Note("worth.note.default_stay", bill=money(cost.value), year=rules.national.origin.coverage)
            )
    premiums = assessment.members
    members = [member_worth(p, rules, average) for p in premiums]
    skip = list(skip or [])
    for number in skip:
        if not isinstance(number, int) or not 1 <= number <= len(premiums):
            raise OptionError("--skip", Note("error.skip_member", value=number, size=len(premiums)))
    figure, income_notes = book.income_stats().for_region("all", year - 1, schedule.chain, region_names)
    income = assessment.burden.income
    household_paid = assessment.total_paid
    views: list[StayView] = []
    by_member: dict[int, list[StayOutcome]] = {}
    for stay in stays:
        for premium, member in zip(premiums, household.members, strict=True):
            if premium.status == "employee":
                continue
            outcome = price_stay(
                rules,
                floors,
                member,
                premium.index,
                stay,
                in_scope_share=Decimal(in_scope_share),
                income=figure.value,
                income_label=Note(
                    "worth.income_label", year=figure.year, region=figure.region_name or figure.region
                ),
            )
            by_member.setdefault(premium.index, []).append(outcome)
            per_premium = None
            if outcome.out_of_pocket is not None and household_paid:
                per_premium = half_up(outcome.out_of_pocket / household_paid, Decimal("0.01"))
            views.append(
                StayView(
                    outcome=outcome,
                    out_of_pocket_share=_share(outcome.out_of_pocket, income),
                    uninsured_share=_share(outcome.uninsured, income),
                    out_of_pocket_per_premium=per_premium,
                )
            )
    if any(p.status == "employee" for p in premiums) and stays:
        notes.append(Note("worth.note.employee_not_priced"))
    dropouts = [
        dropout(premiums[n - 1], rules, schedule, average, by_member.get(n, []))
        for n in skip
        if premiums[n - 1].status != "employee"
    ]
    used = [Basis.of(s) for s in rules.sections().values() if s.value is not None]
    missing = {name: s.gaps[0].reason for name, s in rules.sections().items() if s.value is None and s.gaps}
    expected = [m.expected for m in members if m.status != "employee"]
    subsidies = [m.subsidy for m in members if m.status != "employee"]
    return WorthResult(
        assessment=assessment,
        benefit_chain=list(chain),
        region_names=region_names,
        members=members,
        average=average,
        total_paid=assessment.total_paid,
        total_subsidy=_total(subsidies),
        total_expected=_total(expected),
        stays=views,
        dropouts=dropouts,
        deductible_income=figure if stays else None,
        rules=used,
        missing_rules={k: Note("note.text", text=v) for k, v in missing.items()},
        notes=[*notes, *(income_notes if stays else [])],
    )


__all__ = ["StayView", "WorthResult", "assess_worth", "benefit_chain"]
