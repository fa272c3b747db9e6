"""``[[change]]`` entries applied to a resolved :class:`~premium_calc.ratebook.schedule.Schedule`.

A change applies where its ``region`` is the schedule's region or one of its ancestors, for
its ``years`` (all when left out). Keys are those of ``rates set``
(:mod:`premium_calc.ratefiles.change_keys`), plus ``individual``: every category's flat amount
and tier amounts. Values are new values (``300``), changes of the value in force (``+100``,
``-10%``: money rounded half-up to the fen, :mod:`premium_calc.ratefiles.changes`) or shares
(``50%``). Each changed value gets an :class:`~premium_calc.ratebook.schedule.Origin` in the
reform file (key path ``change[i].value``) whose source says it is the reform, not a notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...errors import EditError, ReformFileError
from ...messages import Note
from ...ratebook.schedule import Origin, Schedule, ScheduleAssist, ScheduleCategory
from ...ratefiles.change_keys import FORMULA_PARTS, KeySpec, parse_key
from ...ratefiles.changes import Change, parse_change
from ...ratefiles.keypaths import format_path
from ...ratefiles.model import MAX_AMOUNT, Source
from ...units import FEN
from .model import ChangeEntry

#: Where ``--set`` overrides come from (the "file" of their errors and origins).
SETTINGS_FILE = Path("--set")

#: The reform's own key for every category's amount (not a ``rates set`` key).
ALL_AMOUNTS = "individual"


@dataclass(frozen=True)
class ParsedChange:
    """A change entry with its key and value parsed (``spec`` is ``None`` for ``individual``)."""

    index: int
    entry: ChangeEntry
    spec: KeySpec | None
    change: Change
    value: Decimal | None  # the new value, for a change that sets one

    @property
    def kind(self) -> str:
        return self.spec.kind if self.spec is not None else "money"

    @property
    def key(self) -> str:
        return self.entry.key.strip()

    def applies(self, schedule: Schedule) -> bool:
        years = self.entry.years
        return self.entry.region in schedule.chain and (years is None or schedule.coverage_year in years)


def parse_changes(
    entries: Sequence[ChangeEntry], file: Path, lines: dict[int, int] | None = None
) -> list[ParsedChange]:
    """Every change entry, parsed, or a :class:`ReformFileError` at ``file:line`` of the first bad one."""
    out = []
    for i, entry in enumerate(entries):
        where = (lines or {}).get(i)
        try:
            out.append(parse_one(i, entry))
        except EditError as exc:
            raise _error(file, i, where, exc.note, "key" if "key" in exc.note.key else "value") from None
    return out


def parse_one(index: int, entry: ChangeEntry) -> ParsedChange:
    key = entry.key.strip()
    try:
        spec = None if key == ALL_AMOUNTS else parse_key(key)
    except EditError:
        raise EditError(_unknown_key(key)) from None
    kind = spec.kind if spec is not None else "money"
    if spec is not None and (kind in ("text", "date", "bool") or spec.sub in FORMULA_PARTS):
        raise EditError(Note("error.reform_key_kind", key=key))
    change = parse_change(entry.value, kind, key)
    value = None if change.relative else _new_value(kind, entry.value, key)
    return ParsedChange(index, entry, spec, change, value)


#: The keys a reform changes, as suggestions (ID: the category or rule id written).
_KEYS = ("individual", "subsidy", "late.amount", "late.waiting_days")
_CATEGORY_KEYS = ("individual", "subsidy", "tiers.TIER", "includes.NAME")
_ASSISTED_KEYS = ("pays", "pays_share", "assistance")


def _unknown_key(key: str) -> Note:
    """An unknown key with the closest one a reform can change (rapidfuzz), and the forms."""
    from ...ratefiles.pydantic_errors import suggest_key

    parts = key.split(".")
    ident = parts[1] if len(parts) > 2 else "ID"
    candidates = [*_KEYS, *(f"category.{ident}.{k}" for k in _CATEGORY_KEYS)]
    candidates += [f"assisted.{ident}.{k}" for k in _ASSISTED_KEYS]
    near = suggest_key(key, candidates)
    forms = ", ".join([*_KEYS, "category.ID.individual", "category.ID.subsidy", "category.ID.tiers.TIER"])
    forms += ", assisted.ID.pays, assisted.ID.pays_share, assisted.ID.assistance"
    if near is not None:
        return Note("error.reform_unknown_key_near", key=repr(key[:60]), suggestion=near, keys=forms)
    return Note("error.reform_unknown_key", key=repr(key[:60]), keys=forms)


def _new_value(kind: str, text: str, key: str) -> Decimal:
    raw = text.strip().replace(" ", "")
    if kind == "rate":
        percent = raw.endswith("%")
        try:
            share = Decimal(raw[:-1] if percent else raw) / (100 if percent else 1)
        except (InvalidOperation, ArithmeticError):
            share = Decimal(-1)
        if not share.is_finite() or not 0 <= share <= 1:
            raise EditError(Note("edit.not_a_share", key=key, value=repr(text)))
        return share
    if kind == "int":
        if not raw.isdigit() or int(raw) > 3650:
            raise EditError(Note("edit.not_days", key=key, value=repr(text)))
        return Decimal(int(raw))
    try:
        amount = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(FEN):
        raise EditError(Note("edit.not_an_amount", key=key, value=repr(text)))
    return amount


def _error(file: Path, index: int, line: int | None, note: Note, part: str) -> ReformFileError:
    if file == SETTINGS_FILE:  # an override: its text names the key
        return ReformFileError(file, note, rule="change")
    path = ("change", index, part)
    return ReformFileError(file, note, line=line, key=format_path(path), key_path=path, rule="change")


def reform_source(name_en: str, name_zh: str) -> Source:
    """The source of every reformed value: the reform, not a notice (low confidence: never the
    original source's as fact; results mark the values as a scenario)."""
    return Source(
        title=f"Reform scenario '{name_en}' (not a rule in force)",
        title_zh=f"改革情景“{name_zh}”（不是现行规定）",
        confidence="low",
    )


def apply_changes(
    schedule: Schedule,
    changes: Sequence[ParsedChange],
    file: Path,
    source: Source,
    lines: dict[int, int] | None = None,
    file_changes: int | None = None,
) -> tuple[Schedule, list[str]]:
    """``schedule`` with the changes that apply to it, and the keys changed (in order).

    Changes from ``file_changes`` on are ``--set`` overrides (their origin is ``--set``)."""
    changed: list[str] = []
    for c in changes:
        if not c.applies(schedule):
            continue
        where = file if file_changes is None or c.index < file_changes else SETTINGS_FILE
        key = ("change", c.index, "value") if where != SETTINGS_FILE else ("set", c.key)
        origin = Origin(schedule.region, where, key, source)
        try:
            schedule = _apply(schedule, c, origin)
        except EditError as exc:
            raise _error(where, c.index, (lines or {}).get(c.index), exc.note, "value") from None
        changed.append(c.key)
    return schedule, changed


def _new(c: ParsedChange, old: Decimal | None) -> Decimal:
    if c.change.relative:
        return c.change.apply(old, c.key)
    assert c.value is not None
    return c.value


def _missing(c: ParsedChange, schedule: Schedule, what: str) -> EditError:
    return EditError(
        Note(
            "error.reform_no_value", key=c.key, region=schedule.region, year=schedule.coverage_year, what=what
        )
    )


def _apply(schedule: Schedule, c: ParsedChange, origin: Origin) -> Schedule:
    spec = c.spec
    if spec is None:  # individual: every category's amount
        cats = tuple(_category_amount(cat, c, origin) for cat in schedule.categories)
        return replace(schedule, categories=cats)
    if spec.section == "year":  # subsidy
        new = _new(c, schedule.subsidy)
        year_origin = schedule.subsidy_origin
        cats = tuple(
            replace(cat, subsidy=new, origins={**cat.origins, "subsidy": origin})
            if cat.subsidy_origin == year_origin
            else cat
            for cat in schedule.categories
        )
        return replace(
            schedule, subsidy=new, categories=cats, origins={**schedule.origins, "subsidy": origin}
        )
    if spec.section == "late":
        if schedule.late is None:
            raise _missing(c, schedule, "late")
        old = getattr(schedule.late, spec.field)
        new = _new(c, Decimal(old) if old is not None else None)
        value: Decimal | int = int(new) if spec.kind == "int" else new
        late = schedule.late.model_copy(update={spec.field: value})
        return replace(schedule, late=late, origins={**schedule.origins, "late": origin})
    if spec.section == "assisted":
        return _assisted(schedule, c, spec, origin)
    cat = next((x for x in schedule.categories if x.id == spec.ident), None)
    if cat is None:
        known = ", ".join(x.id for x in schedule.categories)
        raise _missing(c, schedule, f"category {spec.ident!r} (categories: {known})")
    if spec.field == "individual":
        new_cat = _category_amount(cat, c, origin, strict=True)
    elif spec.field == "subsidy":
        new = _new(c, cat.subsidy)
        new_cat = replace(cat, subsidy=new, origins={**cat.origins, "subsidy": origin})
    else:  # tiers / includes
        values = dict(cat.tier_amounts if spec.field == "tiers" else cat.includes)
        sub = spec.sub or ""
        if sub not in values and c.change.relative:
            raise _missing(c, schedule, f"{spec.field}.{sub}")
        values[sub] = _new(c, values.get(sub))
        if spec.field == "tiers":
            origins = {**cat.origins, "individual": origin.at("individual")}
            new_cat = replace(cat, tier_amounts=values, origins=origins)
        else:
            new_cat = replace(cat, includes=values)
    cats = tuple(new_cat if x.id == cat.id else x for x in schedule.categories)
    return replace(schedule, categories=cats)


def _category_amount(
    cat: ScheduleCategory, c: ParsedChange, origin: Origin, strict: bool = False
) -> ScheduleCategory:
    """A category with its flat amount (and tier amounts) changed; a category without an
    amount (``missing``) is given one only by a new value, not by a relative change."""
    # amount_origin is the table of the "individual" origin: keep the reform's key path whole.
    amount_origin = origin.at("individual")
    if cat.tier_amounts:
        tiers = {k: _new(c, v) for k, v in cat.tier_amounts.items()}
        return replace(cat, tier_amounts=tiers, origins={**cat.origins, "individual": amount_origin})
    if cat.individual is None and c.change.relative:
        if strict:
            raise EditError(Note("edit.change_no_value", key=c.key, change=c.change.text))
        return cat  # no amount to change
    new = _new(c, cat.individual)
    return replace(
        cat, individual=new, missing=None, formula=None, origins={**cat.origins, "individual": amount_origin}
    )


def _assisted(schedule: Schedule, c: ParsedChange, spec: KeySpec, origin: Origin) -> Schedule:
    rule = next((a for a in schedule.assisted if a.id == spec.ident), None)
    if rule is None:
        known = ", ".join(a.id for a in schedule.assisted) or "-"
        raise _missing(c, schedule, f"assisted rule {spec.ident!r} (rules: {known})")
    old = getattr(rule.rule, spec.field)
    new = _new(c, old if isinstance(old, Decimal) else None)
    update: dict[str, object] = {"pays": None, "pays_share": None, "assistance": None, "missing": None}
    update["at_most"] = None
    update[spec.field] = new
    changed = ScheduleAssist(rule.rule.model_copy(update=update), origin)
    assisted = tuple(changed if a.id == rule.id else a for a in schedule.assisted)
    return replace(schedule, assisted=assisted)


__all__ = ["ALL_AMOUNTS", "SETTINGS_FILE", "ParsedChange", "apply_changes", "parse_changes", "reform_source"]
