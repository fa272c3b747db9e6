"""Apply a resolved :class:`~premium_calc.ratebook.Schedule` to one household.

Money is exact :class:`~decimal.Decimal`. Rounding rule: a per-person amount that a formula
produces with more than two decimals (a share of a base, a share of the gross) is rounded
half-up to the fen, once, where it is produced; totals are exact sums of those amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from .._frozen import Frozen
from ..errors import DataMissingError
from ..messages import Note, uses_cjk
from ..ratebook.schedule import Schedule
from ..ratefiles.model import Name, Source, prose_note, weakest
from ..units import ZERO
from .members import Household
from .rules import best_assist, check_tier, match_category


class SourceRef(Frozen):
    """A source behind a result."""

    title: str
    url: str | None = None
    confidence: Literal["high", "medium", "low"]
    #: A Chinese form of a title published in another language (None: the title is Chinese).
    title_zh: str | None = None

    @classmethod
    def of(cls, source: Source) -> SourceRef:
        return cls(title=source.title, url=source.url, confidence=source.confidence, title_zh=source.title_zh)

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
    gross: Decimal
    assistance: Decimal
    paid: Decimal
    subsidy: Decimal | None
    subsidy_is_national_minimum: bool = False
    assisted_rule: str | None
    components: dict[str, Decimal]
    confidence: Literal["high", "medium", "low"] | None
    source: int | None


class PremiumResult(Frozen):
    """What a household pays in one region and coverage year."""

    region: str
    region_name: Name
    coverage_year: int
    policy_year: int | None
    tier: str | None
    tiers: list[str]
    late: bool
    members: list[MemberPremium]
    total_gross: Decimal
    total_assistance: Decimal
    total_paid: Decimal
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
    """
    chosen = check_tier(schedule, tier)
    if late and schedule.late is None:
        raise DataMissingError(
            schedule.region,
            schedule.coverage_year,
            Note("error.what_late"),
            Note("error.no_late_amount"),
            kind="late",
        )
    sources: list[Source] = []

    def source_index(source: Source) -> int:
        if source not in sources:
            sources.append(source)
        return sources.index(source)

    source_index(schedule.source)
    members: list[MemberPremium] = []
    for index, member in enumerate(household.members, start=1):
        age = member.age_in(schedule.coverage_year)
        if member.employee:
            members.append(
                MemberPremium(
                    index=index,
                    member=member.describe(),
                    age=age,
                    status="employee",
                    category=None,
                    category_name=None,
                    tier=None,
                    gross=ZERO,
                    assistance=ZERO,
                    paid=ZERO,
                    subsidy=None,
                    assisted_rule=None,
                    components={},
                    confidence=None,
                    source=None,
                )
            )
            continue
        category = match_category(schedule, member, index)
        if category.missing is not None:
            raise DataMissingError(
                schedule.region, schedule.coverage_year, Note("error.what_category", category=category.id),
                prose_note(category.missing),
            )
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
        components = dict(category.includes)
        assist = best_assist(schedule, member, gross, index)
        status: Literal["resident", "late"] = "resident"
        if late and assist is None:
            assert schedule.late is not None and schedule.late_origin is not None
            gross = schedule.late.amount
            origin = schedule.late_origin
            subsidy = ZERO
            national_floor = False
            status = "late"
        paid = assist.paid(gross) if assist is not None else gross
        src = assist.origin.source if assist is not None else origin.source
        if assist is not None and weakest([origin.source.confidence, src.confidence]) != src.confidence:
            src = origin.source  # report the weaker of the amount's and the rule's sources
        source_index(origin.source)
        members.append(
            MemberPremium(
                index=index,
                member=member.describe(),
                age=age,
                status=status,
                category=category.id,
                category_name=category.name,
                tier=chosen if category.tier_amounts else None,
                gross=gross,
                assistance=gross - paid,
                paid=paid,
                subsidy=subsidy,
                subsidy_is_national_minimum=national_floor,
                assisted_rule=assist.id if assist is not None else None,
                components=components,
                confidence=src.confidence,
                source=source_index(src),
            )
        )

    resident = [m for m in members if m.status != "employee"]
    subsidies = [m.subsidy for m in resident]
    confidences = [m.confidence for m in resident if m.confidence] or [schedule.source.confidence]
    notes = [n if isinstance(n, Note) else Note.verbatim(n) for n in schedule.notes]
    if late and schedule.late is not None and schedule.late.waiting_days is not None:
        notes.append(Note("note.late_waiting", days=schedule.late.waiting_days))
    return PremiumResult(
        region=schedule.region,
        region_name=schedule.name,
        coverage_year=schedule.coverage_year,
        policy_year=schedule.policy_year,
        tier=chosen,
        tiers=schedule.tier_ids(),
        late=late,
        members=members,
        total_gross=sum((m.gross for m in members), ZERO),
        total_assistance=sum((m.assistance for m in members), ZERO),
        total_paid=sum((m.paid for m in members), ZERO),
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
        sources=[SourceRef.of(s) for s in sources],
        notes=notes,
    )
