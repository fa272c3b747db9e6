"""One hospital stay of one member, layer by layer: what basic cover (基本医保), critical-illness
insurance (大病保险) and medical assistance (医疗救助) pay back, and what is left to pay.

The scenario (never an average): a bill of ``bill`` yuan at a hospital of ``level``, of which
``in_scope`` (default: all of it) is inside the catalogue (政策范围内/目录内); costs outside it
are paid by the patient in full. The layers, each on what the one before left:

1. **basic**: ``(in-scope - deductible) x ratio``, at most the annual cap, from the member's row
   of the region's inpatient rule (a row for the member's age where the rule has one);
2. **大病**: the in-scope costs left after basic cover, above the deductible (a sum, or a share
   of last year's per-capita disposable income of the region), by bands, at most the cap (or the
   combined cap of basic + 大病 as a multiple of that income), with the tilt for assisted groups;
3. **assistance**: for members of an assisted group with a rule, a ratio of what is left above
   the assistance deductible, at most its annual cap.

Every layer says where its rule came from and how far to trust the amount (:data:`Bound`):
``exact`` (the region's own rule), ``at_least`` (a national floor stands in: local rules are at
least as generous), ``about`` (a national target stands in, or a value the rule needs is unknown
and was left out, said in the layer's notes). A layer whose rule is unknown has no amount; the
stay's totals are then unknown too (never 0). Amounts are rounded half-up to the fen once per
layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from ..._frozen import Frozen
from ...errors import OptionError
from ...household.amounts import parse_yuan
from ...household.members import Member
from ...household.premium import SourceRef
from ...household.rules import conditions_hold
from ...messages import Note
from ...ratebook.benefits import BenefitRules, Resolved
from ...ratefiles.benefit_model import (
    HOSPITAL_LEVELS,
    AssistedTilt,
    Band,
    CostRule,
    CriticalIllnessSection,
    HospitalLevel,
)
from ...ratefiles.model import Confidence, prose_note
from ...units import FEN, ZERO, half_up, money, short_percent

Bound = Literal["exact", "at_least", "about"]
_BOUND_ORDER: dict[str, int] = {"exact": 0, "at_least": 1, "about": 2}

#: Words for hospital levels on the command line (``--stay 30000:county``).
LEVEL_WORDS: dict[str, HospitalLevel] = {
    "primary": "primary", "township": "primary", "community": "primary", "1": "primary",
    "乡": "primary", "乡镇": "primary", "社区": "primary", "一级": "primary", "基层": "primary",
    "secondary": "secondary", "county": "secondary", "2": "secondary",
    "县": "secondary", "县级": "secondary", "二级": "secondary",
    "tertiary": "tertiary", "city": "tertiary", "3": "tertiary",
    "市": "tertiary", "市级": "tertiary", "三级": "tertiary",
}  # fmt: skip


def weaker(*bounds: Bound) -> Bound:
    """The least certain of some bounds (``about`` > ``at_least`` > ``exact``)."""
    return max(bounds, key=_BOUND_ORDER.__getitem__)


@dataclass(frozen=True)
class Stay:
    """A hospital stay scenario: a bill in yuan at a hospital level."""

    bill: Decimal
    level: HospitalLevel = "secondary"


def parse_stay(text: str) -> Stay:
    """``30000``, ``3万:county``, ``30000:三级``: a bill and an optional level (default
    ``secondary``, a county hospital). Raises :class:`~premium_calc.errors.OptionError`."""
    amount, _, level = text.strip().replace("：", ":").partition(":")
    word = level.strip().lower()
    if word and word not in LEVEL_WORDS:
        raise OptionError(
            "--stay", Note("error.stay_level", value=repr(level[:40]), levels="primary, secondary, tertiary")
        )
    bill = parse_yuan(amount, field="--stay")
    if bill <= 0:
        raise OptionError("--stay", Note("error.stay_bill", value=repr(amount[:40])))
    return Stay(bill=bill, level=LEVEL_WORDS[word] if word else "secondary")


class Basis(Frozen):
    """Where a layer's rule came from: the section's region and coverage year, what kind of
    numbers they are (``rule``, national ``floor`` or ``target``), its confidence and source."""

    section: str
    region: str
    coverage: int
    kind: Literal["rule", "floor", "target", "figure"]
    national: bool
    confidence: Confidence | None
    beyond_source: bool = False
    file: str
    key: str
    source: SourceRef | None = None

    @classmethod
    def of(cls, resolved: Resolved[Any]) -> Basis:
        origin = resolved.origin
        assert origin is not None and resolved.value is not None
        return cls(
            section=resolved.name,
            region=origin.region,
            coverage=origin.coverage,
            kind=getattr(resolved.value, "kind", "figure"),
            national=origin.national_floor,
            confidence=resolved.confidence,
            beyond_source=resolved.beyond_source,
            file=str(origin.file),
            key=origin.key_text,
            source=SourceRef.of(origin.source) if origin.source is not None else None,
        )


class Layer(Frozen):
    """What one layer pays of a stay (``amount`` ``None``: unknown, see ``missing``)."""

    layer: Literal["basic", "critical_illness", "assistance"]
    amount: Decimal | None
    bound: Bound = "exact"
    basis: Basis | None = None
    #: The values used: deductible, ratio (or the first band's), cap, row label.
    deductible: Decimal | None = None
    ratio: Decimal | None = None
    cap: Decimal | None = None
    label: str | None = None
    missing: Note | None = None
    notes: list[Note] = Field(default_factory=list)


class StayOutcome(Frozen):
    """One member's stay, layer by layer, against the same bill without cover."""

    member: int
    bill: Decimal
    level: HospitalLevel
    in_scope_share: Decimal
    in_scope: Decimal
    layers: list[Layer]
    #: What the layers pay together, and what is left: ``None`` when a layer is unknown.
    reimbursed: Decimal | None
    out_of_pocket: Decimal | None
    bound: Bound
    #: What the patient pays without cover: the whole bill.
    uninsured: Decimal
    #: Reimbursed without the assistance layer (what a member of no assisted group would get).
    reimbursed_without_assistance: Decimal | None = None
    notes: list[Note] = Field(default_factory=list)


