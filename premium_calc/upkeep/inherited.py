"""What a new coverage year would lose of what its region inherited, and writing it in.

A region's entry for year N inherits, key by key, from its ancestors' entries for year N (see
:mod:`premium_calc.ratebook.inherit`). When ``rates new-year`` copies a region's entry from
year N to year M, the ancestors' entries for M (if any) are not those of N: a city whose
assisted rules came from its province's 2026 entry has none in 2027 when the province has no
2027 entry yet. :func:`keep_inherited` resolves both years and, for each key whose effective
value would change, writes the old year's effective value into the new entry (dates moved by
the years between), then checks that the new year now prices as the old one did.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import EditError, PremiumCalcError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.schedule import Schedule
from ..units import exact_text
from .keys import toml_string

#: The keys of a year entry whose effective value may come from an ancestor, in file order.
INHERITED_KEYS: tuple[str, ...] = ("policy", "collection", "subsidy", "late", "tier", "category", "assisted")


def shift_date(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    return None if day is None else shift_date(day, years)


#: Keys that say nothing about what anyone pays (texts, sources): not compared.
_TEXTS = frozenset({"source", "note", "name"})


def _plain(value: Any) -> Any:
    """A model dump as far as it sets what people pay: without texts and sources, a
    ``missing`` reason reduced to "amount unknown"."""
    if isinstance(value, dict):
        return {
            k: (True if k == "missing" else _plain(v))
            for k, v in sorted(value.items())
            if k not in _TEXTS and v is not None
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def signature(schedule: Schedule, shift: int = 0) -> dict[str, Any]:
    """The effective values of a schedule by inheritable key, dates moved by ``shift`` years."""
    col, late = schedule.collection, schedule.late
    return {
        "policy": schedule.policy_year + shift if schedule.policy_year is not None else None,
        "collection": None if col is None else (_shift(col.start, shift), _shift(col.end, shift)),
        "subsidy": schedule.subsidy,
        "late": None
        if late is None
        else (late.amount, _shift(late.start, shift), _shift(late.end, shift), late.waiting_days),
        "tier": [t.model_dump() for t in schedule.tiers],
        "category": [_category(c, schedule.subsidy) for c in schedule.categories],
        "assisted": sorted((_plain(a.rule.model_dump()) for a in schedule.assisted), key=repr),
    }


def _category(cat: Any, year_subsidy: Decimal | None) -> dict[str, Any]:
    plain: dict[str, Any] = _plain(_category_fields(cat, year_subsidy))
    return plain


def _category_fields(cat: Any, year_subsidy: Decimal | None) -> dict[str, Any]:
    """A resolved category as the keys of a rate file's ``[[year.category]]`` table."""
    return {
        k: v
        for k, v in {
            "id": cat.id,
            "name": cat.name.model_dump(),
            "when": [c.model_dump() for c in cat.conditions],
            "individual": cat.individual,
            "tiers": dict(cat.tier_amounts) or None,
            "subsidy": cat.subsidy if cat.subsidy != year_subsidy else None,  # its own only
            "includes": dict(cat.includes) or None,
            "below_minimum": cat.below_minimum or None,
            "missing": cat.missing.model_dump() if hasattr(cat.missing, "model_dump") else cat.missing,
            "note": cat.note.model_dump() if hasattr(cat.note, "model_dump") else cat.note,
        }.items()
        if v not in (None, [], {})
    }


