"""Check rate files: every problem as ``file:line:col: key.path: what is wrong (expected ...)``.

:func:`validate` checks the rate files of a :class:`~premium_calc.ratebook.RateBook` (or
given paths) and returns :class:`Problem` s, errors and warnings. Errors make a file
unusable or wrong; warnings flag likely data-entry slips that may be intended.

Rules (``rule`` id, severity, what it catches):

``file`` (error)
    the file cannot be read or is not UTF-8.
``toml`` (error)
    the file is not valid TOML (line and column from the parser).
``schema`` (error)
    a key or value the rate-file schema does not allow (:mod:`premium_calc.schema`; the
    first such problem of a file, as the loader reports it).
``year-duplicate`` (error)
    two ``[[year]]`` entries for the same coverage year.
``year-overlap`` (error)
    the collection windows of two coverage years overlap.
``year-gap`` (warning)
    coverage years that are not consecutive (a year between two entries is missing).
``policy-year`` (warning)
    a notice (``policy``) year after the coverage year.
``window-order`` (error)
    ``collection`` or ``late`` ends before it starts.
``window-year`` (warning)
    a collection window that ends after its coverage year, or starts more than a year
    before it (usually the notice year entered as the coverage year).
``late-window`` (warning)
    late enrollment that starts before the same entry's collection window ends.
``parent-unknown`` (error)
    ``[region] parent`` names no rate file.
``parent-cycle`` (error)
    the chain of parents comes back to the file.
``parent-invalid`` (error)
    an ancestor cannot be loaded (reported only when that ancestor is not validated too).
``tier-duplicate``, ``category-duplicate``, ``assisted-duplicate`` (error)
    the same id twice in one year's ``tier``, ``category`` or ``assisted`` list.
``tier-undeclared`` (error)
    a category of this file gives an amount for a tier id that the year's tier list (this
    file's or the inherited one) does not declare.
``tier-missing`` (error)
    a category of this file with ``tiers`` lacks an amount for a declared tier.
``tier-conflict`` (error)
    this file replaces the tier list, but a category it inherits (the whole list, or a
    category that reuses a parent category's id without an amount of its own) carries
    amounts for tiers the new list does not declare: the child's ids collide with the
    parent's in an incompatible way.
``tier-unused`` (warning)
    a tier this file declares that no category gives an amount for.
``category-amount-conflict`` (error)
    a category that sets both ``individual`` and ``tiers``, or ``missing`` and an amount.
``category-no-amount`` (error)
    a category of this file with no ``individual``, ``tiers`` or ``missing``, here or in a
    parent category with the same id.
``category-none`` (error)
    a coverage year with no category, here or in any parent.
``includes-exceeds`` (error)
    ``includes`` components that add up to more than the category's amount.
``below-minimum`` (warning)
    an amount (flat or a tier) below the national minimum of its coverage year
    (:meth:`RateBook.national_minimum`), unless the category says ``below_minimum = true``.
    Assisted rules are exempt: they are below the minimum on purpose.
``source-missing`` (error)
    a source whose title is empty or a placeholder (``TODO``, ``?`` ...): the values it
    should back have no source.
``source-unchecked`` (warning)
    a low-confidence source without a ``url``: nobody can check the value.
``source-orphan`` (warning)
    ``subsidy_source`` in an entry that sets no ``subsidy``.
``redundant`` (warning)
    a city or county entry that sets values, all equal to its parent's for that year (an
    entry that applies the parent's standard needs only ``coverage``, ``policy`` and
    ``source``).

Problems point at the line and column of the key in the file (:func:`tomlpos.position_of
<premium_calc.tomlpos.position_of>`). Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from .errors import DataMissingError, PremiumCalcError, RateFileError, UnknownRegionError, YearNotCoveredError
from .ratebook import (
    STATS_DIR,
    RateBook,
    Region,
    Schedule,
    load_rate_file,
)
from .render import money
from .schema import RateFile, Source, YearEntry
from .tomlpos import format_path, position_of

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]

#: Source titles that stand for "no source yet".
PLACEHOLDER_TITLES = frozenset({"", "todo", "tbd", "tba", "?", "??", "unknown", "n/a", "none", "source"})
#: Keys of a year entry that do not set values (an entry with only these applies the parent's).
_NON_VALUE_KEYS = frozenset({"coverage", "policy", "source", "note"})
_KEY_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")


@dataclass(frozen=True)
class Problem:
    """One problem in a rate file."""

    severity: Severity
    file: str
    line: int | None
    column: int | None
    key: str
    message: str
    rule: str

    def render(self, file: str | None = None) -> str:
        """``file:line:col: key.path: message`` (``file`` replaces the stored path if given)."""
        where = file if file is not None else self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"

    def __str__(self) -> str:
        return self.render()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "message": self.message,
            "rule": self.rule,
        }


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


# --- entry points -----------------------------------------------------------------------


def validate(book: RateBook, paths: Sequence[Path | str] | None = None) -> list[Problem]:
    """Check rate files; problems sorted by file, line and column.

    ``paths=None`` checks every rate file in use by ``book`` (files overridden by a user
    directory are not in use). Otherwise each path is a rate file or a directory of rate
    files; a file outside the book's directories is checked as a region of its own that
    inherits from the book's regions.
    """
    targets = _targets(book, paths)
    validated = {rid for rid, _ in targets if rid is not None}
    problems: list[Problem] = []
    for rid, path in targets:
        problems += _FileCheck(book, path, rid, validated, direct=paths is None).run()
    return sorted(problems, key=Problem.sort_key)


def validate_text(
    book: RateBook, path: Path, text: str, region_id: str | None = None
) -> list[Problem]:
    """Check ``text`` as the new content of ``path`` (region ``region_id``), without writing it.

    The text is checked in a private temporary copy; problems name ``path``.
    """
    with tempfile.TemporaryDirectory(prefix="premium-calc-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(text.encode("utf-8"))
        rid = region_id or _region_id_of(book, path) or path.stem
        found = _FileCheck(book, copy, rid, {rid}, force_overlay=True).run()
    shown = str(path)
    return sorted(
        (Problem(p.severity, shown, p.line, p.column, p.key, p.message, p.rule) for p in found),
        key=Problem.sort_key,
    )


def validate_descendants(
    book: RateBook, region_id: str, override: Region | None = None
) -> list[Problem]:
    """Problems of every region that inherits from ``region_id`` (with ``override`` in its place)."""
    view: RateBook = _Overlay(book, {region_id: override}) if override is not None else book
    out: list[Problem] = []
    for rid in book.region_ids():
        if rid == region_id or not _inherits_from(book, rid, region_id):
            continue
        out += _FileCheck(view, book.path_of(rid), rid, {rid}).run()
    return sorted(out, key=Problem.sort_key)


def rate_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rate file (from the pydantic models), for editors and tools.

    Adjusted for TOML and for editors: a share may be written as ``"50%"``; ``ge``/``le``
    bounds are given as ``minimum``/``maximum``; definitions live under ``definitions``
    (draft-07), which Taplo (Even Better TOML) reads.
    """
    raw = RateFile.model_json_schema(ref_template="#/definitions/{model}")
    fixed = _schema_fix(raw, None)
    assert isinstance(fixed, dict)
    schema: dict[str, Any] = fixed
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$comment": "Rate file of premium-calc (rates/README.md). Generated by"
        " `premium-calc rates schema` from premium_calc.schema.RateFile.",
        **schema,
    }