def _kind_bound(kind: str) -> Bound:
    if kind == "floor":
        return "at_least"
    return "about" if kind == "target" else "exact"


def _row_for(rows: tuple[CostRule, ...], member: Member, year: int) -> tuple[CostRule | None, list[Note]]:
    """The row of a level for a member: one whose ``when`` holds, else one for everyone (no
    ``group``), else the first; a note when others were left aside."""
    notes: list[Note] = []
    tested = [r for r in rows if r.when is not None]
    fitting = [r for r in tested if conditions_hold(_conditions(r), member, year) is True]
    plain = [r for r in rows if r.when is None and r.group is None]
    grouped = [r for r in rows if r.when is None and r.group is not None]
    chosen = fitting or plain or grouped
    if not chosen:
        return None, notes
    row = chosen[0]
    others = [r for r in rows if r is not row and r.when is None and (r.label or r.group)]
    if others:
        named = "; ".join(str(r.label or r.group) for r in others)
        notes.append(Note("worth.note.other_rows", used=row.label or row.group or "", others=named))
    if row.group is not None and row.when is None:
        notes.append(Note("worth.note.group_row", group=row.group))
    return row, notes


def _conditions(row: CostRule) -> list[Any]:
    when = row.when
    return [] if when is None else (list(when) if isinstance(when, list) else [when])


def _basic(rules: BenefitRules, member: Member, stay: Stay, in_scope: Decimal) -> Layer:
    section = rules.inpatient
    if section.value is None or section.origin is None:
        return Layer(layer="basic", amount=None, missing=_why(section), bound="about")
    basis = Basis.of(section)
    bound = _kind_bound(section.value.kind)
    row, notes = _row_for(section.value.rules_for(stay.level), member, rules.year)
    if row is None or row.ratio is None:
        missing = Note("worth.note.no_row", level=Note(f"worth.level.{stay.level}"))
        return Layer(layer="basic", amount=None, basis=basis, missing=missing, bound="about", notes=notes)
    deductible = row.deductible
    if deductible is None:
        bound = weaker(bound, "about")
        notes.append(Note("worth.note.deductible_unknown"))
    if row.deductible_per == "year":
        notes.append(Note("worth.note.deductible_per_year"))
    paid = max(ZERO, in_scope - (deductible or ZERO)) * row.ratio
    cap = section.value.annual_cap
    if cap is None:
        notes.append(Note("worth.note.cap_unknown"))
    elif paid > cap:
        paid = cap
        notes.append(Note("worth.note.cap_reached", cap=money(cap)))
    if section.value.kind == "target":
        notes.insert(0, Note("worth.note.target_stands_in", ratio=short_percent(row.ratio)))
    elif section.value.kind == "floor":
        notes.insert(0, Note("worth.note.floor_stands_in"))
    return Layer(
        layer="basic",
        amount=half_up(paid, FEN),
        bound=bound,
        basis=basis,
        deductible=deductible,
        ratio=row.ratio,
        cap=cap,
        label=str(row.label) if row.label else None,
        notes=notes,
    )


