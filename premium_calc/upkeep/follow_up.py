"""What else an edit touches: values defined from the changed ones, notes that quote old
figures or years, and the confidence the year will have.

A late-enrollment amount is often the individual amount plus the government's subsidy
("集中缴费期外……按个人缴费400元与政府补助700元之和1100元缴费"), or the individual amount alone.
:func:`late_follow` recognises those two definitions in the year before the edit and gives the
amount the same definition yields after it; a late amount that matches neither is flagged
whenever the amounts it might depend on change. Notes are prose: they are never rewritten,
only named for review when they quote a figure or a year the edit changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..messages import Note
from ..ratebook.schedule import Schedule, ScheduleCategory
from ..units import exact_text


@dataclass(frozen=True)
class LateFollow:
    """The late amount after an edit: ``amount`` is what its definition now gives (``None``
    where it has none that is recognised); ``note`` says what happened or what to check."""

    amount: Decimal | None
    note: Note | None


def _subsidy(cat: ScheduleCategory, schedule: Schedule) -> Decimal | None:
    return cat.subsidy if cat.subsidy is not None else schedule.subsidy


def _definition(schedule: Schedule) -> tuple[str, str] | None:
    """How the late amount is made of the year's amounts: ("sum" | "individual", category)."""
    late = schedule.late
    if late is None:
        return None
    for cat in schedule.categories:
        subsidy = _subsidy(cat, schedule)
        if cat.individual is not None and subsidy is not None and late.amount == cat.individual + subsidy:
            return "sum", cat.id
    for cat in schedule.categories:
        if cat.individual is not None and late.amount == cat.individual:
            return "individual", cat.id
    return None


def late_follow(before: Schedule, after: Schedule) -> LateFollow:
    """The late amount of ``after`` as its definition in ``before`` gives it."""
    if before.late is None or after.late is None:
        return LateFollow(None, None)
    old = before.late.amount
    now = after.late.amount
    moved = _amounts(before) != _amounts(after)
    found = _definition(before)
    if found is None:
        if moved and now == old:
            return LateFollow(None, Note("edit.late_unlinked", amount=exact_text(now)))
        return LateFollow(None, None)
    how, cat_id = found
    cat = next((c for c in after.categories if c.id == cat_id), None)
    if cat is None or cat.individual is None:
        return LateFollow(None, Note("edit.late_unlinked", amount=exact_text(now)))
    subsidy = _subsidy(cat, after)
    if how == "sum":
        if subsidy is None:
            return LateFollow(None, Note("edit.late_unlinked", amount=exact_text(now)))
        amount = cat.individual + subsidy
        note = Note(
            "edit.late_recomputed_sum", old=exact_text(now), new=exact_text(amount),
            individual=exact_text(cat.individual), subsidy=exact_text(subsidy),
        )  # fmt: skip
    else:
        amount = cat.individual
        note = Note("edit.late_recomputed_individual", old=exact_text(now), new=exact_text(amount))
    return LateFollow(amount, None if amount == now else note)


def fixed_assistance(before: Schedule, after: Schedule) -> list[Note]:
    """A note per assisted rule of a fixed amount (``pays`` above 0, or ``assistance``) that
    stayed as it was while the amounts it applies to changed: the rule may have been a share."""
    if _amounts(before) == _amounts(after):
        return []
    out = []
    for assist in after.assisted:
        rule = assist.rule
        for field in ("pays", "assistance"):
            value = getattr(rule, field)
            old = next((a.rule for a in before.assisted if a.id == assist.id), None)
            if value is None or (field == "pays" and value == 0) or old is None:
                continue
            if getattr(old, field) == value:
                out.append(Note("edit.assistance_fixed", key=f"assisted.{assist.id}.{field}", amount=value))
    return out


def follow_late(entry: Any, before: Schedule, after: Schedule, region_id: str) -> tuple[bool, list[Note]]:
    """Apply :func:`late_follow` to an edited tomlkit entry: a late amount of the entry's own
    is set to what its definition now gives (``True``: the entry changed); one inherited from
    a higher level is named instead. Returns the notes that say so."""
    from .toml_blocks import get_member, set_member

    follow = late_follow(before, after)
    if follow.note is None:
        return False, []
    if follow.amount is None:
        return False, [follow.note]
    if get_member(entry, "late", "amount") is not None:
        set_member(entry, "late", "amount", exact_text(follow.amount))
        return True, [follow.note]
    where = after.late_origin.region if after.late_origin is not None else region_id
    return False, [Note("edit.late_inherited", region=where, note=follow.note)]


def _amounts(schedule: Schedule) -> tuple[Any, ...]:
    cats = tuple((c.id, c.individual, c.subsidy, tuple(c.tier_amounts.items())) for c in schedule.categories)
    return schedule.subsidy, cats


# --- notes ------------------------------------------------------------------------------


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for part in ("zh", "en"):
            if isinstance(value.get(part), str):
                yield value[part]


def entry_notes(entry: Any) -> Iterator[tuple[str, str]]:
    """Every note of a year entry (a tomlkit table or plain dict), by key path, as text."""
    for text in _texts(entry.get("note")):
        yield "note", text
    for name in ("collection", "late"):
        table = entry.get(name)
        if isinstance(table, dict):
            for text in _texts(table.get("note")):
                yield f"{name}.note", text
    for kind in ("category", "assisted"):
        for table in entry.get(kind) or ():
            for field in ("note", "missing"):
                for text in _texts(table.get(field)):
                    yield f"{kind}.{table.get('id')}.{field}", text


def notes_to_review(
    entry: Any, figures: Iterable[Decimal], years: Iterable[int] = (), skip: Iterable[str] = ()
) -> list[Note]:
    """A note per note of ``entry`` (but those in ``skip``) that quotes one of ``figures`` or
    ``years``."""
    wanted = sorted({exact_text(f) for f in figures if f is not None} | {str(y) for y in years})
    if not wanted:
        return []
    found: dict[str, list[str]] = {}
    skipped = set(skip)
    for key, text in entry_notes(entry):
        if key in skipped:
            continue
        plain = text.replace(",", "")
        hits = found.setdefault(key, [])
        for token in wanted:
            if token not in hits and re.search(rf"(?<![0-9.]){re.escape(token)}(?![0-9])", plain):
                hits.append(token)
    return [Note("edit.note_review", key=k, mentions=", ".join(hits)) for k, hits in found.items() if hits]


# --- confidence -------------------------------------------------------------------------


def confidence_note(before: Schedule, after: Schedule) -> Note:
    """What confidence the year has after the edit, and whether that lowered it."""
    old, new = before.confidence, after.confidence
    if old == new:
        return Note("edit.confidence_same", year=after.coverage_year, confidence=Note(f"confidence.{new}"))
    return Note(
        "edit.confidence_changed",
        year=after.coverage_year,
        old=Note(f"confidence.{old}"),
        new=Note(f"confidence.{new}"),
    )


__all__ = [
    "LateFollow",
    "confidence_note",
    "entry_notes",
    "fixed_assistance",
    "follow_late",
    "late_follow",
    "notes_to_review",
]