# --- targets ----------------------------------------------------------------------------


def _region_id_of(book: RateBook, path: Path) -> str | None:
    real = path.resolve()
    for root in book.dirs:
        try:
            rel = real.relative_to(root)
        except ValueError:
            continue
        if rel.suffix != ".toml" or rel.parts[0] == STATS_DIR:
            continue
        return rel.with_suffix("").as_posix()
    return None


def _targets(
    book: RateBook, paths: Sequence[Path | str] | None
) -> list[tuple[str | None, Path]]:
    if paths is None:
        return [(rid, book.path_of(rid)) for rid in book.region_ids()]
    out: list[tuple[str | None, Path]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*.toml") if STATS_DIR not in p.relative_to(path).parts[:1]
            )
        else:
            files = [path]
        for file in files:
            out.append((_region_id_of(book, file), file))
    return out


class _Overlay(RateBook):
    """A rate book in which some regions come from given data instead of the directories."""

    def __init__(self, base: RateBook, regions: dict[str, Region | None]) -> None:
        super().__init__(base.dirs, include_bundled=False, use_env=False)
        self._base = base
        self._overlay = {k: v for k, v in regions.items() if v is not None}

    def region(self, region_id: str) -> Region:
        found = self._overlay.get(region_id)
        if found is not None:
            return found
        return self._base.region(region_id)

    def region_ids(self) -> list[str]:
        return sorted({*self._base.region_ids(), *self._overlay})

    def path_of(self, region_id: str) -> Path:
        found = self._overlay.get(region_id)
        return found.path if found is not None else self._base.path_of(region_id)

    def find(self, query: str) -> str:
        if query in self._overlay:
            return query
        return self._base.find(query)


