"""Golden snapshot of the resolved rate book, and the ledger of released data versions.

:func:`build_snapshot` resolves every region x coverage year of the bundled rates (inheritance
applied) into plain JSON data: per category (and tier) the individual amount, subsidy, parts
collected with it (``includes``) and confidence; per region-year the assisted-group rules
(``pays`` / ``pays_share`` / ``assistance``), the late-enrollment amount and the collection
window. :func:`render_snapshot` writes it with stable formatting (sorted keys, one-space
indent, amounts as exact decimal strings), so any change of a figure, a source's confidence
or a rule shows up as a small, reviewable diff of ``tests/snapshots/resolved.json``.

**Data versions and the ledger.** ``rates/DATA_VERSION`` must change whenever what the rates
resolve to changes. Comparing the snapshot with the rate files alone cannot enforce that: whoever
changes a figure and regenerates the snapshot without bumping the version leaves the two equal
again. So beside the snapshot lies a ledger, ``tests/snapshots/releases.json``, mapping every
released data version to the SHA-256 :func:`digest` of its resolved values (the snapshot's
``regions``, canonical JSON) and the snapshot layout (:data:`FORMAT`) it was taken in. A
released version's entry is written once and never rewritten (except to re-record it in a new
layout, where digests cannot be compared). :func:`check_snapshot` then fails when

* the snapshot is missing, or differs from the rate files: if the figures differ while the
  snapshot's ``data_version`` equals ``DATA_VERSION``, with "resolved values changed but
  DATA_VERSION is still X: run the release command"; otherwise (the version was bumped but the
  snapshot not regenerated) with the versions of both;
* the snapshot matches, but ``DATA_VERSION`` is in the ledger with another digest (of the same
  layout): the snapshot was regenerated without bumping the version;
* ``DATA_VERSION`` is not in the ledger (nothing released it), or is older than the newest
  version the ledger records.

``premium-calc rates release`` (:mod:`premium_calc.upkeep.release`) bumps the version, writes
the snapshot and adds the ledger entry in one step. ``python -m premium_calc.snapshot``
regenerates the snapshot and records a version the ledger lacks (a version bumped by hand), but
never rewrites a released version's digest; ``--check`` runs :func:`check_snapshot` and exits 1
on any problem (``tests/test_snapshots.py`` does the same check).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import EditError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratebook.schedule import Schedule, ScheduleAssist, ScheduleCategory
from ..ratefiles.model import english
from ..ratefiles.reading import data_version
from ..units import exact_text

#: Version of the snapshot layout (bump when the keys below change).
FORMAT = 1


#: Version of the ledger layout.
LEDGER_FORMAT = 1

#: The command that regenerates the snapshot (shown in failures).
REGENERATE = "python -m premium_calc.snapshot"
#: The command that releases a data version: bump, snapshot, ledger (shown in failures).
RELEASE = "premium-calc rates release"
#: The snapshot and the ledger, relative to a source checkout.
SNAPSHOT_NAME = Path("tests") / "snapshots" / "resolved.json"
LEDGER_NAME = "releases.json"
#: Keys of the snapshot that are not resolved values.
META_KEYS = ("data_version", "format", "generated_by")


def default_path() -> Path:
    """``tests/snapshots/resolved.json`` of the source checkout this module lives in."""
    return Path(__file__).resolve().parent.parent.parent / SNAPSHOT_NAME


def ledger_path(snapshot: Path) -> Path:
    """The ledger of released versions beside a snapshot file."""
    return snapshot.with_name(LEDGER_NAME)


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


def build_snapshot(book: RateBook | None = None, *, version: str | None = None) -> dict[str, Any]:
    """Every region x coverage year of a rate book (default: the bundled rates only), recorded
    as of ``version`` (default: the ``DATA_VERSION`` of the book's last directory)."""
    book = book if book is not None else RateBook(use_env=False)
    regions: dict[str, dict[str, Any]] = {}
    for region_id in book.region_ids():
        years = {str(y): resolved_year(book.schedule(region_id, y)) for y in book.years(region_id)}
        if years:
            regions[region_id] = years
    return {
        "format": FORMAT,
        "data_version": version or (data_version(book.dirs[-1]) if book.dirs else "unknown"),
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


def value_lines(lines: Sequence[str]) -> list[str]:
    """The lines of :func:`diff_snapshots` about resolved values (not the version or layout)."""
    return [line for line in lines if not line.startswith(META_KEYS)]


def stale_summary(old: dict[str, Any], new: dict[str, Any], limit: int = 10, lang: str = "en") -> str:
    """A short account of a stale snapshot: counts, the first differences, what to run."""
    lines = diff_snapshots(old, new)
    if not lines:
        return ""
    shown = "\n".join(f"  {line}" for line in lines[:limit])
    more = (
        f"\n  {Note('snapshot.and_more', count=len(lines) - limit).text(lang)}" if len(lines) > limit else ""
    )
    hint = ""
    if value_lines(lines) and old.get("data_version") == new.get("data_version"):
        hint = "\n" + Note("snapshot.values_changed", version=new.get("data_version"), command=RELEASE).text(
            lang
        )
    head = Note("snapshot.differs", count=len(lines)).text(lang)
    return f"{head}\n{shown}{more}{hint}\n{Note('snapshot.review', command=RELEASE).text(lang)}"


# --- the ledger of released versions ----------------------------------------------------------


def digest(snapshot: Mapping[str, Any]) -> str:
    """``sha256:...`` of a snapshot's resolved values (``regions``, canonical JSON): equal
    digests, equal figures; the version and the layout fields do not count."""
    text = json.dumps(snapshot.get("regions", {}), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def region_years(snapshot: Mapping[str, Any]) -> int:
    """How many region-years a snapshot holds."""
    return sum(len(years) for years in snapshot.get("regions", {}).values())


def ledger_entry(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """What the ledger records of a release: the digest, the layout, the region-years."""
    return {
        "digest": digest(snapshot),
        "format": snapshot.get("format", FORMAT),
        "region_years": region_years(snapshot),
    }


def version_key(version: str) -> tuple[int, ...] | None:
    """``"2026.12.1"`` -> ``(2026, 12, 1)`` for ordering; None for a version not of that form."""
    parts = version.split(".")
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def read_json_file(path: Path, what: str) -> dict[str, Any] | None:
    """A JSON object from ``path``; None if there is no such file; EditError if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EditError(
            Note("snapshot.unreadable", path=path, what=what, reason=exc.strerror or exc)
        ) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise EditError(Note("snapshot.unreadable", path=path, what=what, reason=exc)) from None
    if not isinstance(data, dict):
        raise EditError(Note("snapshot.unreadable", path=path, what=what, reason="not a JSON object"))
    return data


def write_file(path: Path, text: str) -> None:
    """Write ``path`` atomically (:func:`~premium_calc.upkeep.commit.write_atomic`), creating it
    and its directory first if need be."""
    from .commit import write_atomic

    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as exc:
            raise EditError(Note("edit.cannot_write", path=path, reason=exc.strerror or exc)) from None
    write_atomic(path, text)


def read_ledger(path: Path) -> dict[str, dict[str, Any]]:
    """The released versions of a ledger file (``{}`` if there is none yet)."""
    data = read_json_file(path, "ledger")
    if data is None:
        return {}
    releases = data.get("releases", {})
    if not isinstance(releases, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("digest"), str) for v in releases.values()
    ):
        raise EditError(Note("snapshot.unreadable", path=path, what="ledger", reason="bad 'releases' table"))
    return releases


def render_ledger(releases: Mapping[str, Mapping[str, Any]]) -> str:
    """The ledger file: its layout, what it is, and the releases (stable JSON, by version)."""
    data = {
        "format": LEDGER_FORMAT,
        "about": (
            "Released data versions (rates/DATA_VERSION) and the SHA-256 of their resolved values"
            f" (the 'regions' of resolved.json). Written by '{RELEASE}'; a released entry is never"
            " changed: changing the figures needs a new version."
        ),
        "releases": dict(releases),
    }
    return render_snapshot(data)


def with_release(
    releases: Mapping[str, Mapping[str, Any]], snapshot: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], bool]:
    """The ledger with the snapshot's version recorded, and whether that changed it. A version
    recorded with other values in the same layout is left alone (:func:`check_snapshot` reports
    it); one recorded in an older layout is recorded again."""
    out = {k: dict(v) for k, v in releases.items()}
    version = str(snapshot.get("data_version"))
    entry = ledger_entry(snapshot)
    known = out.get(version)
    if known == entry or (known is not None and known.get("format") == entry["format"]):
        return out, False
    out[version] = entry
    return out, True


# --- the check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotCheck:
    """What :func:`check_snapshot` found: nothing (``ok``) or problems, with the differences."""

    path: Path
    ledger: Path
    version: str
    region_years: int
    #: The lines of :func:`diff_snapshots` from the stored snapshot to the rate files.
    differences: tuple[str, ...] = ()
    problems: tuple[Note, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_snapshot(
    current: dict[str, Any],
    stored: dict[str, Any] | None,
    releases: Mapping[str, Mapping[str, Any]],
    *,
    path: Path,
    ledger: Path,
) -> SnapshotCheck:
    """Check a stored snapshot and the ledger against the snapshot of the rate files now
    (``current``, from :func:`build_snapshot`): see the module docstring for the rules."""
    version = str(current.get("data_version"))
    problems: list[Note] = []
    lines: list[str] = []
    if stored is None:
        problems.append(Note("snapshot.missing", path=path, command=RELEASE))
    else:
        lines = diff_snapshots(stored, current)
        stored_version = str(stored.get("data_version"))
        if value_lines(lines) and stored_version == version:
            problems.append(Note("snapshot.values_changed", version=version, command=RELEASE))
        elif lines:
            problems.append(Note("snapshot.stale", old=stored_version, version=version, command=RELEASE))
    known = releases.get(version)
    entry = ledger_entry(current)
    if known is None:
        newer = [v for v in releases if _newer(v, version)]
        if newer:
            latest = max(newer, key=lambda v: version_key(v) or ())
            problems.append(Note("snapshot.behind", version=version, latest=latest, ledger=ledger))
        else:
            problems.append(Note("snapshot.not_released", version=version, ledger=ledger, command=RELEASE))
    elif (
        known.get("format") == entry["format"]
        and known.get("digest") != entry["digest"]
        and not any(p.key == "snapshot.values_changed" for p in problems)
    ):
        problems.append(Note("snapshot.regenerated", version=version, ledger=ledger, command=RELEASE))
    return SnapshotCheck(path, ledger, version, region_years(current), tuple(lines), tuple(problems))


def _newer(version: str, than: str) -> bool:
    a, b = version_key(version), version_key(than)
    return a is not None and b is not None and a > b
