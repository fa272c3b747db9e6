"""Apply a resolved :class:`~premium_calc.ratebook.Schedule` to one household.

Money is exact :class:`~decimal.Decimal`. Rounding rule: a per-person amount that a formula
produces with more than two decimals (a share of a base, a share of the gross) is rounded
half-up to the fen, once, where it is produced; totals are exact sums of those amounts.

A fact the rate files do not have stays visible as unknown, never as 0 nor as the full price:
a member of an assisted group whose assistance amount is not in the data
(``unknown="assistance"``) pays between nothing and the gross; a member whose category has no
sourced amount (``unknown="amount"``) is shown without one while the others are priced. Their
household's totals are then ``None``, with bounds (``total_paid_low``/``total_paid_high``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from .._frozen import Frozen
from ..errors import DataMissingError, expect_type
from ..messages import Note, uses_cjk
from ..ratebook.schedule import Schedule, ScheduleAssist
from ..ratefiles.model import Name, Source, prose_note, weakest
from ..units import ZERO
from .members import Household, Member, Spec
from .results import built
from .results import construct as construct  # (analyses import it from here)
from .rules import assist_for, check_tier, match_category


class SourceRef(Frozen):
    """A source behind a result."""

    title: str
    url: str | None = None
    confidence: Literal["high", "medium", "low"]
    #: A Chinese form of a title published in another language (None: the title is Chinese).
    title_zh: str | None = None

    @classmethod
    def of(cls, source: Source) -> SourceRef:
        # The source was validated with its rate file: its fields are the ones a SourceRef has.
        return construct(
            cls, title=source.title, url=source.url, confidence=source.confidence, title_zh=source.title_zh
        )

    def title_in(self, lang: str) -> str:
        """The title as shown in ``lang``: the Chinese form in Chinese where there is one."""
        return self.title_zh if self.title_zh and uses_cjk(lang) else self.title


class MemberPremium(Frozen):
    """One member's premium: the category matched, gross, what assistance pays, what is paid."""

    index: int
    member: str
    age: int
    status: Literal["resident", "employee", "late"]
    category: str | None
    category_name: Name | None
    tier: str | None
    gross: Decimal | None
    assistance: Decimal | None
    paid: Decimal | None
    #: Bounds of what the member pays (equal to ``paid`` when it is known; ``paid_high`` is
    #: ``None`` when not even a bound is known).
    paid_low: Decimal
    paid_high: Decimal | None
    subsidy: Decimal | None
    subsidy_is_national_minimum: bool = False
    #: The amount is the national minimum standing in for a local standard the data lacks
    #: (the local amount is at least this: shown with ``≥``).
    gross_is_national_minimum: bool = False
    assisted_rule: str | None
    #: What is not known about this member: ``"assistance"`` (assisted, amount not in the data)
    #: or ``"amount"`` (no sourced amount for the category); ``None`` when all is known.
    unknown: Literal["assistance", "amount"] | None = None
    unknown_reason: Note | None = None
    components: dict[str, Decimal]
    confidence: Literal["high", "medium", "low"] | None
    source: int | None

    @property
    def known(self) -> bool:
        return self.unknown is None


class PlaceRef(Frozen):
    """A place of the gazetteer (a county or city without a rate file of its own)."""

    code: str
    name: str
    level: Literal["province", "city", "county"]


