"""Golden snapshot of the resolved rate book: ``python -m premium_calc.snapshot [--check]``.

:func:`build_snapshot` resolves every region x coverage year of the bundled rates (inheritance
applied) into plain JSON data: per category (and tier) the individual amount, subsidy, parts
collected with it (``includes``) and confidence; per region-year the assisted-group rules
(``pays`` / ``pays_share`` / ``assistance``), the late-enrollment amount and the collection
window. :func:`render_snapshot` writes it with stable formatting (sorted keys, one-space
indent, amounts as exact decimal strings), so any change of a figure, a source's confidence
or a rule shows up as a small, reviewable diff of ``tests/snapshots/resolved.json``.

``python -m premium_calc.snapshot`` regenerates the file; ``--check`` exits 1 with a short
summary of what differs when it is stale (``tests/test_snapshots.py`` does the same check).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import PremiumCalcError
from ..ratebook.book import RateBook
from ..ratebook.schedule import Schedule, ScheduleAssist, ScheduleCategory
from ..ratefiles.model import english
from ..ratefiles.reading import data_version
from ..units import exact_text

#: Version of the snapshot layout (bump when the keys below change).
FORMAT = 1


#: The command that regenerates the snapshot (shown in failures).
REGENERATE = "python -m premium_calc.snapshot"


def default_path() -> Path:
    """``tests/snapshots/resolved.json`` of the source checkout this module lives in."""
    return Path(__file__).resolve().parent.parent.parent / "tests" / "snapshots" / "resolved.json"


def _share(value: Decimal) -> str:
    return f"{exact_text(value * 100)}%"


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values (None, empty lists and tables) so the file holds only what is set."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def _when(conditions: Sequence[Any]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", exclude_none=True) for c in conditions]


def _category(order: int, cat: ScheduleCategory) -> dict[str, Any]:
    return _clean(
        {
            "order": order,
            "when": _when(cat.conditions),
            "individual": exact_text(cat.individual) if cat.individual is not None else None,
            "tiers": {k: exact_text(v) for k, v in cat.tier_amounts.items()},
            "formula": cat.formula,
            "missing": english(cat.missing) if cat.missing is not None else None,
            "subsidy": exact_text(cat.subsidy) if cat.subsidy is not None else None,
            "includes": {k: exact_text(v) for k, v in cat.includes.items()},
            "below_minimum": cat.below_minimum or None,
            "confidence": cat.source.confidence,
        }
    )


def _assisted(rule: ScheduleAssist) -> dict[str, Any]:
    r = rule.rule
    return _clean(
        {
            "groups": list(r.groups),
            "disability_grades": list(r.disability_grades),
            "when": _when(r.conditions),
            "pays": exact_text(r.pays) if r.pays is not None else None,
            "pays_share": _share(r.pays_share) if r.pays_share is not None else None,
            "assistance": exact_text(r.assistance) if r.assistance is not None else None,
            "confidence": rule.origin.source.confidence,
        }
    )


def resolved_year(schedule: Schedule) -> dict[str, Any]:
    """One region-year of the snapshot."""
    late = schedule.late
    window = schedule.collection
    return _clean(
        {
            "policy_year": schedule.policy_year,
            "confidence": schedule.confidence,
            "subsidy": exact_text(schedule.subsidy) if schedule.subsidy is not None else None,
            "collection": _clean(
                {
                    "start": window.start.isoformat() if window.start else None,
                    "end": window.end.isoformat() if window.end else None,
                }
            )
            if window is not None
            else None,
            "late": _clean(
                {
                    "amount": exact_text(late.amount),
                    "start": late.start.isoformat() if late.start else None,
                    "end": late.end.isoformat() if late.end else None,
                    "waiting_days": late.waiting_days,
                    "confidence": schedule.late_origin.source.confidence if schedule.late_origin else None,
                }
            )
            if late is not None
            else None,
            "tiers": schedule.tier_ids(),
            "default_tier": schedule.default_tier,
            "categories": {c.id: _category(i, c) for i, c in enumerate(schedule.categories)},
            "assisted": {a.id: _assisted(a) for a in schedule.assisted},
        }
    )


def build_snapshot(book: RateBook | None = None) -> dict[str, Any]:
    """Every region x coverage year of a rate book (default: the bundled rates only)."""
    book = book if book is not None else RateBook(use_env=False)
    regions: dict[str, dict[str, Any]] = {}
    for region_id in book.region_ids():
        years = {str(y): resolved_year(book.schedule(region_id, y)) for y in book.years(region_id)}
        if years:
            regions[region_id] = years
    return {
        "format": FORMAT,
        "data_version": data_version(book.dirs[-1]) if book.dirs else "unknown",
        "generated_by": REGENERATE,
        "regions": regions,
    }


def render_snapshot(data: dict[str, Any]) -> str:
    """Stable JSON text: sorted keys, one-space indent, UTF-8, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _walk(data: Any, path: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
    if isinstance(data, dict) and data:
        out: dict[tuple[str, ...], Any] = {}
        for key, value in data.items():
            out.update(_walk(value, (*path, str(key))))
        return out
    return {path: data}


def _where(path: tuple[str, ...]) -> str:
    if len(path) >= 3 and path[0] == "regions":
        rest = ".".join(path[3:])
        return f"{path[1]} {path[2]}" + (f": {rest}" if rest else "")
    return ".".join(path)


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed from ``old`` to ``new``, one line per leaf value, in key order.

    ``cn/tianjin 2025: assisted.dibao_edge_disabled.pays: '40' -> (absent)``
    """
    before, after = _walk(old, ()), _walk(new, ())
    lines: list[str] = []
    for path in sorted(set(before) | set(after)):
        if path in before and path in after:
            if before[path] != after[path]:
                lines.append(f"{_where(path)}: {before[path]!r} -> {after[path]!r}")
        elif path in after:
            lines.append(f"{_where(path)}: (absent) -> {after[path]!r}")
        else:
            lines.append(f"{_where(path)}: {before[path]!r} -> (absent)")
    return lines


def stale_summary(old: dict[str, Any], new: dict[str, Any], limit: int = 10) -> str:
    """A short account of a stale snapshot: counts, the first differences, what to run."""
    lines = diff_snapshots(old, new)
    if not lines:
        return ""
    figures = [line for line in lines if not line.startswith(("data_version", "format", "generated_by"))]
    shown = "\n".join(f"  {line}" for line in lines[:limit])
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    hint = ""
    if figures and old.get("data_version") == new.get("data_version"):
        hint = (
            f"\nrates/DATA_VERSION is still {new.get('data_version')}: it must change whenever a"
            " figure, source or confidence changes (see docs/data.md)."
        )
    return (
        f"the snapshot differs from the rate files in {len(lines)} values:\n{shown}{more}{hint}\n"
        f"review the change, then regenerate it: {REGENERATE}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m premium_calc.snapshot",
        description="Regenerate (or --check) the golden snapshot of the resolved bundled rates.",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if the snapshot is stale")
    parser.add_argument(
        "--output", type=Path, default=None, help="snapshot file (default: tests/snapshots/resolved.json)"
    )
    args = parser.parse_args(argv)
    path: Path = args.output or default_path()

    try:
        new = build_snapshot()
    except PremiumCalcError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if not path.is_file():
            print(f"error: {path} does not exist; create it: {REGENERATE}", file=sys.stderr)
            return 1
        old = json.loads(path.read_text(encoding="utf-8"))
        summary = stale_summary(old, new)
        if summary:
            print(summary, file=sys.stderr)
            return 1
        print(f"{path}: up to date ({sum(len(y) for y in new['regions'].values())} region-years)")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_snapshot(new)
    changed = not path.is_file() or path.read_text(encoding="utf-8") != text
    path.write_text(text, encoding="utf-8")
    count = sum(len(y) for y in new["regions"].values())
    print(f"{'wrote' if changed else 'unchanged'} {path} ({count} region-years, data {new['data_version']})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
