"""Income-related contribution schedules that replace the flat individual amount, and what one
household pays under them (exact; the same rules on int64 fen arrays are in
:mod:`.contribution_arrays`, and a property test holds the two equal to the fen).

Three kinds, each a frozen model (``[contribution] kind = ...`` in a reform file):

``income_share``
    ``rate`` x the income (``income = "per_capita"``: household income / household size, or
    ``"household"``), clamped to ``[floor, cap]``, ``per = "member"`` (each paying member pays
    it) or ``"household"`` (the household pays it once, split among its paying members).
``brackets``
    by per-capita income: the first bracket whose ``below`` the income is under (the last leaves
    ``below`` out: it holds every income above) gives a flat ``amount`` or a ``rate`` of the
    per-capita income; with ``rate_to`` the rate runs linearly from ``rate`` at the bracket's
    lower edge to ``rate_to`` at its upper edge (the ACA's applicable percentage). Per paying
    member.
``flat_reductions``
    a flat ``amount`` (or, left out, the flat standard in force for the member's category),
    reduced by ``share`` for incomes under the first threshold ``below`` they are under (Japan's
    national health insurance cuts its flat parts by 70/50/20%). Per paying member.

Common to all: ``applies_to`` (category ids; left out: every category), ``exempt_groups`` and
``exempt_categories`` (pay 0), ``max_paying_members`` (members beyond it pay 0; adults (18+)
count first, then children, each in the household's order), ``unknown_income``: what a household
without a known income pays: ``"statistic"`` (the regional per-capita income statistic times
the household size stands in, and the result says so) or ``"standard"`` (the flat standard in
force). Members not subject to the schedule (another category, employees, late enrolment, an
amount the data lacks) keep what the rate files charge them.

Rounding: the arithmetic is exact (rational); each amount is rounded once, half-up to the fen,
where it is produced (a member's amount, or a household's before it is split); a household
amount is split into equal fen with the remaining fen going one each to the first paying
members.

A solver varies a schedule through :meth:`with_parameter` (the names in
:data:`SOLVER_PARAMETERS`), which returns a validated copy.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ..._frozen import Frozen
from ...ratefiles.model import AssistedGroup, Money, Rate, max_places, to_decimal

#: An income threshold or bracket edge, in yuan a year (up to 10^9, fen at most).
Income = Annotated[
    Decimal, BeforeValidator(to_decimal), Field(ge=0, le=10**9, decimal_places=2), max_places(2)
]

#: The parameters a solver may vary, by kind (:meth:`ContributionBase.with_parameter`).
SOLVER_PARAMETERS: dict[str, tuple[str, ...]] = {
    "income_share": ("rate", "floor", "cap"),
    "brackets": ("scale",),
    "flat_reductions": ("amount",),
}

#: Age from which a member counts as an adult for ``max_paying_members`` (adults first).
ADULT_AGE = 18


class ContributionBase(Frozen):
    """What every contribution kind has: who it applies to, who is exempt, the cap on paying
    members and what a household without a known income pays."""

    applies_to: tuple[str, ...] | None = None
    exempt_groups: tuple[AssistedGroup, ...] = ()
    exempt_categories: tuple[str, ...] = ()
    max_paying_members: int | None = Field(default=None, ge=1, le=20)
    unknown_income: Literal["statistic", "standard"] = "statistic"

    def with_parameter(self, name: str, value: Decimal | int | str) -> Any:
        """A validated copy with one solver parameter changed (:data:`SOLVER_PARAMETERS`)."""
        kind = str(getattr(self, "kind", ""))
        allowed = SOLVER_PARAMETERS.get(kind, ())
        if name not in allowed:
            from ...errors import OptionError
            from ...messages import Note

            raise OptionError(
                "parameter", Note("error.reform_parameter", name=repr(name), allowed=", ".join(allowed))
            )
        data = self.model_dump()
        if name == "scale":
            data["brackets"] = [_scaled(b, Decimal(value)) for b in data["brackets"]]
        else:
            data[name] = value
        return type(self).model_validate(data)

    def cliffs(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """Where a member's amount jumps as income crosses an edge: ``(edge, just below, at)``."""
        return []


def _scaled(bracket: dict[str, Any], factor: Decimal) -> dict[str, Any]:
    from ...units import FEN, half_up

    out = dict(bracket)
    if out.get("amount") is not None:
        out["amount"] = half_up(out["amount"] * factor, FEN)
    for key in ("rate", "rate_to"):
        if out.get(key) is not None:
            out[key] = half_up(out[key] * factor, Decimal("0.000001"))
    return out


class IncomeShare(ContributionBase):
    """A share of income with a floor and a cap, per member or per household."""

    kind: Literal["income_share"]
    rate: Rate
    income: Literal["per_capita", "household"] = "per_capita"
    per: Literal["member", "household"] = "member"
    floor: Money | None = None
    cap: Money | None = None

    @model_validator(mode="after")
    def _floor_below_cap(self) -> IncomeShare:
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise PydanticCustomError("schema.floor_above_cap", "the floor is above the cap")
        return self