def _why(section: Resolved[Any]) -> Note:
    reason = section.missing
    return (
        prose_note(reason)
        if reason is not None
        else Note("worth.note.no_rule", section=Note(f"worth.section.{section.name}"))
    )


def _banded(amount: Decimal, start: Decimal, bands: list[Band], points: Decimal) -> Decimal:
    """What bands pay of ``amount`` (eligible costs) above ``start`` (the deductible)."""
    paid, lower = ZERO, start
    for band in bands:
        upper = band.up_to if band.up_to is not None else amount
        if amount > lower and upper > lower:
            paid += (min(amount, upper) - lower) * min(Decimal(1), band.ratio + points)
        lower = max(lower, upper)
    return paid


def _critical(
    rules: BenefitRules,
    floors: BenefitRules,
    member: Member,
    eligible: Decimal,
    basic: Decimal,
    income: Decimal | None,
    income_label: Note | None,
) -> Layer:
    section = rules.critical_illness
    floor = floors.critical_illness.value
    if section.value is None or section.origin is None:
        return Layer(layer="critical_illness", amount=None, missing=_why(section), bound="about")
    own: CriticalIllnessSection = section.value
    basis = Basis.of(section)
    bound = _kind_bound(own.kind)
    notes: list[Note] = []
    if own.kind == "floor":
        notes.append(Note("worth.note.floor_stands_in"))

    def from_floor(name: str) -> Any:
        nonlocal bound
        value = getattr(own, name)
        if value in (None, []) and floor is not None and floor is not own:
            borrowed = getattr(floor, name)
            if borrowed not in (None, []):
                bound = weaker(bound, "at_least")
                notes.append(Note("worth.note.floor_value", what=Note(f"worth.value.{name}")))
                return borrowed
        return value

    deductible: Decimal | None = own.deductible
    if deductible is None:
        share = own.deductible_income_share
        if share is None and floor is not None and floor.deductible is None:
            share = from_floor("deductible_income_share")
        if share is not None and income is not None:
            deductible = half_up(share * income, FEN)
            notes.append(
                Note(
                    "worth.note.deductible_from_income",
                    deductible=money(deductible),
                    share=short_percent(share),
                    income=money(income),
                    label=income_label or "",
                )
            )
        elif share is not None:
            notes.append(Note("worth.note.no_income_for_deductible"))
    bands: list[Band] = from_floor("bands")
    if deductible is None or not bands:
        missing = Note("worth.note.critical_incomplete")
        return Layer(
            layer="critical_illness", amount=None, basis=basis, missing=missing, bound="about", notes=notes
        )
    tilt: AssistedTilt | None = next((t for t in own.assisted if set(member.assisted) & set(t.groups)), None)
    if tilt is None and not own.assisted and floor is not None:
        tilt = next((t for t in floor.assisted if set(member.assisted) & set(t.groups)), None)
        if tilt is not None:
            bound = weaker(bound, "at_least")
            notes.append(Note("worth.note.floor_value", what=Note("worth.value.assisted")))
    points = ZERO
    cap: Decimal | None = None if own.no_cap else own.cap
    if tilt is not None:
        notes.append(Note("worth.note.tilt", name=tilt.name))
        if tilt.deductible is not None:
            deductible = tilt.deductible
        elif tilt.deductible_cut is not None:
            deductible = half_up(deductible * (1 - tilt.deductible_cut), FEN)
        points = tilt.ratio_points or ZERO
        bands = tilt.bands or bands
        cap = None if tilt.no_cap else (tilt.cap if tilt.cap is not None else cap)
    paid = _banded(eligible, deductible, bands, points)
    if cap is not None and paid > cap:
        paid = cap
        notes.append(Note("worth.note.cap_reached", cap=money(cap)))
    multiple = own.combined_cap_income_multiple
    if multiple is not None and income is not None and (tilt is None or not tilt.no_cap):
        room = max(ZERO, multiple * income - basic)
        if paid > room:
            paid = room
            notes.append(Note("worth.note.combined_cap", multiple=multiple.normalize()))
    if cap is None and not own.no_cap and multiple is None and (tilt is None or not tilt.no_cap):
        notes.append(Note("worth.note.cap_unknown"))
    return Layer(
        layer="critical_illness",
        amount=half_up(paid, FEN),
        bound=bound,
        basis=basis,
        deductible=deductible,
        ratio=min(Decimal(1), bands[0].ratio + points),
        cap=cap,
        notes=notes,
    )