class PremiumResult(Frozen):
    """What a household pays in one region and coverage year.

    ``standard_region`` is the region whose entry for the year set the standard (``region``
    itself unless the data has none of its own, see
    :meth:`~premium_calc.ratebook.book.RateBook.standard`); ``place`` the place asked for
    where it has no rate file (``region`` is then its nearest ancestor with one);
    ``whole_region`` whether the standard's source says it holds in every place below.
    """

    region: str
    region_name: Name
    standard_region: str = ""
    national_fallback: bool = False
    whole_region: bool | None = None
    place: PlaceRef | None = None
    coverage_year: int
    policy_year: int | None
    tier: str | None
    tiers: list[str]
    late: bool
    members: list[MemberPremium]
    #: Exact totals, or ``None`` where a member's amount or assistance is unknown; then
    #: ``total_paid_low`` .. ``total_paid_high`` bound what the household pays
    #: (``total_paid_high`` is ``None`` when a member's amount is unknown: "at least").
    total_gross: Decimal | None
    total_assistance: Decimal | None
    total_paid: Decimal | None
    total_paid_low: Decimal
    total_paid_high: Decimal | None
    total_subsidy: Decimal | None
    subsidy_is_national_minimum: bool = False
    national_minimum: Decimal | None
    collection_start: dt.date | None
    collection_end: dt.date | None
    confidence: Literal["high", "medium", "low"]
    sources: list[SourceRef]
    notes: list[Note]

    @property
    def resident_members(self) -> list[MemberPremium]:
        return [m for m in self.members if m.status != "employee"]

    @property
    def complete(self) -> bool:
        """Whether every member's payment is known (the totals are exact)."""
        return all(m.unknown is None for m in self.members)

    @property
    def unknown_members(self) -> list[MemberPremium]:
        return [m for m in self.members if m.unknown is not None]


def calculate(
    schedule: Schedule,
    household: Household,
    *,
    tier: str | None = None,
    late: bool = False,
) -> PremiumResult:
    """Price every member of a household under a schedule.

    ``late``: the household enrols outside the collection window; members without an
    assisted rule pay the region's late-enrollment amount where the rate file has one.

    The results are built with :func:`construct`: every value comes from a validated
    schedule and household with the type its field has (exact Decimals, notes as
    :class:`~premium_calc.messages.Note`), so validating them again would only cost time
    (and the first time, building the schemas). ``tests/test_rate_cache.py`` checks that
    the results validate to themselves.
    """
    return construct(PremiumResult, **premium_fields(schedule, household, tier=tier, late=late))


