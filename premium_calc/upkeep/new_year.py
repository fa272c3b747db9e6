"""``premium-calc rates new-year``: a new coverage year from an existing one, with bumps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import Note, tr
from ..ratebook.book import RateBook
from ..ratefiles.reading import Region
from ..units import exact_text

if TYPE_CHECKING:
    from tomlkit.items import Table

from ..errors import EditError, PremiumCalcError
from ..ratebook.schedule import Schedule
from .changes import Change, parse_change
from .commit import EditResult, finish_edit, read_text
from .follow_up import fixed_assistance, follow_late, notes_to_review
from .inherited import resolve_with, shift_date
from .keys import parse_key, source_literal, toml_literal, toml_string
from .target import resolve_target
from .toml_blocks import (
    YearBlocks,
    get_member,
    newline_of,
    parse_block,
    render_block,
    same_newlines,
    set_member,
    split_trailing,
    toml_item,
    year_blocks,
)

_BUMP_KEY = re.compile(r"^[a-z][a-z0-9_.]*$")

#: Keys a bump may name besides any ``rates set`` amount key, with the kind of value each is:
#: ``individual`` is every category's amount (flat and tiers), ``subsidy`` every subsidy,
#: ``individual.base`` / ``.rate`` / ``.months`` the parts of every base x rate x months amount.
GROUP_KEYS: dict[str, str] = {
    "individual": "money",
    "subsidy": "money",
    "late": "money",
    "late.amount": "money",
    "individual.base": "money",
    "individual.rate": "rate",
    "individual.months": "int",
}


def _kind(key: str) -> str:
    kind = GROUP_KEYS.get(key) or parse_key(key).kind
    if kind not in ("money", "rate", "int") or key.endswith(("waiting_days", "pays_share")):
        raise EditError(Note("edit.bump_not_an_amount", key=key))
    return kind


def parse_bumps(specs: Iterable[str]) -> dict[str, str]:
    """``["individual=+20", "subsidy=+5%"]`` -> ``{"individual": "+20", "subsidy": "+5%"}``,
    each checked in the one syntax of :mod:`.changes`; a key given twice is refused."""
    out: dict[str, str] = {}
    for spec in specs:
        key, sep, value = (part.strip() for part in spec.partition("="))
        if not sep or not value or not _BUMP_KEY.match(key):
            raise EditError(Note("edit.not_a_bump_spec", spec=repr(spec)))
        if key in out:
            raise EditError(Note("edit.bump_twice", key=key, first=out[key], second=value))
        parse_change(value, _kind(key), key)
        out[key] = value.replace(" ", "")
    return out


def new_year(
    book_or_path: RateBook | Path | str,
    region: str,
    from_year: int,
    to_year: int,
    bumps: Mapping[str, str | int | Decimal] | None = None,
    *,
    source_url: str | None = None,
    source_title: str | None = None,
    confidence: str | None = None,
    dry_run: bool = False,
    allow_outside: bool = False,
) -> EditResult:
    """Add coverage ``to_year`` to ``region``, copied from its entry for ``from_year``.

    The copy keeps the entry's keys, categories, tiers and assisted rules; ``policy`` and
    the collection/late dates move by ``to_year - from_year`` years; per-value sources are
    dropped (the old ones do not cover the new year). ``bumps`` change amounts:
    ``{"individual": "+20"}`` every category amount (flat and tiers), ``"subsidy"`` every
    subsidy, ``"late.amount"``, ``individual.base`` (every base x rate x months amount's base;
    ``.rate``, ``.months``), or any ``rates set`` amount key (``category.adult.tiers.tier1``);
    values are written as in :mod:`.changes`: ``+N``, ``-N``, ``+N%`` (half-up to the fen) or
    ``N`` (the new value: an int or Decimal is a new value too). A late amount that was the
    individual amount plus the subsidy (or the individual amount) follows them; notes that
    quote a replaced figure or the old years are named for review.
    Without ``source_url`` the year's source is a low-confidence draft note saying so.
    """
    for option, year in (("--from", from_year), ("--year", to_year)):
        if not 2000 <= year <= 2100:  # checked before any date is moved
            raise EditError(Note("edit.year_out_of_range", option=option, year=year))
    book, region_id, path = resolve_target(book_or_path, region, allow_outside=allow_outside or dry_run)
    old_text = read_text(path)
    reg = book.region(region_id)
    found = reg.year(from_year)
    if found is None:
        years = ", ".join(str(y) for y in reg.years()) or "none"
        raise EditError(Note("edit.no_from_year", region=region_id, year=from_year, years=years))
    if reg.year(to_year) is not None:
        raise EditError(Note("edit.year_exists", region=region_id, year=to_year))
    shift = to_year - from_year
    blocks = year_blocks(old_text, reg, path)
    content, _ = split_trailing(blocks.text(found[0]))
    doc = parse_block(content)
    entry = doc["year"][0]
    notes: list[str] = []
    entry["coverage"] = to_year
    if "policy" in entry:
        entry["policy"] = int(entry["policy"]) + shift
    if source_url:
        entry["source"] = toml_item(source_literal(source_url, source_title, confidence))
    else:
        title, title_zh = (
            tr("edit.draft_title", lang, from_year=from_year, to_year=to_year) for lang in ("en", "zh")
        )
        entry["source"] = toml_item(
            f'{{ title = {toml_string(title)}, title_zh = {toml_string(title_zh)}, confidence = "low" }}'
        )
        notes.append(Note("edit.draft_source"))
    if "subsidy_source" in entry:
        del entry["subsidy_source"]
    shifted = []
    for name in ("collection", "late"):
        if name not in entry:
            continue
        if get_member(entry, name, "source") is not None:
            set_member(entry, name, "source", None)
        for f in ("start", "end"):
            old = get_member(entry, name, f)
            if isinstance(old, dt.date):
                set_member(entry, name, f, shift_date(old, shift).isoformat())
                shifted.append(f"{name}.{f}")
    for kind in ("category", "assisted"):
        for table in entry.get(kind) or ():
            if "source" in table:
                del table["source"]
    content, doc, entry, copied, followed = _keep_inherited(
        book, region_id, path, blocks, reg, found[0], content, doc, from_year, to_year, old_text
    )
    if copied:
        notes.append(Note("edit.kept_inherited", year=from_year, keys=copied))
    if followed:
        notes.append(Note("edit.follows_new_year", year=to_year, keys=followed))
    applied, replaced = _apply_bumps(entry, dict(bumps or {}), region_id, from_year, reg)
    changes = ", ".join(f"{k} {v}" for k, v in applied)
    entry["note"] = toml_item(_copy_note(from_year, to_year, changes, shift if shifted else 0))

    def render() -> str:
        return _with_entry(blocks, reg, to_year, old_text, same_newlines(content, render_block(content, doc)))

    new_text = render()
    before = book.schedule(region_id, from_year)
    after = _resolved(book, region_id, path, new_text, to_year)
    if after is not None and applied:
        changed, said = follow_late(entry, before, after, region_id)
        notes += said
        if changed:
            new_text = render()
            if before.late is not None:
                replaced.append(before.late.amount)
    if after is not None and applied:
        notes += fixed_assistance(before, after)
    if shifted:
        notes.append(Note("edit.dates_moved", keys=", ".join(shifted), years=shift))
    notes += notes_to_review(entry, replaced, (from_year, from_year - 1), skip=("note",))
    after = _resolved(book, region_id, path, new_text, to_year)
    if after is not None:
        notes.append(
            Note("edit.new_year_confidence", year=to_year, confidence=Note(f"confidence.{after.confidence}"))
        )
    label = Note("edit.new_year_label", to_year=to_year, from_year=from_year)
    if applied:
        label = Note("edit.new_year_label_bumps", to_year=to_year, from_year=from_year, bumps=changes)
    return finish_edit(book, region_id, path, to_year, old_text, new_text, dry_run, notes, label)


def _copy_note(from_year: int, to_year: int, changes: str, shift: int) -> str:
    """The new entry's note, in both languages: what it was copied from, with what changes."""
    texts = []
    for lang in ("zh", "en"):
        parts = [tr("edit.copy_note", lang, from_year=from_year)]
        if changes:
            parts.append(tr("edit.copy_note_bumps", lang, bumps=changes))
        if shift:
            parts.append(tr("edit.copy_note_dates", lang, years=shift))
        parts.append(tr("edit.copy_note_check", lang, to_year=to_year))
        texts.append(toml_string(("" if lang == "zh" else " ").join(parts)))
    return f"{{ zh = {texts[0]}, en = {texts[1]} }}"