def toml_value(value: Any) -> str:
    """A Python value (from a model dump) as TOML text: inline tables, arrays, exact numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return exact_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items() if v is not None)
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def key_lines(
    schedule: Schedule, key: str, shift: int, leaf: str, kept: frozenset[str] = frozenset()
) -> list[str]:
    """TOML lines (``key = value``, or ``[[year.X]]`` tables) for one key's effective value."""
    if key == "policy":
        return [f"policy = {schedule.policy_year + shift}"] if schedule.policy_year is not None else []
    if key == "subsidy":
        return [f"subsidy = {exact_text(schedule.subsidy)}"] if schedule.subsidy is not None else []
    if key in ("collection", "late"):
        item = schedule.collection if key == "collection" else schedule.late
        if item is None:
            return []
        data = item.model_dump(exclude_none=True, exclude={"source"})
        for f in ("start", "end"):
            if f in data:
                data[f] = _shift(data[f], shift)
        return [f"{key} = {toml_value(data)}"]
    if key == "tier":
        return [f"tier = {toml_value([t.model_dump(exclude_none=True) for t in schedule.tiers])}"]
    out: list[str] = []
    if key == "category":
        for cat in schedule.categories:
            out += ["", "  [[year.category]]"]
            for name, value in _category_fields(cat, schedule.subsidy).items():
                out.append(f"  {name} = {toml_value(value)}")
        return out
    for assist in schedule.assisted:  # assisted: the rules that came from ancestors
        if assist.origin.region == leaf or assist.origin.region in kept:
            continue
        out += ["", "  [[year.assisted]]"]
        for name, value in assist.rule.model_dump(exclude_none=True, exclude={"source"}).items():
            if value in ([], ()):
                continue
            out.append(f"  {name} = {toml_value(value)}")
    return out


def resolve_with(book: RateBook, region_id: str, path: Path, text: str, year: int) -> Schedule:
    """The schedule of ``region_id`` for ``year`` as it would be with ``path`` holding ``text``
    (the other files as they are)."""
    root = next((d for d in book.dirs if path.resolve().is_relative_to(d)), None)
    if root is None:  # pragma: no cover - resolve_target only gives files inside the book
        raise EditError(Note("edit.outside_book", path=str(path)))
    folder = Path(tempfile.mkdtemp(prefix="premium-calc-new-year-"))
    try:
        copy = folder / path.resolve().relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        probe = RateBook([folder, *book.dirs], include_bundled=False, use_env=False)
        return probe.schedule(region_id, year)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def lost_keys(before: Schedule, after: Schedule, shift: int) -> list[str]:
    """The inheritable keys whose effective value differs between the two years."""
    old, new = signature(before, shift), signature(after)
    return [k for k in INHERITED_KEYS if old[k] != new[k]]


def keep_inherited(
    book: RateBook, region_id: str, path: Path, text: str, from_year: int, to_year: int, own: set[str]
) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """The lines to add to the new entry so that ``to_year`` resolves as ``from_year`` did, by
    key; the keys whose value the region set itself but still changed (``own``: the keys the
    copied entry sets); and the keys that change because a level above has published the new
    year (they follow that level, as inheritance means: not copied)."""
    before = book.schedule(region_id, from_year)
    try:
        after = resolve_with(book, region_id, path, text, to_year)
    except PremiumCalcError:
        after = None
    shift = to_year - from_year
    keys = list(INHERITED_KEYS) if after is None else lost_keys(before, after, shift)
    # Rules of a level that has an entry for the new year are that level's to keep up to date.
    kept = frozenset(r.id for r in book.chain(region_id) if r.year(to_year) is not None)
    additions: dict[str, list[str]] = {}
    followed: list[str] = []
    for key in keys:
        if key in own and key != "assisted":
            continue
        if key != "assisted" and _origins(before, key) <= kept - {region_id}:
            followed.append(key)  # set by a level that has the new year: it follows that level
            continue
        lines = key_lines(before, key, shift, region_id, kept)
        if lines:
            additions[key] = lines
        elif key == "assisted":
            followed.append(key)
    return additions, [k for k in keys if k in own and k != "assisted"], followed


def _origins(schedule: Schedule, key: str) -> set[str]:
    """The regions that set a key's effective value (a category's amount for ``category``)."""
    if key == "category":
        return {c.amount_origin.region for c in schedule.categories}
    origin = schedule.origins.get(key)
    return {origin.region} if origin is not None else set()


__all__ = [
    "INHERITED_KEYS", "keep_inherited", "key_lines", "lost_keys", "resolve_with", "shift_date", "signature",
    "toml_value",
]  # fmt: skip