def _inherits_from(book: RateBook, region_id: str, ancestor: str) -> bool:
    seen: set[str] = set()
    current: str | None = region_id
    while current is not None and current not in seen:
        seen.add(current)
        try:
            current = book.region(current).parent
        except PremiumCalcError:
            return False
        if current == ancestor:
            return True
    return False


# --- one file ---------------------------------------------------------------------------


class _FileCheck:
    def __init__(
        self,
        book: RateBook,
        path: Path,
        region_id: str | None,
        validated: set[str],
        *,
        force_overlay: bool = False,
        direct: bool = False,
    ) -> None:
        self.book = book
        self.path = path
        self.validated = validated
        self.problems: list[Problem] = []
        self.direct = direct
        if region_id is not None and not force_overlay and not direct:
            try:
                self.direct = book.path_of(region_id).resolve() == path.resolve()
            except UnknownRegionError:
                self.direct = False
        self.rid = region_id or path.stem
        self.text: str | None = None

    # -- helpers

    def _text(self) -> str:
        if self.text is None:
            try:
                self.text = self.path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                self.text = ""
        return self.text

    def add(self, severity: Severity, rule: str, key: KeyPath, message: str) -> None:
        pos = position_of(self._text(), key) if key else None
        line, column = pos if pos is not None else (None, None)
        self.problems.append(
            Problem(severity, str(self.path), line, column, format_path(key), message, rule)
        )

    def error(self, rule: str, key: KeyPath, message: str) -> None:
        self.add("error", rule, key, message)

    def warning(self, rule: str, key: KeyPath, message: str) -> None:
        self.add("warning", rule, key, message)

    # -- driver

    def run(self) -> list[Problem]:
        region = self._load()
        if region is None:
            return self.problems
        data = region.data
        self._check_years(data)
        for index, entry in enumerate(data.year):
            self._check_entry(index, entry)
            self._check_sources(index, entry)
        if not self._check_chain(region):
            return self.problems
        book: RateBook = self.book if self.direct else _Overlay(self.book, {self.rid: region})
        first: dict[int, int] = {}
        for index, entry in enumerate(data.year):
            first.setdefault(entry.coverage, index)
        for coverage, index in first.items():
            entry = data.year[index]
            try:
                schedule = book.schedule(self.rid, coverage)
            except DataMissingError as exc:
                if exc.what == "any category":
                    self.error(
                        "category-none",
                        ("year", index),
                        f"no category for coverage year {coverage} here or in a parent"
                        " (expected at least one [[year.category]])",
                    )
                continue
            except PremiumCalcError as exc:
                self.error(
                    "resolve",
                    ("year", index),
                    f"coverage year {coverage} cannot be resolved: {exc}"
                    " (expected a year the rate book can resolve)",
                )
                continue
            self._check_tiers(index, entry, schedule)
            self._check_amounts(index, schedule)
            self._check_redundant(book, region, index, entry, schedule)
        return self.problems

    def _load(self) -> Region | None:
        try:
            if self.direct:
                return self.book.region(self.rid)
            return Region(self.rid, self.path, load_rate_file(self.path))
        except RateFileError as exc:
            self.problems.append(self._from_load_error(exc))
            return None

    def _from_load_error(self, exc: RateFileError) -> Problem:
        if exc.detail.endswith("(expected valid TOML)"):
            rule = "toml"
        elif exc.line is None and exc.key is None:
            rule = "file"
        else:
            rule = "schema"
        column = exc.column
        if column is None and exc.key:
            parts: list[str | int] = [
                int(t[1:-1]) if t.startswith("[") else t for t in _KEY_TOKEN.findall(exc.key)
            ]
            pos = position_of(self._text(), parts)
            if pos is not None and pos[0] == exc.line:
                column = pos[1]
        return Problem("error", str(self.path), exc.line, column, exc.key or "", exc.detail, rule)

    # -- file-local checks

    def _check_years(self, data: RateFile) -> None:
        seen: dict[int, int] = {}
        for index, entry in enumerate(data.year):
            if entry.coverage in seen:
                pos = position_of(self._text(), ("year", seen[entry.coverage]))
                at = f" at line {pos[0]}" if pos else ""
                self.error(
                    "year-duplicate",
                    ("year", index, "coverage"),
                    f"coverage year {entry.coverage} is already entered{at}"
                    " (expected one [[year]] entry per coverage year)",
                )
            else:
                seen[entry.coverage] = index
            if entry.policy is not None and entry.policy > entry.coverage:
                self.warning(
                    "policy-year",
                    ("year", index, "policy"),
                    f"notice year {entry.policy} is after coverage year {entry.coverage}"
                    " (expected policy <= coverage: coverage is the year the cover applies to)",
                )
        years = sorted(seen)
        for before, after in itertools.pairwise(years):
            if after - before > 1:
                gap = (
                    f"coverage year {before + 1}"
                    if after - before == 2
                    else f"coverage years {before + 1}-{after - 1}"
                )
                self.warning(
                    "year-gap",
                    ("year", seen[after], "coverage"),
                    f"no entry for {gap} between {before} and {after} (expected consecutive"
                    " coverage years; leave a year out only where no amount was published)",
                )
        windows = [
            (e.collection.start, e.collection.end, e.coverage, i)
            for i, e in enumerate(data.year)
            if e.collection is not None and e.collection.start and e.collection.end
        ]
        for a_start, a_end, a_cov, _ in windows:
            for b_start, b_end, b_cov, b_index in windows:
                if b_cov <= a_cov or a_start > a_end or b_start > b_end:
                    continue
                if b_start <= a_end and a_start <= b_end:
                    self.error(
                        "year-overlap",
                        ("year", b_index, "collection"),
                        f"the collection window {b_start}..{b_end} of coverage year {b_cov}"
                        f" overlaps that of coverage year {a_cov} ({a_start}..{a_end})"
                        " (expected each year's window to end before the next one starts)",
                    )

    def _check_entry(self, index: int, entry: YearEntry) -> None:
        base: KeyPath = ("year", index)
        cov = entry.coverage
        window = entry.collection
        if window is not None:
            if window.start and window.end and window.start > window.end:
                self.error(
                    "window-order",
                    (*base, "collection", "end"),
                    f"the collection window ends {window.end}, before it starts {window.start}"
                    " (expected start <= end)",
                )
            if window.end and window.end > dt.date(cov, 12, 31):
                self.warning(
                    "window-year",
                    (*base, "collection", "end"),
                    f"the collection window ends {window.end}, after coverage year {cov} is"
                    f" over (expected an end by {cov}-12-31; is {cov} the notice year rather"
                    " than the coverage year?)",
                )
            if window.start and window.start < dt.date(cov - 1, 1, 1):
                self.warning(
                    "window-year",
                    (*base, "collection", "start"),
                    f"the collection window starts {window.start}, more than a year before"
                    f" coverage year {cov} (expected a start in {cov - 1} or {cov})",
                )
        late = entry.late
        if late is not None:
            if late.start and late.end and late.start > late.end:
                self.error(
                    "window-order",
                    (*base, "late", "end"),
                    f"the late-enrollment period ends {late.end}, before it starts {late.start}"
                    " (expected start <= end)",
                )
            if late.start and window is not None and window.end and late.start <= window.end:
                self.warning(
                    "late-window",
                    (*base, "late", "start"),
                    f"late enrollment starts {late.start}, before the collection window ends"
                    f" {window.end} (expected late.start after collection.end)",
                )
        id_lists: list[tuple[str, list[str]]] = [
            ("tier", [t.id for t in entry.tier or ()]),
            ("category", [c.id for c in entry.category or ()]),
            ("assisted", [a.id for a in entry.assisted or ()]),
        ]
        for kind, ids in id_lists:
            seen: set[str] = set()
            for i, item_id in enumerate(ids):
                if item_id in seen:
                    what = {"tier": "tier", "category": "category", "assisted": "assisted rule"}[kind]
                    why = {
                        "tier": "tier ids name the household's choice",
                        "category": "the first match wins, the second could never apply",
                        "assisted": "rules are merged by id",
                    }[kind]
                    self.error(
                        f"{kind}-duplicate",
                        (*base, kind, i, "id"),
                        f"{what} {item_id!r} appears twice in coverage year {cov}"
                        f" (expected unique ids: {why})",
                    )
                seen.add(item_id)
        for ci, cat in enumerate(entry.category or ()):
            where: KeyPath = (*base, "category", ci)
            if cat.individual is not None and cat.tiers is not None:
                self.error(
                    "category-amount-conflict",
                    (*where, "tiers"),
                    f"category {cat.id!r} sets both individual and tiers"
                    " (expected one of them: tiers replace individual)",
                )
            if cat.missing is not None and (cat.individual is not None or cat.tiers is not None):
                self.error(
                    "category-amount-conflict",
                    (*where, "missing"),
                    f"category {cat.id!r} sets missing and an amount"
                    " (expected missing only where no amount is known)",
                )

    def _check_sources(self, index: int, entry: YearEntry) -> None:
        base: KeyPath = ("year", index)
        sources: list[tuple[KeyPath, Source | None]] = [
            ((*base, "source"), entry.source),
            ((*base, "subsidy_source"), entry.subsidy_source),
            ((*base, "collection", "source"), entry.collection.source if entry.collection else None),
            ((*base, "late", "source"), entry.late.source if entry.late else None),
        ]
        sources += [((*base, "category", i, "source"), c.source) for i, c in enumerate(entry.category or ())]
        sources += [((*base, "assisted", i, "source"), a.source) for i, a in enumerate(entry.assisted or ())]
        for key, source in sources:
            if source is None:
                continue
            title = source.title.strip()
            if title.casefold() in PLACEHOLDER_TITLES:
                shown = "empty" if not title else f"the placeholder {title!r}"
                self.error(
                    "source-missing",
                    (*key, "title"),
                    f"value without a source: the source title is {shown}"
                    " (expected the title of the notice or page the value comes from)",
                )
            elif source.confidence == "low" and not source.url:
                self.warning(
                    "source-unchecked",
                    key,
                    "a low-confidence source without a url cannot be checked"
                    ' (expected url = "https://..." of the page the value comes from)',
                )
        if entry.subsidy_source is not None and entry.subsidy is None:
            self.warning(
                "source-orphan",
                (*base, "subsidy_source"),
                "subsidy_source is set but this entry sets no subsidy"
                " (expected subsidy = ... next to its source)",
            )

    # -- inheritance

    def _check_chain(self, region: Region) -> bool:
        """Walk the parents; report unknown parents, cycles and broken ancestors."""
        key: KeyPath = ("region", "parent")
        seen = [self.rid]
        current = region.parent
        while current is not None:
            if current in seen:
                cycle = " -> ".join([*seen, current])
                if current == self.rid:
                    self.error(
                        "parent-cycle",
                        key,
                        f"inheritance cycle {cycle} (expected a chain of parents that ends at a"
                        " region without a parent, such as cn)",
                    )
                elif seen[-1] not in self.validated:
                    self.error(
                        "parent-invalid",
                        key,
                        f"the parent chain {cycle} loops (expected a chain of parents that ends"
                        " at a region without a parent, such as cn)",
                    )
                return False
            try:
                parent = self.book.region(current)
            except UnknownRegionError:
                if len(seen) == 1:
                    self.error("parent-unknown", key, self._unknown_parent(current))
                elif seen[-1] not in self.validated:
                    self.error(
                        "parent-invalid",
                        key,
                        f"ancestor {seen[-1]} names an unknown parent {current!r}"
                        " (expected every ancestor to name the id of a rate file)",
                    )
                return False
            except RateFileError as exc:
                if current not in self.validated:
                    self.error(
                        "parent-invalid",
                        key,
                        f"ancestor {current} cannot be loaded: {exc}"
                        " (expected every ancestor to be a valid rate file)",
                    )
                return False
            seen.append(current)
            current = parent.parent
        return True

    def _unknown_parent(self, parent: str) -> str:
        hint = ", such as cn or cn/hunan"
        try:
            hit = self.book.find(parent)
            hint = f": {hit}"
        except UnknownRegionError as exc:
            if exc.suggestions:
                hint = f", such as {exc.suggestions[0]}"
        except PremiumCalcError:
            pass
        return f"{parent!r}: unknown parent region (expected the id of a rate file{hint})"

    # -- resolved checks

    def _own(self, origin_key: str, index: int) -> int | None:
        """The category index in this file's entry ``index`` that an origin key points at."""
        m = re.match(r"year\[(\d+)\]\.category\[(\d+)\]", origin_key)
        if m and int(m[1]) == index:
            return int(m[2])
        return None

    def _check_tiers(self, index: int, entry: YearEntry, s: Schedule) -> None:
        base: KeyPath = ("year", index)
        ids = s.tier_ids()
        listed = ", ".join(ids)
        used: set[str] = set()
        for cat in s.categories:
            used |= set(cat.tier_amounts)
            if not cat.tier_amounts:
                continue
            own = (
                self._own(cat.amount_origin.key, index)
                if cat.amount_origin.region == self.rid
                else None
            )
            if own is not None:
                where: KeyPath = (*base, "category", own, "tiers")
                for tier_id in cat.tier_amounts:
                    if tier_id not in ids:
                        expected = (
                            f"one of the year's tiers: {listed}"
                            if ids
                            else f"a [[year.tier]] entry with id = {tier_id!r};"
                            f" coverage year {entry.coverage} declares no tiers"
                        )
                        self.error(
                            "tier-undeclared",
                            (*where, tier_id),
                            f"category {cat.id!r} gives an amount for tier {tier_id!r}, which is"
                            f" not declared for coverage year {entry.coverage} (expected {expected})",
                        )
                for tier_id in ids:
                    if tier_id not in cat.tier_amounts:
                        self.error(
                            "tier-missing",
                            where,
                            f"category {cat.id!r} has no amount for tier {tier_id!r}"
                            f" (expected an amount for every tier of the year: {listed})",
                        )
            elif entry.tier is not None and set(cat.tier_amounts) != set(ids):
                inherited = ", ".join(cat.tier_amounts)
                own_index = next(
                    (i for i, c in enumerate(entry.category or ()) if c.id == cat.id), None
                )
                where = (*base, "category", own_index) if own_index is not None else (*base, "tier")
                self.error(
                    "tier-conflict",
                    where,
                    f"category {cat.id!r} inherits amounts for tiers {inherited} from"
                    f" {cat.amount_origin.region}, but this entry's tier list declares"
                    f" {listed or 'no tiers'} (expected the same tier ids, or the category's"
                    " own tiers here)",
                )
        if entry.tier is not None:
            for ti, tier in enumerate(entry.tier):
                if tier.id not in used:
                    self.warning(
                        "tier-unused",
                        (*base, "tier", ti),
                        f"tier {tier.id!r} is declared but no category gives an amount for it"
                        f" (expected tiers = {{ {tier.id} = ... }} on a category)",
                    )

    def _check_amounts(self, index: int, s: Schedule) -> None:
        base: KeyPath = ("year", index)
        minimum = s.national_minimum
        for cat in s.categories:
            if cat.amount_origin.region != self.rid:
                continue
            own = self._own(cat.amount_origin.key, index)
            if own is None:
                continue
            where: KeyPath = (*base, "category", own)
            if cat.individual is None and not cat.tier_amounts and cat.missing is None:
                self.error(
                    "category-no-amount",
                    where,
                    f"category {cat.id!r} has no amount (expected individual, tiers or missing,"
                    " here or on a parent category with the same id)",
                )
                continue
            amounts: list[tuple[KeyPath, str, Decimal]] = []
            if cat.tier_amounts:
                amounts += [
                    ((*where, "tiers", t), f"category {cat.id!r} tier {t!r}", a)
                    for t, a in cat.tier_amounts.items()
                ]
            elif cat.individual is not None:
                amounts.append(((*where, "individual"), f"category {cat.id!r}", cat.individual))
            if minimum is not None and not cat.below_minimum:
                for key, what, amount in amounts:
                    if amount < minimum:
                        self.warning(
                            "below-minimum",
                            key,
                            f"{what} pays {money(amount)}, below the national minimum"
                            f" {money(minimum)} for coverage year {s.coverage_year} (expected at"
                            f" least {money(minimum)}, or below_minimum = true if the notice"
                            " sets it lower)",
                        )
            if cat.includes and amounts:
                total = sum(cat.includes.values(), Decimal(0))
                smallest = min(a for _, _, a in amounts)
                if total > smallest:
                    self.error(
                        "includes-exceeds",
                        (*where, "includes"),
                        f"category {cat.id!r} includes {money(total)} of other premiums, more"
                        f" than its amount {money(smallest)} (expected includes to be part of"
                        " individual)",
                    )

    def _check_redundant(
        self, book: RateBook, region: Region, index: int, entry: YearEntry, s: Schedule
    ) -> None:
        from .explain import explain_schedule, value_map

        parent = region.parent
        if parent is None or region.data.region.level not in ("city", "county"):
            return
        if not (entry.model_fields_set - _NON_VALUE_KEYS):
            return
        try:
            parent_schedule = book.schedule(parent, entry.coverage)
        except (YearNotCoveredError, PremiumCalcError):
            return
        if _amounts(s) != _amounts(parent_schedule):
            return  # the cheap comparison already differs
        mine = value_map(explain_schedule(book, s), names=False)
        theirs = value_map(explain_schedule(book, parent_schedule), names=False)
        if mine == theirs:
            self.warning(
                "redundant",
                ("year", index),
                f"every value for coverage year {entry.coverage} equals {parent}'s (expected"
                " only coverage, policy and source in an entry that applies the parent's"
                " standard; set only what differs)",
            )