def _resolved(book: RateBook, region_id: str, path: Path, text: str, year: int) -> Schedule | None:
    try:
        return resolve_with(book, region_id, path, text, year)
    except PremiumCalcError:
        return None


def _keep_inherited(
    book: RateBook,
    region_id: str,
    path: Path,
    blocks: YearBlocks,
    reg: Region,
    index: int,
    content: str,
    doc: Any,
    from_year: int,
    to_year: int,
    old_text: str,
) -> tuple[str, Any, Any, str, str]:
    """Write into the new entry what it would otherwise lose of what the region inherited for
    ``from_year`` (see :mod:`.inherited`), before any bump; says what was copied from where."""
    from .inherited import keep_inherited

    entry = doc["year"][0]
    draft = same_newlines(content, render_block(content, doc))
    trial = _with_entry(blocks, reg, to_year, old_text, draft)
    own = {k for k in entry}
    additions, changed_own, followed = keep_inherited(book, region_id, path, trial, from_year, to_year, own)
    if "category" in changed_own:
        # The region's categories set only some fields and took the rest from a level above
        # that has no entry for the new year: write them whole.
        del entry["category"]
        from .inherited import key_lines

        additions["category"] = key_lines(
            book.schedule(region_id, from_year), "category", to_year - from_year, region_id
        )
        draft = same_newlines(content, render_block(content, doc))
    if not additions:
        return content, doc, entry, "", ", ".join(followed)
    lines = draft.splitlines()
    simple = [line for key, add in additions.items() if key not in ("category", "assisted") for line in add]
    tables = [line for key in ("category", "assisted") for line in additions.get(key, [])]
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("coverage")) + 1
    lines[at:at] = simple
    text = "\n".join(lines).rstrip("\n") + "\n" + "\n".join(tables) + ("\n" if tables else "")
    new_doc = parse_block(text)
    schedule = book.schedule(region_id, from_year)
    origins = {
        "category": {c.amount_origin.region for c in schedule.categories},
        "assisted": {a.origin.region for a in schedule.assisted if a.origin.region != region_id},
    }
    said = []
    for key in additions:
        where = origins.get(key) or {o.region for k, o in schedule.origins.items() if k == key}
        said.append(f"{key} ({', '.join(sorted(where)) or region_id})")
    return text, new_doc, new_doc["year"][0], ", ".join(said), ", ".join(followed)


