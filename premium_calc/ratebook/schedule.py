"""The resolved table of one region and coverage year: what each category pays, assisted-group
rules, window and late enrollment, with the :class:`Origin` (file, key path, source) of each value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..ratefiles.model import (
    AssistRule,
    Condition,
    LateEnrollment,
    Name,
    Source,
    Tier,
    Window,
    weakest,
)
from ..units import FEN


@dataclass(frozen=True)
class Origin:
    """Where a resolved value was set: region, file, key path, and its source."""

    region: str
    file: Path
    key: str
    source: Source

    def line(self) -> int | None:
        """The line that sets this value (computed on demand)."""
        from ..ratefiles.keypaths import line_of

        parts: list[str | int] = []
        for token in re.findall(r"[^.\[\]]+|\[\d+\]", self.key):
            parts.append(int(token[1:-1]) if token.startswith("[") else token)
        try:
            return line_of(self.file.read_text(encoding="utf-8"), parts)
        except OSError:
            return None

    @property
    def confidence(self) -> str:
        return self.source.confidence


@dataclass(frozen=True)
class ScheduleCategory:
    """One category of a resolved schedule."""

    id: str
    name: Name
    conditions: tuple[Condition, ...]
    individual: Decimal | None
    tier_amounts: Mapping[str, Decimal]
    subsidy: Decimal | None
    includes: Mapping[str, Decimal]
    below_minimum: bool
    missing: str | None
    note: str | None
    amount_origin: Origin
    subsidy_origin: Origin | None
    formula: str | None = None

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

    def paid(self, gross: Decimal) -> Decimal:
        """What a covered member pays, given the gross premium (never more than it)."""
        r = self.rule
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
    subsidy_origin: Origin | None
    collection: Window | None
    collection_origin: Origin | None
    late: LateEnrollment | None
    late_origin: Origin | None
    source: Source
    origin_file: Path
    chain: tuple[str, ...]
    national_minimum: Decimal | None
    notes: tuple[str, ...] = field(default=())

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
        origins += [a.origin for a in self.assisted]
        for origin in origins:
            if origin is not None and origin.source not in seen:
                seen.append(origin.source)
        return seen

    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]
