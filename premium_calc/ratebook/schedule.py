"""The resolved table of one region and coverage year: what each category pays, assisted-group
rules, window and late enrollment, with the :class:`Origin` (file, key path, source) of each value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..ratefiles.keypaths import KeyPath, format_path, line_in_file
from ..ratefiles.model import (
    AssistRule,
    BilingualText,
    Condition,
    LateEnrollment,
    Name,
    Source,
    Tier,
    Window,
    weakest,
)
from ..units import FEN

if TYPE_CHECKING:
    from ..gazetteer import Place


@dataclass(frozen=True)
class Origin:
    """Where a resolved value was set: region, file, key path, and its source.

    ``key`` is a :data:`~premium_calc.ratefiles.keypaths.KeyPath` (``('year', 2, 'category',
    0, 'individual')``); :attr:`key_text` is the same path as a person reads it.
    """

    region: str
    file: Path
    key: KeyPath
    source: Source

    def at(self, *parts: str | int) -> Origin:
        """The origin of a value inside this one (``collection`` -> ``collection.start``)."""
        return Origin(self.region, self.file, (*self.key, *parts), self.source)  # not replace(): 3x faster

    def table(self) -> Origin:
        """The origin of the table that holds this value (``category[0].individual`` ->
        ``category[0]``)."""
        return Origin(self.region, self.file, self.key[:-1], self.source)

    @property
    def key_text(self) -> str:
        """The key path as text: ``year[2].category[0].individual``."""
        return format_path(self.key)

    def line(self) -> int | None:
        """The line that sets this value (computed on demand)."""
        return line_in_file(self.file, self.key)

    @property
    def confidence(self) -> str:
        return self.source.confidence


@dataclass(frozen=True)
class ScheduleCategory:
    """One category of a resolved schedule.

    ``origins`` holds the :class:`Origin` of each effective field, by field name: ``id``,
    ``name``, ``when``, ``individual``, ``tiers``, ``includes``, ``below_minimum``, ``missing``,
    ``note`` (where the category, merged by id along the chain, got the field), and
    ``subsidy`` (the category's own subsidy, or else the year's; absent if neither is set).
    ``missing`` and ``note`` are prose as the rate file gives it: a plain string or a
    :class:`~premium_calc.ratefiles.model.BilingualText` (``english()`` gives the English).
    """

    id: str
    name: Name
    conditions: tuple[Condition, ...]
    individual: Decimal | None
    tier_amounts: Mapping[str, Decimal]
    subsidy: Decimal | None
    includes: Mapping[str, Decimal]
    below_minimum: bool
    missing: str | BilingualText | None
    note: str | BilingualText | None
    origins: Mapping[str, Origin]
    formula: str | None = None

    @property
    def amount_origin(self) -> Origin:
        """The category table that sets the amount (``individual``, ``tiers`` or ``missing``).

        The three are set together (an entry that sets one of them replaces all three), so
        the table of any of them is the one that set the amount.
        """
        return self.origins["individual"].table()

    @property
    def subsidy_origin(self) -> Origin | None:
        """Where the category's effective subsidy was set (its own, or the year's)."""
        return self.origins.get("subsidy")

    @property
    def source(self) -> Source:
        return self.amount_origin.source

    def amount(self, tier: str | None) -> Decimal | None:
        """What one member of this category pays before assistance, for a tier."""
        if self.tier_amounts:
            if tier is None:
                return min(self.tier_amounts.values())
            return self.tier_amounts.get(tier)
        return self.individual


@dataclass(frozen=True)
class ScheduleAssist:
    """One assisted-group rule of a resolved schedule."""

    rule: AssistRule
    origin: Origin

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def known(self) -> bool:
        """Whether the rule gives an amount (``False`` for "assisted, amount unknown")."""
        return self.rule.missing is None

    def paid(self, gross: Decimal) -> Decimal:
        """What a covered member pays, given the gross premium (never more than it).

        Only for a rule with an amount (:attr:`known`): a ``missing`` rule has none.
        """
        r = self.rule
        if r.missing is not None:
            raise ValueError(f"assisted rule {r.id!r} has no amount (missing)")
        if r.pays is not None:
            return min(r.pays, gross)
        if r.pays_share is not None:
            return (gross * r.pays_share).quantize(FEN, rounding=ROUND_HALF_UP)
        assert r.assistance is not None
        return max(gross - r.assistance, Decimal(0))


@dataclass(frozen=True)
class Schedule:
    """What a region charges in one coverage year, inheritance resolved.

    A schedule is independent of any household: :mod:`premium_calc.household.premium` applies it to
    one household, :mod:`premium_calc.household.batch` to many at once.

    ``origins`` holds the :class:`Origin` of each year-level value that the chain sets, by
    field name: ``policy``, ``subsidy``, ``collection``, ``late`` and ``tier`` (the tier list).
    Each category carries its own (:attr:`ScheduleCategory.origins`), each assisted rule one.
    """

    region: str
    name: Name
    level: str
    coverage_year: int
    policy_year: int | None
    categories: tuple[ScheduleCategory, ...]
    tiers: tuple[Tier, ...]
    assisted: tuple[ScheduleAssist, ...]
    subsidy: Decimal | None
    collection: Window | None
    late: LateEnrollment | None
    origins: Mapping[str, Origin]
    source: Source
    origin_file: Path
    chain: tuple[str, ...]
    national_minimum: Decimal | None
    notes: tuple[str, ...] = field(default=())
    #: The region whose entry for the year set this standard: ``region`` itself, or (from
    #: :meth:`~premium_calc.ratebook.book.RateBook.standard`) the nearest ancestor with an
    #: entry for the year where ``region`` has none (then every amount is that ancestor's;
    #: ``cn``'s are national minimums).
    standard_region: str = ""
    #: Whether the source of the standard says it applies in every place inside its region
    #: (a province-wide notice); ``None``: the source does not say.
    whole_region: bool | None = None
    #: Where the household lives when that place has no rate file of its own: the place in the
    #: gazetteer (``region`` is then its nearest ancestor with one).
    place: Place | None = None
    #: Work done with this schedule, kept with it (:func:`~premium_calc.household.premium.
    #: premium_fields`: what each member comes to): never compared, copied nor pickled.
    memo: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["memo"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, memo={})

    @property
    def standard_from(self) -> str:
        """The region whose entry set the standard (``region`` unless it fell back)."""
        return self.standard_region or self.region

    @property
    def fallback(self) -> bool:
        """Whether the standard is an ancestor's (no entry of the region's own for the year)
        or the place has no rate file of its own."""
        return self.standard_from != self.region or self.place is not None

    @property
    def national_fallback(self) -> bool:
        """Whether the amounts are the national minimums standing in for a local standard."""
        return self.standard_from == "cn" and self.region != "cn"

    @property
    def subsidy_origin(self) -> Origin | None:
        return self.origins.get("subsidy")

    @property
    def collection_origin(self) -> Origin | None:
        return self.origins.get("collection")

    @property
    def late_origin(self) -> Origin | None:
        return self.origins.get("late")

    @property
    def default_tier(self) -> str | None:
        """The cheapest tier (the default when the household names none)."""
        if not self.tiers:
            return None
        totals: dict[str, Decimal] = {t.id: Decimal(0) for t in self.tiers}
        for cat in self.categories:
            for tier_id, amount in cat.tier_amounts.items():
                if tier_id in totals:
                    totals[tier_id] += amount
        return min(self.tiers, key=lambda t: totals[t.id]).id

    @property
    def confidence(self) -> str:
        """The lowest confidence of any value in the schedule."""
        return weakest(s.confidence for s in self.sources())

    def sources(self) -> list[Source]:
        """Every distinct source behind this schedule, the year's own first."""
        seen: list[Source] = [self.source]
        origins: list[Origin | None] = [
            self.subsidy_origin,
            self.collection_origin,
            self.late_origin,
        ]
        origins += [c.amount_origin for c in self.categories]
        origins += [c.subsidy_origin for c in self.categories]
        # The national floor of assisted rules (特困 pay nothing, 低保 amounts set locally) is
        # not part of a region's own standard: its sources count where a rule applies to a
        # member (the member's confidence), not for the schedule as a whole.
        origins += [a.origin for a in self.assisted if a.origin.region != "cn" or self.region == "cn"]
        for origin in origins:
            if origin is not None and origin.source not in seen:
                seen.append(origin.source)
        return seen

    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]