def _assistance(rules: BenefitRules, member: Member, left: Decimal) -> Layer | None:
    """Medical assistance for an assisted member (``None``: the member is in no group)."""
    if not member.assisted:
        return None
    section = rules.assistance
    if section.value is None or section.origin is None:
        return Layer(layer="assistance", amount=None, missing=_why(section), bound="about")
    rule = section.value.rule_for(set(member.assisted))
    basis = Basis.of(section)
    if rule is None:
        missing = Note("worth.note.no_assistance_rule")
        return Layer(layer="assistance", amount=None, basis=basis, missing=missing, bound="about")
    notes: list[Note] = [Note("worth.note.assistance_rule", name=rule.name)]
    bound = _kind_bound(section.value.kind)
    if section.value.kind == "floor":
        notes.insert(0, Note("worth.note.floor_stands_in"))
    if rule.deductible is None and section.value.kind != "rule":
        bound = weaker(bound, "about")
        notes.append(Note("worth.note.deductible_unknown"))
    paid = max(ZERO, left - (rule.deductible or ZERO)) * rule.ratio
    if rule.annual_cap is not None and paid > rule.annual_cap:
        paid = rule.annual_cap
        notes.append(Note("worth.note.cap_reached", cap=money(rule.annual_cap)))
    elif rule.annual_cap is None:
        notes.append(Note("worth.note.cap_unknown"))
    return Layer(
        layer="assistance",
        amount=half_up(paid, FEN),
        bound=bound,
        basis=basis,
        deductible=rule.deductible,
        ratio=rule.ratio,
        cap=rule.annual_cap,
        notes=notes,
    )


def price_stay(
    rules: BenefitRules,
    floors: BenefitRules,
    member: Member,
    index: int,
    stay: Stay,
    *,
    in_scope_share: Decimal = Decimal(1),
    income: Decimal | None = None,
    income_label: Note | None = None,
) -> StayOutcome:
    """One member's stay under the region's rules (``floors``: the national rules of the same
    year, whose values stand in where the region's 大病 rule leaves one out). ``income``: last
    year's per-capita disposable income of the region, for a 大病 deductible set as a share of
    it (``income_label`` says which statistic it is)."""
    if not ZERO <= in_scope_share <= 1:
        raise OptionError("--in-scope", Note("error.in_scope_range", value=repr(str(in_scope_share))))
    in_scope = half_up(stay.bill * in_scope_share, FEN)
    layers: list[Layer] = [_basic(rules, member, stay, in_scope)]
    notes: list[Note] = []
    if in_scope_share == 1:
        notes.append(Note("worth.note.all_in_scope"))
    else:
        notes.append(
            Note(
                "worth.note.in_scope",
                share=short_percent(in_scope_share),
                outside=money(stay.bill - in_scope),
            )
        )
    basic = layers[0].amount
    if basic is not None:
        layers.append(_critical(rules, floors, member, in_scope - basic, basic, income, income_label))
    else:
        layers.append(
            Layer(
                layer="critical_illness", amount=None, missing=Note("worth.note.needs_basic"), bound="about"
            )
        )
    critical = layers[1].amount
    before_assistance = basic + critical if basic is not None and critical is not None else None
    if member.assisted:
        if before_assistance is not None:
            layer = _assistance(rules, member, in_scope - before_assistance)
            assert layer is not None
            layers.append(layer)
        else:
            missing = Note("worth.note.needs_basic")
            layers.append(Layer(layer="assistance", amount=None, missing=missing, bound="about"))
    bound = weaker(
        *(layer.bound for layer in layers if layer.amount is not None or layer.layer != "assistance")
    )
    reimbursed = before_assistance
    if reimbursed is not None and len(layers) == 3:
        help_amount = layers[2].amount
        if help_amount is None:
            bound = weaker(bound, "at_least")
            notes.append(Note("worth.note.assistance_not_counted"))
        else:
            reimbursed += help_amount
    return StayOutcome(
        member=index,
        bill=stay.bill,
        level=stay.level,
        in_scope_share=in_scope_share,
        in_scope=in_scope,
        layers=layers,
        reimbursed=reimbursed,
        out_of_pocket=stay.bill - reimbursed if reimbursed is not None else None,
        bound=bound,
        uninsured=stay.bill,
        reimbursed_without_assistance=before_assistance,
        notes=notes,
    )


__all__ = [
    "HOSPITAL_LEVELS",
    "LEVEL_WORDS",
    "Basis",
    "Bound",
    "Layer",
    "Stay",
    "StayOutcome",
    "parse_stay",
    "price_stay",
]