def _amounts(s: Schedule) -> tuple[object, ...]:
    """The main amounts of a schedule, to compare two schedules quickly."""
    cats = tuple(
        (c.id, c.individual, tuple(sorted(c.tier_amounts.items())), c.missing, c.subsidy)
        for c in s.categories
    )
    return (s.subsidy, cats, s.late.amount if s.late else None)


def _schema_fix(node: object, name: str | None) -> object:
    """Make pydantic's JSON Schema fit TOML rate files (see :func:`rate_file_schema`)."""
    if isinstance(node, list):
        return [_schema_fix(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "ge":
            out["minimum"] = value
        elif key == "le":
            out["maximum"] = value
        elif key == "decimal_places":
            continue  # not JSON Schema; two decimals are checked by premium-calc rates validate
        elif key == "properties" and isinstance(value, dict):
            out[key] = {k: _schema_fix(v, k) for k, v in value.items()}
        else:
            out[key] = _schema_fix(value, name)
    if name in {"rate", "pays_share"} and out.get("type") == "string":
        # A share may be written "50%" (pydantic's own decimal-string pattern, where a
        # version emits one, would reject the percent sign).
        out["pattern"] = r"^\s*[0-9]+(\.[0-9]+)?\s*%?\s*$"
    return out


def iter_rate_files(root: Path) -> Iterator[Path]:
    """Rate files under a directory (not the statistics files)."""
    for path in sorted(root.rglob("*.toml")):
        if path.relative_to(root).parts[0] != STATS_DIR:
            yield path
