"""``premium-calc rates new-year``: a new coverage year from an existing one, with bumps."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.model import MAX_AMOUNT
from ..ratefiles.reading import Region
from ..units import exact_text

if TYPE_CHECKING:
    from tomlkit.items import Table

from ..errors import EditError
from ..units import FEN
from .commit import EditResult, finish_edit, read_text
from .inherited import shift_date
from .keys import parse_key, source_literal, toml_string
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

_BUMP = re.compile(r"^\s*([a-z0-9_.]+)\s*=\s*([+-]?)\s*([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*$")


def parse_bumps(specs: Iterable[str]) -> dict[str, str]:
    """``["individual=+20", "subsidy=+5%"]`` -> ``{"individual": "+20", "subsidy": "+5%"}``."""
    out: dict[str, str] = {}
    for spec in specs:
        m = _BUMP.match(spec)
        if not m:
            raise EditError(Note("edit.not_a_bump_spec", spec=repr(spec)))
        out[m[1]] = f"{m[2]}{m[3]}{m[4]}"
    return out


def _bumped(old: Decimal, bump: str, what: str) -> Decimal:
    m = re.match(r"^([+-]?)([0-9]+(?:\.[0-9]+)?)(%?)$", bump.replace(" ", ""))
    if not m:
        raise EditError(Note("edit.not_a_bump", what=what, bump=bump))
    sign, number, percent = m.groups()
    amount = Decimal(number)
    if amount > (1000 if percent else MAX_AMOUNT):  # no premium rises by more than that
        raise EditError(Note("edit.bump_too_large", what=what, bump=bump, limit=f"1000%/{MAX_AMOUNT}"))
    if percent:
        delta = (old * amount / 100).quantize(FEN, rounding=ROUND_HALF_UP)
        new = old - delta if sign == "-" else old + delta
    elif sign:
        new = old - amount if sign == "-" else old + amount
    else:
        new = amount
    if new < 0:
        raise EditError(Note("edit.bump_negative", what=what, bump=bump, old=old, new=new))
    return new


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
) -> EditResult:
    """Add coverage ``to_year`` to ``region``, copied from its entry for ``from_year``.

    The copy keeps the entry's keys, categories, tiers and assisted rules; ``policy`` and
    the collection/late dates move by ``to_year - from_year`` years; per-value sources are
    dropped (the old ones do not cover the new year). ``bumps`` change amounts:
    ``{"individual": "+20"}`` every category amount (flat and tiers), ``"subsidy"`` every
    subsidy, ``"late.amount"``, or any ``rates set`` amount key (``category.adult.tiers.tier1``);
    values are ``+N``, ``-N``, ``+N%`` (rounded half-up to the fen) or ``N`` (the new amount).
    Without ``source_url`` the year's source is a low-confidence draft note saying so.
    """
    for option, year in (("--from", from_year), ("--year", to_year)):
        if not 2000 <= year <= 2100:  # checked before any date is moved
            raise EditError(Note("edit.year_out_of_range", option=option, year=year))
    book, region_id, path = resolve_target(book_or_path, region)
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
        title = (
            f"DRAFT: copied from coverage year {from_year} by premium-calc rates new-year;"
            f" replace with the {to_year} notice"
        )
        entry["source"] = toml_item(f'{{ title = {toml_string(title)}, confidence = "low" }}')
        notes.append("no --source: the year's source is a low-confidence draft")
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
    content, doc, entry, copied = _keep_inherited(
        book, region_id, path, blocks, reg, found[0], content, doc, from_year, to_year, old_text
    )
    if copied:
        notes.append(f"kept what the region inherited for {from_year}: {copied}")
    applied = _apply_bumps(entry, dict(bumps or {}), region_id, from_year, reg)
    bump_text = f", bumps {', '.join(f'{k} {v}' for k, v in applied)}" if applied else ""
    shift_text = f"; dates moved by {shift} year(s)" if shifted else ""
    entry["note"] = (
        f"Copied from coverage year {from_year} by premium-calc rates new-year{bump_text}"
        f"{shift_text}. Check every value against the {to_year} notice."
    )
    new_block = same_newlines(content, render_block(content, doc))
    new_text = _with_entry(blocks, reg, to_year, old_text, new_block)
    if shifted:
        notes.append(f"{', '.join(shifted)} moved by {shift} year(s): check them")
    label = f"new coverage year {to_year} from {from_year}{bump_text}"
    return finish_edit(book, region_id, path, to_year, old_text, new_text, dry_run, notes, label)


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
) -> tuple[str, Any, Any, str]:
    """Write into the new entry what it would otherwise lose of what the region inherited for
    ``from_year`` (see :mod:`.inherited`), before any bump; says what was copied from where."""
    from .inherited import keep_inherited

    entry = doc["year"][0]
    draft = same_newlines(content, render_block(content, doc))
    trial = _with_entry(blocks, reg, to_year, old_text, draft)
    own = {k for k in entry}
    additions, changed_own, followed = keep_inherited(book, region_id, path, trial, from_year, to_year, own)
    follows = f"; follows the {to_year} entries above for: {', '.join(followed)}" if followed else ""
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
        return content, doc, entry, follows.lstrip("; ")
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
    return text, new_doc, new_doc["year"][0], ", ".join(said) + follows


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
) -> list[tuple[str, str]]:
    from tomlkit.items import InlineTable

    applied: list[tuple[str, str]] = []
    categories = list(entry.get("category") or ())
    for raw_key, raw_bump in bumps.items():
        bump = str(raw_bump)
        if isinstance(raw_bump, int | Decimal) and not bump.startswith(("+", "-")):
            bump = f"+{bump}" if Decimal(bump) >= 0 else bump
        hits = 0

        def change(
            table: Any, name: str, member: str | None = None, *, _bump: str = bump, _key: str = raw_key
        ) -> bool:
            holder = table.get(name)
            if member is not None:
                if not isinstance(holder, InlineTable) or member not in holder:
                    return False
                old = holder[member]
            else:
                old = holder
            if isinstance(old, bool) or not isinstance(old, int | float | Decimal):
                return False
            new = _bumped(Decimal(str(old)), _bump, _key)
            if member is not None:
                set_member(table, name, member, exact_text(new))
            else:
                table[name] = toml_item(exact_text(new))
            return True

        if raw_key == "individual":
            for cat in categories:
                hits += change(cat, "individual")
                tiers = cat.get("tiers")
                if isinstance(tiers, InlineTable):
                    for tier_id in list(tiers):
                        hits += change(cat, "tiers", tier_id)
        elif raw_key == "subsidy":
            hits += change(entry, "subsidy")
            for cat in categories:
                hits += change(cat, "subsidy")
        elif raw_key in ("late", "late.amount"):
            hits += change(entry, "late", "amount")
        else:
            spec = parse_key(raw_key)
            if spec.kind != "money":
                raise EditError(Note("edit.bump_not_an_amount", key=raw_key))
            if spec.section in ("year",):
                hits += change(entry, spec.field)
            elif spec.section == "late":
                hits += change(entry, "late", spec.field)
            else:
                for table in entry.get(spec.section) or ():
                    if table.get("id") == spec.ident:
                        hits += change(table, spec.field, spec.sub)
        if not hits:
            parent = reg.parent or "its parent"
            raise EditError(
                Note("edit.bump_not_own", key=raw_key, year=from_year, region=region_id, parent=parent)
            )
        applied.append((raw_key, bump))
    return applied