def premium_fields(
    schedule: Schedule, household: Household, *, tier: str | None = None, late: bool = False
) -> dict[str, Any]:
    """The fields of :func:`calculate`'s :class:`PremiumResult` (for a model that extends it,
    such as the :class:`~premium_calc.household.burden.Assessment`, without a copy).

    What one member comes to under a schedule (category, amounts, rule, sources) depends on
    the member, the tier and ``late`` only: it is worked out once per schedule and kept with
    it (:attr:`Schedule.memo`); each result gets its own copy of every mutable value."""
    if not isinstance(schedule, Schedule):
        expect_type(schedule, Schedule, "schedule", "a Schedule (RateBook.schedule(...))")
    if not isinstance(household, Household):
        expect_type(household, Household, "household", "a Household (build_household(...))")
    memo = schedule.memo
    chosen = check_tier(schedule, tier) if tier is not None else memo.get("default tier", _UNSET)
    if chosen is _UNSET:
        chosen = memo["default tier"] = check_tier(schedule, None)
    if late and schedule.late is None:
        raise DataMissingError(
            schedule.region,
            schedule.coverage_year,
            Note("error.what_late"),
            Note("error.no_late_amount"),
            kind="late",
        )
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    distinct: list[Source] = memo.setdefault("distinct sources", [])
    sources: list[Source] = []
    #: id -> position of the sources listed. Sources equal to one listed are the same source:
    #: each is mapped once (per schedule) to the first equal one seen, and compared by
    #: identity (comparing models field by field is the slow way).
    listed: dict[int, int] = {}

    def source_index(source: Source) -> int:
        key = ("source of", id(source))
        hit = memo.get(key)
        if hit is None or hit[0] is not source:
            same = next((d for d in distinct if d == source), None)
            if same is None:
                distinct.append(source)
                same = source
            hit = memo[key] = (source, same)
        same = hit[1]
        position = listed.get(id(same))
        if position is None:
            position = listed[id(same)] = len(sources)
            sources.append(same)
        return position

    source_index(schedule.source)
    members: list[MemberPremium] = []
    for index, member in enumerate(household.members, start=1):
        try:
            key = (member, chosen, late)
            row = memo.get(key)
        except TypeError:  # pragma: no cover - a member with an unhashable value
            key, row = None, None
        if row is None:
            row = _price(schedule, member, index, chosen, late)
            if key is not None:
                memo[key] = row
        template, given, includes, listed_sources, source = row
        for src in listed_sources:
            source_index(src)
        values = template.copy()  # in field order, index first
        values["index"] = index
        values["components"] = dict(includes)
        values["source"] = source_index(source) if source is not None else None
        members.append(built(MemberPremium, values, set(given)))

    resident = [m for m in members if m.status != "employee"]
    if resident and all(m.unknown == "amount" for m in resident):
        # Nothing at all is known about what this household pays: say why.
        first = resident[0]
        assert first.unknown_reason is not None
        raise DataMissingError(
            schedule.region,
            schedule.coverage_year,
            Note("error.what_category", category=first.category),
            first.unknown_reason,
        )
    subsidies = [m.subsidy for m in resident]
    confidences = [m.confidence for m in resident if m.confidence] or [schedule.source.confidence]
    notes = [n if isinstance(n, Note) else Note.verbatim(n) for n in schedule.notes]
    if late and schedule.late is not None and schedule.late.waiting_days is not None:
        notes.append(Note("note.late_waiting", days=schedule.late.waiting_days))
    for m in members:
        if m.unknown is not None:
            note = f"note.member_{m.unknown}_unknown"  # note.member_assistance_unknown / _amount_
            notes.append(Note(note, index=m.index, member=Spec(m.member), reason=m.unknown_reason or ""))
    complete = all(m.unknown is None for m in members)
    highs = [m.paid_high for m in members]
    return dict(
        region=schedule.region,
        region_name=schedule.name,
        standard_region=schedule.standard_from,
        national_fallback=schedule.national_fallback,
        whole_region=schedule.whole_region,
        place=(
            construct(
                PlaceRef, code=schedule.place.code, name=schedule.place.name, level=schedule.place.level
            )
            if schedule.place is not None
            else None
        ),
        coverage_year=schedule.coverage_year,
        policy_year=schedule.policy_year,
        tier=chosen,
        tiers=list(_tier_ids(schedule)),
        late=late,
        members=members,
        total_gross=_total([m.gross for m in members]),
        total_assistance=_total([m.assistance for m in members]) if complete else None,
        total_paid=_total([m.paid for m in members]) if complete else None,
        total_paid_low=sum((m.paid_low for m in members), ZERO),
        total_paid_high=_total(highs),
        subsidy_is_national_minimum=any(m.subsidy_is_national_minimum for m in resident),
        total_subsidy=(
            sum((s for s in subsidies if s is not None), ZERO)
            if resident and all(s is not None for s in subsidies)
            else None
        ),
        national_minimum=schedule.national_minimum,
        collection_start=schedule.collection.start if schedule.collection else None,
        collection_end=schedule.collection.end if schedule.collection else None,
        confidence=weakest(confidences),
        sources=[_source_ref(memo, s) for s in sources],
        notes=notes,
    )


def _source_ref(memo: dict[Any, Any], source: Source) -> SourceRef:
    """The (immutable) SourceRef of a source of the schedule, made once."""
    key = ("source", id(source))
    hit = memo.get(key)
    if hit is None or hit[0] is not source:
        hit = memo[key] = (source, SourceRef.of(source))
    ref: SourceRef = hit[1]
    return ref


def _tier_ids(schedule: Schedule) -> tuple[str, ...]:
    ids: tuple[str, ...] | None = schedule.memo.get("tier ids")
    if ids is None:
        ids = schedule.memo["tier ids"] = tuple(schedule.tier_ids())
    return ids


#: A member's priced values under a schedule: every field of its MemberPremium in order
#: (``index``, ``components`` and ``source`` to be set), the names given, the components,
#: the sources to list (in order) and the member's source.
_Row = tuple[dict[str, Any], frozenset[str], Mapping[str, Decimal], tuple[Source, ...], Source | None]
_UNSET: Any = object()
#: Members remembered per schedule (and tier, late) before the memo starts again.
_MEMO_SIZE = 4096


def _price(schedule: Schedule, member: Member, index: int, chosen: str | None, late: bool) -> _Row:
    """What one member comes to (``index`` only names the member in an error)."""
    values, includes, listed, source = _priced(schedule, member, index, chosen, late)
    template = construct(MemberPremium, index=0, **values, components={}, source=None).__dict__
    return dict(template), frozenset(values) | _SET_PER_USE, includes, listed, source


