"""A data release: bump ``rates/DATA_VERSION``, regenerate the snapshot and the ledger, and say
which resolved values changed (``premium-calc rates release``).

:func:`release` works on a rate tree of a *source checkout* (``<root>/rates`` with
``<root>/pyproject.toml`` of premium-calc, the snapshot in ``<root>/tests/snapshots/``): an
installed package has no ``tests/`` to hold the snapshot, so :func:`checkout_root` refuses a
rate tree that lies inside a Python package (the wheel puts the rates in
``premium_calc/rates``, beside ``__init__.py``), under an installation's ``site-packages``, or
beside no ``pyproject.toml`` naming the project.

The new version is ``--version`` or :func:`next_version` of the current one for today's date
(``YYYY.MM.N``: the same month counts up, a new month starts at 1, and a version never goes
back). It must be newer than the current version and than every version in the ledger. The
snapshot of the rate files is compared with the stored one (the last release): the result
lists every changed value of a region-year in both, and the region-years added and removed.
Then, unless ``dry_run``, the snapshot, the ledger (:mod:`premium_calc.upkeep.snapshot`) and
``DATA_VERSION`` are written, each atomically. Nothing here prints: the command renders the
:class:`ReleaseResult`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import site
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EditError
from ..messages import Note
from ..ratebook.book import RateBook
from ..ratefiles.reading import bundled_rates_dir, data_version
from .snapshot import (
    LEDGER_NAME,
    SNAPSHOT_NAME,
    build_snapshot,
    ledger_entry,
    read_json_file,
    read_ledger,
    render_ledger,
    render_snapshot,
    version_key,
    write_file,
)

#: ``YYYY.MM.N``: a year, a month 01-12 (a single digit is read too), a counter.
VERSION = re.compile(r"^(\d{4})\.(0?[1-9]|1[0-2])\.(\d+)$")
PROJECT = "premium-calc"


@dataclass(frozen=True)
class ValueChange:
    """One resolved value of a region-year in both snapshots: ``key`` is its dotted path
    (``categories.resident.individual``); ``old`` / ``new`` None where it is absent."""

    region: str
    year: str
    key: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        return {"region": self.region, "year": self.year, "key": self.key, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ReleaseResult:
    """What a release changed (or, with ``dry_run``, would change)."""

    rates_dir: Path
    snapshot: Path
    ledger: Path
    old_version: str
    new_version: str
    dry_run: bool
    #: Every changed value of the region-years in both snapshots, by region, year and key.
    changes: tuple[ValueChange, ...] = ()
    #: Region-years (region, year) only in the new snapshot, and only in the old one.
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    #: The files written (none in a dry run), or that would be written.
    files: tuple[Path, ...] = field(default_factory=tuple)
    written: bool = False

    @property
    def changed(self) -> tuple[tuple[str, str], ...]:
        """The region-years with a changed value."""
        return tuple(dict.fromkeys((c.region, c.year) for c in self.changes))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rates_dir": str(self.rates_dir),
            "snapshot": str(self.snapshot),
            "ledger": str(self.ledger),
            "old_version": self.old_version,
            "new_version": self.new_version,
            "dry_run": self.dry_run,
            "written": self.written,
            "files": [str(p) for p in self.files],
            "counts": {
                "changed": len(self.changed),
                "added": len(self.added),
                "removed": len(self.removed),
                "values": len(self.changes),
            },
            "changes": [c.as_dict() for c in self.changes],
            "added": [{"region": r, "year": y} for r, y in self.added],
            "removed": [{"region": r, "year": y} for r, y in self.removed],
        }


# --- versions --------------------------------------------------------------------------------


def parse_version(version: str) -> tuple[int, int, int] | None:
    """``"2026.12.1"`` -> ``(2026, 12, 1)``; None for anything not ``YYYY.MM.N``."""
    match = VERSION.match(version.strip())
    if match is None:
        return None
    return int(match[1]), int(match[2]), int(match[3])


def format_version(year: int, month: int, count: int) -> str:
    return f"{year:04d}.{month:02d}.{count}"


def next_version(current: str, today: datetime.date) -> str:
    """The version after ``current`` released on ``today``: ``YYYY.MM.N+1`` in the same month,
    ``YYYY.MM.1`` of today's month in a later one; a current version dated after today (data
    prepared ahead) counts up too, so versions only ever increase. EditError if ``current`` is
    not of that form."""
    parsed = parse_version(current)
    if parsed is None:
        raise EditError(Note("release.bad_current", current=repr(current)))
    year, month, count = parsed
    if (today.year, today.month) > (year, month):
        return format_version(today.year, today.month, 1)
    return format_version(year, month, count + 1)


# --- where the snapshot lives ---------------------------------------------------------------


def _install_dirs() -> list[Path]:
    """The directories packages are installed in (site-packages of this Python, the user's)."""
    found: list[str] = []
    for name in ("purelib", "platlib"):
        found.append(sysconfig.get_paths().get(name, ""))
    getsite = getattr(site, "getsitepackages", None)
    if getsite is not None:
        found += list(getsite())
    found.append(getattr(site, "USER_SITE", None) or "")
    found += [p for p in sys.path if p.rstrip("/\\").endswith(("site-packages", "dist-packages"))]
    out: list[Path] = []
    for entry in found:
        if entry:
            try:
                out.append(Path(entry).resolve())
            except OSError:  # pragma: no cover
                continue
    return out


def _names_project(pyproject: Path) -> bool:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    project = data.get("project")
    return isinstance(project, dict) and project.get("name") == PROJECT


def checkout_root(rates_dir: Path) -> Path:
    """The source checkout a rate tree belongs to (its parent directory), or EditError."""
    rates = rates_dir.resolve()
    if not (rates / "cn.toml").is_file():
        raise EditError(Note("release.not_rate_tree", path=rates))
    root = rates.parent
    if (root / "__init__.py").is_file():
        reason = Note("release.reason.in_package", package=root)
        raise EditError(Note("release.not_checkout", path=rates, reason=reason))
    for directory in _install_dirs():
        if rates.is_relative_to(directory):
            reason = Note("release.reason.site_packages", directory=directory)
            raise EditError(Note("release.not_checkout", path=rates, reason=reason))
    if not _names_project(root / "pyproject.toml"):
        reason = Note("release.reason.no_pyproject", root=root)
        raise EditError(Note("release.not_checkout", path=rates, reason=reason))
    return root


# --- the release ------------------------------------------------------------------------------


def _changes(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[list[ValueChange], list[tuple[str, str]], list[tuple[str, str]]]:
    def years(data: dict[str, Any]) -> dict[tuple[str, str], Any]:
        regions = data.get("regions", {})
        return {(r, y): v for r, ys in regions.items() for y, v in ys.items()}

    def leaves(value: Any, path: tuple[str, ...] = ()) -> dict[str, Any]:
        if isinstance(value, dict) and value:
            out: dict[str, Any] = {}
            for key, inner in value.items():
                out.update(leaves(inner, (*path, str(key))))
            return out
        return {".".join(path): value}

    before, after = years(old), years(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changes: list[ValueChange] = []
    for region, year in sorted(set(before) & set(after)):
        a, b = leaves(before[region, year]), leaves(after[region, year])
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                changes.append(ValueChange(region, year, key, a.get(key), b.get(key)))
    return changes, added, removed


def release(
    rates_dir: Path | None = None,
    *,
    version: str | None = None,
    today: datetime.date | None = None,
    dry_run: bool = False,
) -> ReleaseResult:
    """Release the rate tree ``rates_dir`` (default: the bundled one) of a source checkout as
    ``version`` (default: :func:`next_version` for ``today``). EditError, with nothing written,
    for a tree outside a checkout, a bad or old version, or rate files that do not resolve."""
    rates = (rates_dir if rates_dir is not None else bundled_rates_dir()).resolve()
    root = checkout_root(rates)
    snapshot_path = root / SNAPSHOT_NAME
    ledger = snapshot_path.with_name(LEDGER_NAME)
    current = data_version(rates)
    releases = read_ledger(ledger)
    if version is None:
        new_version = next_version(current, today or datetime.date.today())
    else:
        parsed = parse_version(version)
        if parsed is None:
            raise EditError(Note("release.bad_version", version=repr(version)))
        new_version = format_version(*parsed)
    if new_version in releases:
        raise EditError(Note("release.already_released", version=new_version, ledger=ledger))
    for other in [current, *releases]:
        key, new_key = version_key(other), version_key(new_version)
        if key is not None and new_key is not None and new_key <= key:
            raise EditError(Note("release.not_newer", version=new_version, current=other))

    book = RateBook(rates, include_bundled=False, use_env=False)
    new = build_snapshot(book, version=new_version)
    old = read_json_file(snapshot_path, "snapshot") or {}
    changes, added, removed = _changes(old, new)
    files = (snapshot_path, ledger, rates / "DATA_VERSION")
    result = ReleaseResult(
        rates,
        snapshot_path,
        ledger,
        current,
        new_version,
        dry_run,
        tuple(changes),
        tuple(added),
        tuple(removed),
        files,
    )
    if dry_run:
        return result
    updated = {k: dict(v) for k, v in releases.items()}
    updated[new_version] = ledger_entry(new)
    write_file(snapshot_path, render_snapshot(new))
    write_file(ledger, render_ledger(updated))
    write_file(rates / "DATA_VERSION", new_version + "\n")
    return dataclasses.replace(result, written=True)
