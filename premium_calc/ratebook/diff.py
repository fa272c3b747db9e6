"""What changed in a region between two coverage years: every effective value compared, with the
absolute change and the change in percent (``(new - old) / old x 100``, half-up to 0.01).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..ratefiles.model import Name
from .book import RateBook
from .explain import ExplainedValue, explain, jsonable

PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class Change:
    """A value that differs between two coverage years (``old`` or ``new`` may be absent)."""

    key: str
    old: ExplainedValue | None
    new: ExplainedValue | None
    change: Decimal | None
    percent: Decimal | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "old": None if self.old is None else jsonable(self.old.value),
            "new": None if self.new is None else jsonable(self.new.value),
            "old_text": None if self.old is None else self.old.text,
            "new_text": None if self.new is None else self.new.text,
            "change": jsonable(self.change),
            "percent": jsonable(self.percent),
            "old_confidence": None if self.old is None else self.old.source.confidence,
            "new_confidence": None if self.new is None else self.new.source.confidence,
            # The table's low-confidence mark (†), as a field: None where the year has no value.
            "old_low_confidence": None if self.old is None else self.old.source.confidence == "low",
            "new_low_confidence": None if self.new is None else self.new.source.confidence == "low",
        }


@dataclass(frozen=True)
class Diff:
    """Changed values of a region between two coverage years."""

    region: str
    name: Name
    year_from: int
    year_to: int
    changes: tuple[Change, ...]

    def get(self, key: str) -> Change | None:
        for change in self.changes:
            if change.key == key:
                return change
        return None

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "name": self.name.model_dump(),
            "from": self.year_from,
            "to": self.year_to,
            "changes": [c.as_dict() for c in self.changes],
        }


def diff(book: RateBook, region: str, y1: int, y2: int) -> Diff:
    """What changed in ``region`` from coverage year ``y1`` to ``y2``.

    Amounts get the absolute change (``new - old``) and the change in percent
    (``(new - old) / old x 100``, rounded half-up to 0.01; none when ``old`` is 0). Keys
    present in one year only are listed as added or removed.
    """
    old = explain(book, region, y1)
    new = explain(book, region, y2)
    old_values = {v.key: v for v in old.values}
    new_values = {v.key: v for v in new.values}
    keys = list(new_values)
    keys += [k for k in old_values if k not in new_values]
    changes: list[Change] = []
    for key in keys:
        a = old_values.get(key)
        b = new_values.get(key)
        if a is not None and b is not None and a.value == b.value:
            continue
        change: Decimal | None = None
        percent: Decimal | None = None
        if a is not None and b is not None and _numeric(key, a.value) and _numeric(key, b.value):
            assert isinstance(a.value, Decimal | int) and isinstance(b.value, Decimal | int)
            change = Decimal(b.value) - Decimal(a.value)
            if a.value != 0:
                percent = (change / Decimal(a.value) * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)
        changes.append(Change(key, a, b, change, percent))
    return Diff(old.region, old.name, y1, y2, tuple(changes))


def _numeric(key: str, value: object) -> bool:
    """Amounts (Decimal) and day counts have a change; years, names and dates do not."""
    if isinstance(value, bool):
        return False
    return isinstance(value, Decimal) or (isinstance(value, int) and key.endswith("waiting_days"))