_SET_PER_USE = frozenset({"index", "components", "source"})


def _priced(
    schedule: Schedule, member: Member, index: int, chosen: str | None, late: bool
) -> tuple[dict[str, Any], Mapping[str, Decimal], tuple[Source, ...], Source | None]:
    age = member.age_in(schedule.coverage_year)
    if member.employee:
        values = dict(
            member=member.describe(),
            age=age,
            status="employee",
            category=None,
            category_name=None,
            tier=None,
            gross=ZERO,
            assistance=ZERO,
            paid=ZERO,
            paid_low=ZERO,
            paid_high=ZERO,
            subsidy=None,
            assisted_rule=None,
            confidence=None,
        )
        return values, {}, (), None
    category = match_category(schedule, member, index)
    if category.missing is not None:
        # No sourced amount for this category: the member is shown as unknown, with the
        # reason, and the others are still priced.
        amount_source = category.amount_origin.source
        values = dict(
            member=member.describe(),
            age=age,
            status="resident",
            category=category.id,
            category_name=category.name,
            tier=None,
            gross=None,
            assistance=None,
            paid=None,
            paid_low=ZERO,
            paid_high=None,
            subsidy=category.subsidy,
            assisted_rule=None,
            unknown="amount",
            unknown_reason=prose_note(category.missing),
            confidence=category.source.confidence,
        )
        return values, {}, (amount_source,), amount_source
    gross = category.amount(chosen)
    if gross is None:
        raise DataMissingError(
            schedule.region,
            schedule.coverage_year,
            Note("error.what_category_tier", category=category.id, tier=chosen),
            Note("error.no_tier_amount"),
            kind="tier",
        )
    origin = category.amount_origin
    subsidy = category.subsidy
    # A region that sets no subsidy of its own inherits the national figure, which is a
    # minimum (不低于): say so rather than present it as the local amount.
    national_floor = (
        schedule.region != "cn"
        and category.subsidy_origin is not None
        and category.subsidy_origin.region == "cn"
    )
    assist, open_rule = assist_for(schedule, member, gross, index)
    status: Literal["resident", "late"] = "resident"
    if late and assist is None and open_rule is None:
        assert schedule.late is not None and schedule.late_origin is not None
        gross = schedule.late.amount
        origin = schedule.late_origin
        subsidy = ZERO
        national_floor = False
        status = "late"
    high = assist.paid(gross) if assist is not None else gross
    if open_rule is not None and open_rule.rule.at_most is not None:
        high = min(high, open_rule.rule.at_most)
    rule = assist if assist is not None else open_rule
    src = rule.origin.source if rule is not None else origin.source
    if rule is not None and weakest([origin.source.confidence, src.confidence]) != src.confidence:
        src = origin.source  # report the weaker of the amount's and the rule's sources
    paid: Decimal | None = high if open_rule is None else None
    values = dict(
        member=member.describe(),
        age=age,
        status=status,
        category=category.id,
        category_name=category.name,
        tier=chosen if category.tier_amounts else None,
        gross=gross,
        assistance=gross - paid if paid is not None else None,
        paid=paid,
        paid_low=paid if paid is not None else ZERO,
        paid_high=high,
        subsidy=subsidy,
        subsidy_is_national_minimum=national_floor,
        gross_is_national_minimum=schedule.national_fallback and status != "late",
        assisted_rule=rule.id if rule is not None else None,
        unknown=None if open_rule is None else "assistance",
        unknown_reason=None if open_rule is None else _missing_reason(open_rule),
        confidence=src.confidence,
    )
    return values, category.includes, (origin.source,), src



def _total(values: list[Decimal | None]) -> Decimal | None:
    """The exact sum, or ``None`` if any value is unknown."""
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _missing_reason(rule: ScheduleAssist) -> Note:
    """Why a rule's amount is unknown: its ``missing`` text, with the rule's name."""
    assert rule.rule.missing is not None
    return Note("note.assist_missing", rule=rule.rule.name, reason=prose_note(rule.rule.missing))
