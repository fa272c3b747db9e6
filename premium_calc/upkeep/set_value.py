"""``premium-calc rates set``: one value of one coverage year, with its source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import Note
from ..ratebook.book import RateBook
from ..units import exact_text

if TYPE_CHECKING:
    from tomlkit.items import Table

from ..errors import EditError, PremiumCalcError
from ..ratebook.schedule import Schedule
from .changes import parse_change
from .commit import EditResult, finish_edit, read_text
from .follow_up import confidence_note, fixed_assistance, follow_late, notes_to_review
from .in_force import formula_of, in_force
from .inherited import resolve_with
from .keys import KeySpec, parse_key, source_literal, toml_literal, toml_string
from .target import resolve_target
from .toml_blocks import (
    inline_text,
    newline_of,
    parse_block,
    render_block,
    same_newlines,
    set_after,
    set_member,
    split_trailing,
    toml_item,
    year_blocks,
)


def set_value(
    book_or_path: RateBook | Path | str,
    region: str,
    year: int,
    key: str,
    value: str,
    *,
    source_url: str | None = None,
    source_title: str | None = None,
    confidence: str | None = None,
    dry_run: bool = False,
    allow_outside: bool = False,
) -> EditResult:
    """Set one value of ``region``'s entry for coverage ``year`` (see :data:`KEY_HELP`).

    A value (an amount, a date, a number of days) needs ``source_url``; notes and
    ``below_minimum`` take none. A category or assisted rule this file does not list but
    inherits is added to the entry (for categories, with the whole inherited list, so
    nothing else changes); a ``collection`` or ``late`` table it inherits is copied first.
    """
    spec = parse_key(key)
    change = parse_change(value, spec.kind, spec.raw)
    literal = "" if change.relative else toml_literal(spec.kind, value, spec.raw)
    source: str | None = None
    if spec.sourced:
        if not source_url:
            raise EditError(Note("edit.needs_source", key=spec.raw))
        source = source_literal(source_url, source_title, confidence)
    elif source_url:
        raise EditError(Note("edit.no_source_for_note", key=spec.raw))
    book, region_id, path = resolve_target(book_or_path, region, allow_outside=allow_outside or dry_run)
    old_text = read_text(path)
    reg = book.region(region_id)
    found = reg.year(year)
    if found is None:
        years = ", ".join(str(y) for y in reg.years()) or "none"
        raise EditError(Note("edit.no_year", region=region_id, year=year, years=years))
    index = found[0]
    blocks = year_blocks(old_text, reg, path)
    block = blocks.text(index)
    doc = parse_block(block)
    entry = doc["year"][0]
    before = book.schedule(region_id, year)
    old_value = in_force(book, before, spec) if spec.kind in ("money", "int", "rate") else None
    shown = value.strip()
    if change.relative:
        new_value = change.apply(old_value, spec.raw)
        literal = toml_literal(spec.kind, exact_text(new_value), spec.raw)
        shown = f"{exact_text(new_value)} ({exact_text(old_value or Decimal(0))} {change.text})"
    notes: list[Note] = []
    appendix = _apply_set(book, region_id, year, entry, spec, literal, source, notes)

    def render() -> str:
        new_block = same_newlines(block, render_block(block, doc))
        if appendix:
            content, trailing = split_trailing(new_block)
            nl = newline_of(old_text)
            new_block = content + nl + appendix.replace("\n", nl) + trailing
        return blocks.replace(index, new_block)

    new_text = render()
    figures: list[Decimal] = [old_value] if old_value is not None else []
    after = _resolved(book, region_id, path, new_text, year)
    if after is not None and spec.raw != "late.amount":
        changed, said = follow_late(entry, before, after, region_id)
        notes += said
        if changed:
            new_text = render()
            after = _resolved(book, region_id, path, new_text, year)
            if before.late is not None:
                figures.append(before.late.amount)
    if after is not None:
        notes += fixed_assistance(before, after)
    notes += notes_to_review(entry, [f for f in figures if literal != exact_text(f)])
    if after is not None and spec.sourced:
        notes.append(confidence_note(before, after))
    label = f"{spec.raw} = {shown}"
    return finish_edit(book, region_id, path, year, old_text, new_text, dry_run, notes, label)


def _resolved(book: RateBook, region_id: str, path: Path, text: str, year: int) -> Schedule | None:
    """The year as the edited text resolves it (``None`` if it does not: the edit's own check
    then says why)."""
    try:
        return resolve_with(book, region_id, path, text, year)
    except PremiumCalcError:
        return None


def _apply_set(
    book: RateBook,
    region_id: str,
    year: int,
    entry: Table,
    spec: KeySpec,
    literal: str,
    source: str | None,
    notes: list[Note],
) -> str:
    """Change the tomlkit entry; return text of tables to append to the entry (or "")."""
    if spec.section == "year":
        entry[spec.field] = toml_item(literal)
        if source is not None:
            set_after(entry, spec.field, f"{spec.field}_source", toml_item(source))
        return ""
    if spec.section in ("collection", "late"):
        name = spec.section
        if name not in entry:
            _copy_inherited_table(book, region_id, year, entry, name, notes)
        set_member(entry, name, spec.field, literal)
        if source is not None:
            set_member(entry, name, "source", source)
        return ""
    assert spec.ident is not None
    kind = spec.section
    tables = entry.get(kind)
    own = None
    for table in tables or ():
        if table.get("id") == spec.ident:
            own = table
            break
    if own is None:
        return _new_tables(book, region_id, year, entry, spec, literal, source, notes)
    if spec.sub is not None:
        if spec.field == "individual" and not isinstance(own.get("individual", {}), dict):
            raise EditError(Note("edit.not_a_formula", key=spec.raw, category=spec.ident))
        if spec.field not in own:
            seeded = _inherited_members(book, region_id, year, spec)
            if seeded:
                own[spec.field] = toml_item(inline_text(seeded))
                keys = ", ".join(k for k, _ in seeded)
                notes.append(
                    Note("edit.copied_members", key=f"category.{spec.ident}.{spec.field}", keys=keys)
                )
        set_member(own, spec.field, spec.sub, literal)
    else:
        if kind == "assisted" and spec.field in ("pays", "pays_share", "assistance"):
            for other in ("pays", "pays_share", "assistance"):
                if other != spec.field and other in own:
                    del own[other]
                    notes.append(Note("edit.amount_form_removed", key=f"assisted.{spec.ident}.{other}"))
        if kind == "category" and spec.field == "individual" and isinstance(own.get("individual"), dict):
            notes.append(Note("edit.formula_replaced", category=spec.ident, value=literal))
        if kind == "category" and spec.field in ("individual", "tiers") and "missing" in own:
            del own["missing"]
            notes.append(Note("edit.missing_removed", key=f"category.{spec.ident}.missing"))
        own[spec.field] = toml_item(literal)
    if source is not None:
        if "source" in own:
            notes.append(Note("edit.one_source", key=f"{kind}.{spec.ident}", source=source))
        own["source"] = toml_item(source)
    return ""


def _copy_inherited_table(
    book: RateBook, region_id: str, year: int, entry: Table, name: str, notes: list[Note]
) -> None:
    schedule = book.schedule(region_id, year)
    inherited = schedule.collection if name == "collection" else schedule.late
    if inherited is None:
        return
    fields = ("start", "end") if name == "collection" else ("amount", "start", "end", "waiting_days")
    pairs: list[tuple[str, str]] = []
    for f in fields:
        v = getattr(inherited, f)
        if v is None:
            continue
        pairs.append((f, v.isoformat() if isinstance(v, dt.date) else exact_text(Decimal(v))))
    origin = schedule.collection_origin if name == "collection" else schedule.late_origin
    where = origin.region if origin is not None else "the parent"
    entry[name] = toml_item(inline_text(pairs))
    if pairs:
        copied = ", ".join(k for k, _ in pairs)
        notes.append(Note("edit.copied_table", table=name, keys=copied, region=where))


def _new_tables(
    book: RateBook,
    region_id: str,
    year: int,
    entry: Table,
    spec: KeySpec,
    literal: str,
    source: str | None,
    notes: list[Note],
) -> str:
    """Tables to append for a category or assisted rule this entry does not list yet."""
    schedule = book.schedule(region_id, year)
    assert spec.ident is not None
    if spec.section == "category":
        ids = [c.id for c in schedule.categories]
        if entry.get("category") is not None or spec.ident not in ids:
            raise EditError(
                Note(
                    "edit.no_category",
                    region=region_id,
                    year=year,
                    category=repr(spec.ident),
                    ids=", ".join(ids),
                )
            )
        out = []
        for cat_id in ids:
            lines = ["  [[year.category]]", f"  id = {toml_string(cat_id)}"]
            if cat_id == spec.ident:
                lines.append(_member_line(spec, literal, _inherited_members(book, region_id, year, spec)))
                if source is not None:
                    lines.append(f"  source = {source}")
            out.append("\n".join(lines) + "\n")
        notes.append(Note("edit.categories_listed", ids=", ".join(ids)))
        return "\n".join(out)
    rules = {a.id: a for a in schedule.assisted}
    if spec.ident not in rules:
        raise EditError(
            Note(
                "edit.no_rule",
                region=region_id,
                year=year,
                rule=repr(spec.ident),
                rules=", ".join(rules) or Note("error.none"),
            )
        )
    if spec.field not in ("pays", "pays_share", "assistance"):
        raise EditError(Note("edit.rule_inherited", key=spec.raw, region=rules[spec.ident].origin.region))
    rule = rules[spec.ident].rule
    lines = [
        "  [[year.assisted]]",
        f"  id = {toml_string(rule.id)}",
        f"  name = {{ zh = {toml_string(rule.name.zh)}, en = {toml_string(rule.name.en)} }}",
    ]
    if rule.groups:
        lines.append("  groups = [" + ", ".join(toml_string(g) for g in rule.groups) + "]")
    if rule.disability_grades:
        lines.append("  disability_grades = [" + ", ".join(str(g) for g in rule.disability_grades) + "]")
    if rule.when is not None:
        raise EditError(Note("edit.rule_has_when", key=spec.raw))
    lines.append(_member_line(spec, literal))
    if source is not None:
        lines.append(f"  source = {source}")
    notes.append(Note("edit.rule_copied", rule=rule.id, region=rules[spec.ident].origin.region))
    return "\n".join(lines) + "\n"


def _member_line(spec: KeySpec, literal: str, seeded: list[tuple[str, str]] | None = None) -> str:
    if spec.sub is not None:
        pairs = [(k, v) for k, v in seeded or () if k != spec.sub]
        keys = [k for k, _ in seeded or ()]
        at = keys.index(spec.sub) if spec.sub in keys else len(pairs)
        pairs.insert(at, (spec.sub, literal))
        return f"  {spec.field} = {inline_text(pairs)}"
    return f"  {spec.field} = {literal}"


def _inherited_members(book: RateBook, region_id: str, year: int, spec: KeySpec) -> list[tuple[str, str]]:
    """The resolved tier amounts or includes of a category, or the parts of its base x rate x
    months amount, as (key, literal) pairs."""
    if spec.section != "category" or spec.field not in ("tiers", "includes", "individual"):
        return []
    schedule = book.schedule(region_id, year)
    for cat in schedule.categories:
        if cat.id != spec.ident:
            continue
        if spec.field == "individual":
            formula = formula_of(book, cat)
            if formula is None:
                return []
            rate = toml_string(f"{exact_text(formula.rate * 100)}%")
            return [("base", exact_text(formula.base)), ("rate", rate), ("months", str(formula.months))]
        values = cat.tier_amounts if spec.field == "tiers" else cat.includes
        return [(k, exact_text(v)) for k, v in values.items()]
    return []