class Bracket(Frozen):
    """One income bracket: under ``below`` (yuan per capita a year; the last leaves it out),
    a flat ``amount`` or a ``rate`` of per-capita income (``rate_to``: the rate at ``below``,
    linear in between)."""

    below: Income | None = None
    amount: Money | None = None
    rate: Rate | None = None
    rate_to: Rate | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Bracket:
        if (self.amount is None) == (self.rate is None):
            raise PydanticCustomError(
                "schema.bracket_form", "a bracket gives an amount or a rate, one of them"
            )
        if self.rate_to is not None and (self.rate is None or self.below is None):
            raise PydanticCustomError("schema.bracket_rate_to", "rate_to needs a rate and an upper edge")
        return self


class Brackets(ContributionBase):
    """Amounts or rates by per-capita income bracket (per paying member)."""

    kind: Literal["brackets"]
    brackets: tuple[Bracket, ...] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _edges_rise(self) -> Brackets:
        edges = [b.below for b in self.brackets]
        if any(e is None for e in edges[:-1]) or edges[-1] is not None:
            raise PydanticCustomError(
                "schema.bracket_open", "every bracket but the last gives below; the last leaves it out"
            )
        known = [e for e in edges if e is not None]
        if any(b <= a for a, b in itertools.pairwise(known)) or (known and known[0] <= 0):
            raise PydanticCustomError("schema.edges_rise", "the edges (below) must rise")
        return self

    def cliffs(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        out = []
        for i, (low, high) in enumerate(zip(self.brackets, self.brackets[1:], strict=False)):
            edge = low.below
            assert edge is not None
            lower = self.brackets[i - 1].below if i else Decimal(0)
            before = _round(_bracket_amount(low, Fraction(edge), Fraction(lower or 0)))
            at = _round(_bracket_amount(high, Fraction(edge), Fraction(edge)))
            if before != at:
                out.append((edge, before, at))
        return out


class Reduction(Frozen):
    """Incomes under ``below`` pay ``share`` less (``70%``: 30% of the flat amount)."""

    below: Income
    share: Rate


class FlatReductions(ContributionBase):
    """A flat amount per member with reductions below income thresholds (Japan's NHI)."""

    kind: Literal["flat_reductions"]
    amount: Money | None = None
    income: Literal["per_capita", "household"] = "per_capita"
    reductions: tuple[Reduction, ...] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _thresholds_rise(self) -> FlatReductions:
        edges = [r.below for r in self.reductions]
        if any(b <= a for a, b in itertools.pairwise(edges)):
            raise PydanticCustomError("schema.edges_rise", "the edges (below) must rise")
        return self

    def cliffs(self) -> list[tuple[Decimal, Decimal, Decimal]]:
        """With ``amount`` given: the amount just under and at each threshold."""
        if self.amount is None:
            return []
        out = []
        shares = [r.share for r in self.reductions] + [Decimal(0)]
        for i, r in enumerate(self.reductions):
            before = _round(Fraction(self.amount) * (1 - Fraction(shares[i])))
            at = _round(Fraction(self.amount) * (1 - Fraction(shares[i + 1])))
            if before != at:
                out.append((r.below, before, at))
        return out


Contribution = Annotated[IncomeShare | Brackets | FlatReductions, Field(discriminator="kind")]


# -- one household, exactly


@dataclass(frozen=True)
class Payer:
    """One member as a contribution schedule sees it.

    ``applies``: subject to the schedule (a resident in a category it applies to, priced, not
    late); ``exempt``: in an exempt group or category; ``adult``: 18 or older in the coverage
    year; ``standard``: the flat amount the rate files charge the member (``None``: unknown).
    """

    applies: bool
    exempt: bool
    adult: bool
    standard: Decimal | None


@dataclass(frozen=True)
class Charged:
    """What a schedule charges one household's members.

    ``amounts``: per member, the gross contribution (``None``: not subject to the schedule, the
    rate files' amount stands). ``status`` per member: ``charged``, ``exempt``, ``beyond_cap``,
    ``not_subject`` or ``unknown`` (no income known and nothing stands in). ``basis``: what the
    amounts rest on: ``income``, ``statistic`` (the stand-in), ``standard`` or ``unknown``.
    """

    amounts: tuple[Decimal | None, ...]
    status: tuple[str, ...]
    basis: Literal["income", "statistic", "standard", "unknown"]


def charge(
    contribution: IncomeShare | Brackets | FlatReductions,
    payers: Sequence[Payer],
    household_income: Decimal | None,
    size: int,
    stand_in_income: Decimal | None = None,
) -> Charged:
    """What each member pays under ``contribution`` (see the module docstring).

    ``household_income``: the household's annual income (``None``: unknown);
    ``size``: the household's size (every member); ``stand_in_income``: the household income
    that stands in when it is unknown (the regional per-capita statistic x size), if any.
    """
    order = paying_order(contribution, payers)
    status = ["not_subject"] * len(payers)
    for i, p in enumerate(payers):
        if p.applies:
            status[i] = "exempt" if p.exempt else "beyond_cap"
    for i in order:
        status[i] = "charged"
    amounts: list[Decimal | None] = [Decimal(0) if s in ("exempt", "beyond_cap") else None for s in status]
    income = household_income
    basis: Literal["income", "statistic", "standard", "unknown"] = "income"
    if income is None and contribution.unknown_income == "statistic" and stand_in_income is not None:
        income, basis = stand_in_income, "statistic"
    elif income is None:
        basis = "standard" if contribution.unknown_income == "standard" else "unknown"
    if basis in ("standard", "unknown"):
        for i in order:
            std = payers[i].standard
            if basis == "unknown" or std is None:
                status[i] = "unknown"
            else:
                amounts[i] = std
        return Charged(tuple(amounts), tuple(status), basis)
    assert income is not None
    total = Fraction(income)
    per_capita = total / size
    if isinstance(contribution, IncomeShare) and contribution.per == "household":
        measure = per_capita if contribution.income == "per_capita" else total
        whole = _clamp(_round(measure * Fraction(contribution.rate)), contribution.floor, contribution.cap)
        for i, share in zip(order, split(whole, len(order)), strict=True):
            amounts[i] = share
        return Charged(tuple(amounts), tuple(status), basis)
    for i in order:
        value = member_amount(contribution, total, per_capita, payers[i].standard)
        if value is None:
            status[i] = "unknown"
        amounts[i] = value
    return Charged(tuple(amounts), tuple(status), basis)


def member_amount(
    contribution: IncomeShare | Brackets | FlatReductions,
    household_income: Fraction,
    per_capita: Fraction,
    standard: Decimal | None,
) -> Decimal | None:
    """One paying member's amount (per-member kinds), rounded half-up to the fen once."""
    if isinstance(contribution, IncomeShare):
        measure = per_capita if contribution.income == "per_capita" else household_income
        return _clamp(_round(measure * Fraction(contribution.rate)), contribution.floor, contribution.cap)
    if isinstance(contribution, Brackets):
        lower = Fraction(0)
        for bracket in contribution.brackets:
            if bracket.below is None or per_capita < bracket.below:
                break
            lower = Fraction(bracket.below)
        return _round(_bracket_amount(bracket, per_capita, lower))
    base = contribution.amount if contribution.amount is not None else standard
    if base is None:
        return None
    measure = per_capita if contribution.income == "per_capita" else household_income
    cut = next((r.share for r in contribution.reductions if measure < r.below), Decimal(0))
    return _round(Fraction(base) * (1 - Fraction(cut)))


def _bracket_amount(bracket: Bracket, per_capita: Fraction, lower: Fraction) -> Fraction:
    if bracket.amount is not None:
        return Fraction(bracket.amount)
    assert bracket.rate is not None
    rate = Fraction(bracket.rate)
    if bracket.rate_to is not None and bracket.below is not None:
        width = Fraction(bracket.below) - lower
        rate += (Fraction(bracket.rate_to) - rate) * (per_capita - lower) / width
    return per_capita * rate


def paying_order(contribution: ContributionBase, payers: Sequence[Payer]) -> list[int]:
    """The members who pay (subject, not exempt), adults first then children, each in the
    household's order, at most ``max_paying_members`` of them."""
    adults = [i for i, p in enumerate(payers) if p.applies and not p.exempt and p.adult]
    children = [i for i, p in enumerate(payers) if p.applies and not p.exempt and not p.adult]
    order = adults + children
    cap = contribution.max_paying_members
    return order[:cap] if cap is not None else order


def split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` equal fen, the remaining fen one each to the first parts."""
    if parts == 0:
        return []
    fen = int(total * 100)
    each, rest = divmod(fen, parts)
    return [Decimal(each + (1 if i < rest else 0)).scaleb(-2) for i in range(parts)]


def _round(value: Fraction) -> Decimal:
    """Half-up to the fen (values are never negative)."""
    fen = (value * 100 * 2 + 1) // 2
    return Decimal(int(fen)).scaleb(-2)


def _clamp(value: Decimal, floor: Decimal | None, cap: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        value = floor
    if cap is not None and value > cap:
        value = cap
    return value


__all__ = [
    "ADULT_AGE",
    "SOLVER_PARAMETERS",
    "Bracket",
    "Brackets",
    "Charged",
    "Contribution",
    "ContributionBase",
    "FlatReductions",
    "IncomeShare",
    "Payer",
    "Reduction",
    "charge",
    "member_amount",
    "paying_order",
    "split",
]