def _with_entry(blocks: YearBlocks, reg: Region, to_year: int, old_text: str, block: str) -> str:
    """The whole file with ``block`` inserted as the entry of ``to_year``."""
    nl = newline_of(old_text)
    if not block.endswith(("\n", "\r")):
        block += nl
    position = _insert_line(blocks, reg, to_year)
    if position >= len(blocks.lines):
        tail = "" if old_text.endswith(("\n", "\r")) or not old_text else nl
        return old_text + tail + nl + block
    return blocks.insert_at(position, block + nl)


def _insert_line(blocks: YearBlocks, region: Region, to_year: int) -> int:
    """Where the new entry goes: before the first later year (and its leading comments)."""
    later = [(entry.coverage, i) for i, entry in enumerate(region.data.year) if entry.coverage > to_year]
    if not later:
        return len(blocks.lines)
    _, index = min(later)
    line = blocks.spans[index][0]
    while line > 0 and blocks.lines[line - 1].lstrip().startswith("#"):
        line -= 1
    return line


def _apply_bumps(
    entry: Table, bumps: dict[str, str | int | Decimal], region_id: str, from_year: int, reg: Region
) -> tuple[list[tuple[str, str]], list[Decimal]]:
    """Apply the bumps to the copied entry; the (key, change) pairs applied and the old values
    they replaced."""
    from tomlkit.items import InlineTable

    applied: list[tuple[str, str]] = []
    replaced: list[Decimal] = []
    categories = list(entry.get("category") or ())
    for raw_key, raw_bump in bumps.items():
        kind = _kind(raw_key)
        change = parse_change(str(raw_bump), kind, raw_key)
        literal = "" if change.relative else toml_literal(kind, str(raw_bump), raw_key)
        hits = 0

        def bump(table: Any, name: str, member: str | None = None) -> bool:
            return _bump_one(table, name, member, raw_key, kind, change, literal, replaced)  # noqa: B023

        if raw_key == "individual":
            for cat in categories:
                hits += bump(cat, "individual")
                tiers = cat.get("tiers")
                if isinstance(tiers, InlineTable):
                    for tier_id in list(tiers):
                        hits += bump(cat, "tiers", tier_id)
        elif raw_key.startswith("individual."):
            for cat in categories:
                hits += bump(cat, "individual", raw_key.split(".", 1)[1])
        elif raw_key == "subsidy":
            hits += bump(entry, "subsidy")
            for cat in categories:
                hits += bump(cat, "subsidy")
        elif raw_key in ("late", "late.amount"):
            hits += bump(entry, "late", "amount")
        else:
            spec = parse_key(raw_key)
            if spec.section == "year":
                hits += bump(entry, spec.field)
            elif spec.section == "late":
                hits += bump(entry, "late", spec.field)
            else:
                for table in entry.get(spec.section) or ():
                    if table.get("id") == spec.ident:
                        hits += bump(table, spec.field, spec.sub)
        if not hits:
            parent = reg.parent or "its parent"
            raise EditError(
                Note("edit.bump_not_own", key=raw_key, year=from_year, region=region_id, parent=parent)
            )
        applied.append((raw_key, change.text))
    return applied, replaced


def _bump_one(
    table: Any,
    name: str,
    member: str | None,
    key: str,
    kind: str,
    change: Change,
    literal: str,
    replaced: list[Decimal],
) -> bool:
    """Bump ``table[name]`` (or its ``member``) if it holds a value of the bump's kind."""
    from tomlkit.items import InlineTable

    holder = table.get(name)
    if member is not None:
        if not isinstance(holder, InlineTable) or member not in holder:
            return False
        old = holder[member]
    else:
        old = holder
    if isinstance(old, InlineTable) and "base" in old:
        raise EditError(Note("edit.bump_formula", key=key, category=table.get("id", "?")))
    numeric = isinstance(old, int | float | Decimal) and not isinstance(old, bool)
    if not numeric and not (kind == "rate" and isinstance(old, str)):
        return False
    if numeric:
        replaced.append(Decimal(str(old)))
    text = exact_text(change.apply(Decimal(str(old)), key)) if change.relative else literal
    if member is not None:
        set_member(table, name, member, text)
    else:
        table[name] = toml_item(text)
    return True
