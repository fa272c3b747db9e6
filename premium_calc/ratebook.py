"""The rate book: rate files on disk -> regions -> resolved schedules.

* :func:`load_rate_file` parses and validates one file, turning every problem into a
  :class:`~premium_calc.errors.RateFileError` that names file, line, key path and rule.
* :class:`RateBook` finds regions (by id, Chinese or English name, alias) across one or
  more rate directories (user directories overlay the bundled tree), and resolves a
  (region, coverage year) into a :class:`Schedule`: a plain, immutable table of what each
  category pays, with inheritance (city -> province -> ``cn``) already applied and the
  origin (file, key path, source) of every value kept.

Files are read on demand and cached: one lookup reads only the region's chain of files.
A rate book is safe to share between threads.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import DataMissingError, RateFileError, UnknownRegionError, YearNotCoveredError
from .schema import (
    Amount,
    AssistRule,
    Category,
    Condition,
    LateEnrollment,
    Name,
    PercentOfBase,
    RateFile,
    Source,
    Tier,
    Window,
    YearEntry,
    weakest,
)

if TYPE_CHECKING:
    from .stats import IncomeStats

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: Environment variable: extra rate directories (os.pathsep-separated) overlaying the bundled tree.
RATES_PATH_ENV = "PREMIUM_CALC_RATES"
#: Sub-directory of a rate directory that holds statistics, not regions.
STATS_DIR = "stats"
FEN = Decimal("0.01")
_REGION_ID = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


def bundled_rates_dir() -> Path:
    """The rate tree shipped with the package (wheel) or beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rates", here.parent / "rates"):
        if (candidate / "cn.toml").is_file():
            return candidate
    raise RateFileError(here / "rates", "the bundled rate tree is missing (expected cn.toml)")


def data_version(rates_dir: Path | None = None) -> str:
    """The version string of the rate data (``rates/DATA_VERSION``), separate from the code's."""
    path = (rates_dir or bundled_rates_dir()) / "DATA_VERSION"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"


# --- loading ----------------------------------------------------------------------------

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file with exact decimals; syntax errors become RateFileError with a line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RateFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise RateFileError(path, "the file is not UTF-8 text") from None
    try:
        data: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)
        return data
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        pos = _TOML_POS.search(msg)
        detail = _TOML_POS.sub("", msg).strip() or "invalid TOML"
        if pos:
            raise RateFileError(
                path, f"{detail} (expected valid TOML)", line=int(pos[1]), column=int(pos[2])
            ) from None
        raise RateFileError(path, f"{detail} (expected valid TOML)") from None


def validation_error(path: Path, exc: ValidationError) -> RateFileError:
    """The first pydantic error of a file, as a RateFileError with line and key path."""
    from .tomlpos import format_path, line_of

    err = exc.errors(include_url=False)[0]
    loc = tuple(err["loc"])
    key = format_path(loc)
    try:
        line = line_of(path.read_text(encoding="utf-8"), loc)
    except OSError:
        line = None
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    value = err.get("input")
    shown = ""
    if err["type"] not in {"missing"} and not isinstance(value, dict | list):
        shown = f"{value!r}: "
    rule = msg[0].lower() + msg[1:] if msg else "invalid value"
    if err["type"] == "missing":
        rule = "this key is required"
    elif err["type"] == "extra_forbidden":
        rule = "unknown key (see rates/README.md for the keys a rate file may use)"
    return RateFileError(path, f"{shown}{rule}", line=line, key=key or None)


def load_rate_file(path: Path) -> RateFile:
    """Read and validate one rate file."""
    data = read_toml(path)
    try:
        return RateFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc) from None


# --- resolved schedule ------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a resolved value was set: region, file, key path, and its source."""

    region: str
    file: Path
    key: str
    source: Source

    def line(self) -> int | None:
        """The line that sets this value (computed on demand)."""
        from .tomlpos import line_of

        parts: list[str | int] = []
        for token in re.findall(r"[^.\[\]]+|\[\d+\]", self.key):
            parts.append(int(token[1:-1]) if token.startswith("[") else token)
        try:
            return line_of(self.file.read_text(encoding="utf-8"), parts)
        except OSError:
            return None

    @property
    def confidence(self) -> str:
        return self.source.confidence


@dataclass(frozen=True)
class ScheduleCategory:
    """One category of a resolved schedule."""

    id: str
    name: Name
    conditions: tuple[Condition, ...]
    individual: Decimal | None
    tier_amounts: Mapping[str, Decimal]
    subsidy: Decimal | None
    includes: Mapping[str, Decimal]
    below_minimum: bool
    missing: str | None
    note: str | None
    amount_origin: Origin
    subsidy_origin: Origin | None
    formula: str | None = None

    @property
    def source(self) -> Source:
        return self.amount_origin.source

    def amount(self, tier: str | None) -> Decimal | None:
        """What one member of this category pays before assistance, for a tier."""
        if self.tier_amounts:
            if tier is None:
                return min(self.tier_amounts.values())
            return self.tier_amounts.get(tier)
        return self.individual


@dataclass(frozen=True)
class ScheduleAssist:
    """One assisted-group rule of a resolved schedule."""

    rule: AssistRule
    origin: Origin

    @property
    def id(self) -> str:
        return self.rule.id

    def paid(self, gross: Decimal) -> Decimal:
        """What a covered member pays, given the gross premium (never more than it)."""
        r = self.rule
        if r.pays is not None:
            return min(r.pays, gross)
        if r.pays_share is not None:
            return (gross * r.pays_share).quantize(FEN, rounding=ROUND_HALF_UP)
        assert r.assistance is not None
        return max(gross - r.assistance, Decimal(0))


@dataclass(frozen=True)
class Schedule:
    """What a region charges in one coverage year, inheritance resolved.

    A schedule is independent of any household: :mod:`premium_calc.premium` applies it to
    one household, :mod:`premium_calc.batch` to many at once.
    """

    region: str
    name: Name
    level: str
    coverage_year: int
    policy_year: int | None
    categories: tuple[ScheduleCategory, ...]
    tiers: tuple[Tier, ...]
    assisted: tuple[ScheduleAssist, ...]
    subsidy: Decimal | None
    subsidy_origin: Origin | None
    collection: Window | None
    collection_origin: Origin | None
    late: LateEnrollment | None
    late_origin: Origin | None
    source: Source
    origin_file: Path
    chain: tuple[str, ...]
    national_minimum: Decimal | None
    notes: tuple[str, ...] = field(default=())

    @property
    def default_tier(self) -> str | None:
        """The cheapest tier (the default when the household names none)."""
        if not self.tiers:
            return None
        totals: dict[str, Decimal] = {t.id: Decimal(0) for t in self.tiers}
        for cat in self.categories:
            for tier_id, amount in cat.tier_amounts.items():
                if tier_id in totals:
                    totals[tier_id] += amount
        return min(self.tiers, key=lambda t: totals[t.id]).id

    @property
    def confidence(self) -> str:
        """The lowest confidence of any value in the schedule."""
        return weakest(s.confidence for s in self.sources())

    def sources(self) -> list[Source]:
        """Every distinct source behind this schedule, the year's own first."""
        seen: list[Source] = [self.source]
        origins: list[Origin | None] = [
            self.subsidy_origin,
            self.collection_origin,
            self.late_origin,
        ]
        origins += [c.amount_origin for c in self.categories]
        origins += [c.subsidy_origin for c in self.categories]
        origins += [a.origin for a in self.assisted]
        for origin in origins:
            if origin is not None and origin.source not in seen:
                seen.append(origin.source)
        return seen

    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]


# --- the rate book ----------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A parsed rate file."""

    id: str
    path: Path
    data: RateFile

    @property
    def name(self) -> Name:
        return self.data.region.name

    @property
    def parent(self) -> str | None:
        return self.data.region.parent

    def years(self) -> list[int]:
        return sorted(y.coverage for y in self.data.year)

    def year(self, coverage: int) -> tuple[int, YearEntry] | None:
        for index, entry in enumerate(self.data.year):
            if entry.coverage == coverage:
                return index, entry
        return None


def _rate_dirs_from_env() -> list[Path]:
    raw = os.environ.get(RATES_PATH_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


class RateBook:
    """Regions and their rates, from one or more rate directories.

    ``RateBook()`` uses the bundled rates plus any directories named in the
    ``PREMIUM_CALC_RATES`` environment variable; ``extra_dirs`` come first and override
    both (a file ``mycounty.toml`` in an extra directory is region ``mycounty``; one named
    ``cn/sichuan.toml`` replaces the bundled Sichuan file).
    """

    def __init__(
        self,
        extra_dirs: Sequence[Path | str] = (),
        *,
        include_bundled: bool = True,
        use_env: bool = True,
    ) -> None:
        dirs = [Path(d) for d in extra_dirs]
        if use_env:
            dirs += _rate_dirs_from_env()
        for d in dirs:
            if not d.is_dir():
                raise RateFileError(d, "rate directory not found (expected a directory)")
        if include_bundled:
            dirs.append(bundled_rates_dir())
        self.dirs: tuple[Path, ...] = tuple(d.resolve() for d in dirs)
        self._lock = threading.RLock()
        self._paths: dict[str, Path] | None = None
        self._regions: dict[str, Region] = {}
        self._schedules: dict[tuple[str, int], Schedule] = {}
        self._names: dict[str, str] | None = None
        self._stats: IncomeStats | None = None

    # -- discovery

    def _discover(self) -> dict[str, Path]:
        with self._lock:
            if self._paths is None:
                paths: dict[str, Path] = {}
                for root in self.dirs:
                    for path in sorted(root.rglob("*.toml")):
                        rel = path.relative_to(root)
                        if rel.parts[0] == STATS_DIR:
                            continue
                        region_id = rel.with_suffix("").as_posix()
                        if not _REGION_ID.match(region_id):
                            continue
                        paths.setdefault(region_id, path)  # earlier directories win
                self._paths = paths
            return self._paths

    def region_ids(self) -> list[str]:
        """All region ids, sorted (``cn`` first, then by path)."""
        return sorted(self._discover())

    def path_of(self, region_id: str) -> Path:
        paths = self._discover()
        if region_id not in paths:
            raise UnknownRegionError(region_id, self._suggest(region_id))
        return paths[region_id]

    def region(self, region_id: str) -> Region:
        """The parsed rate file of a region id (not a name: see :meth:`find`)."""
        with self._lock:
            cached = self._regions.get(region_id)
            if cached is not None:
                return cached
            path = self.path_of(region_id)
            region = Region(region_id, path, load_rate_file(path))
            self._regions[region_id] = region
            return region

    def regions(self) -> Iterator[Region]:
        for region_id in self.region_ids():
            yield self.region(region_id)

    def _name_index(self) -> dict[str, str]:
        """Names and aliases -> region id, from each file's ``[region]`` table only.

        Only the text before the first ``[[year]]`` is parsed (no validation), so finding a
        region by name does not validate every rate file; the region found is validated
        in full when it is used.
        """
        with self._lock:
            if self._names is None:
                index: dict[str, str] = {}
                for region_id, path in self._discover().items():
                    for key in _header_names(path):
                        index.setdefault(_norm(key), region_id)
                self._names = index
            return self._names

    def find(self, query: str) -> str:
        """A region id from an id, Chinese or English name, or alias (case-insensitive)."""
        q = query.strip().strip("/")
        if q.endswith(".toml"):
            q = q[: -len(".toml")]
        if q in self._discover():
            return q
        if _REGION_ID.match(q.lower()) and q.lower() in self._discover():
            return q.lower()
        hit = self._name_index().get(_norm(q))
        if hit is not None:
            return hit
        raise UnknownRegionError(query, self._suggest(query))

    def _suggest(self, query: str) -> list[str]:
        names = dict(self._name_index()) if self._paths is not None else {}
        candidates = {**{k: v for k, v in names.items()}, **{r: r for r in self._discover()}}
        close = difflib.get_close_matches(_norm(query), list(candidates), n=3, cutoff=0.6)
        out: list[str] = []
        for c in close:
            if candidates[c] not in out:
                out.append(candidates[c])
        return out

    # -- inheritance

    def chain(self, region_id: str) -> list[Region]:
        """The region and its ancestors, root first. Unknown parents and cycles are errors."""
        out: list[Region] = []
        seen: list[str] = []
        current: str | None = region_id
        while current is not None:
            if current in seen:
                cycle = " -> ".join([*seen, current])
                region = self.region(region_id)
                raise RateFileError(
                    region.path, f"inheritance cycle {cycle}", key="region.parent"
                )
            seen.append(current)
            try:
                region = self.region(current)
            except UnknownRegionError:
                child = out[-1]
                raise RateFileError(
                    child.path,
                    f"{current!r}: unknown parent region (expected the id of a rate file)",
                    key="region.parent",
                    line=_line(child.path, ("region", "parent")),
                ) from None
            out.append(region)
            current = region.parent
        return list(reversed(out))

    def years(self, region_id: str) -> list[int]:
        """The coverage years a region has an entry for."""
        return self.region(region_id).years()

    def schedule(self, region: str, year: int) -> Schedule:
        """Resolve a region (id or name) and coverage year into a :class:`Schedule`."""
        region_id = self.find(region)
        key = (region_id, year)
        with self._lock:
            cached = self._schedules.get(key)
            if cached is not None:
                return cached
            schedule = _resolve(self, region_id, year)
            self._schedules[key] = schedule
            return schedule

    def income_stats(self) -> IncomeStats:
        """The income statistics of this book's rate directories (read once, then shared)."""
        from .stats import IncomeStats

        with self._lock:
            if self._stats is None:
                self._stats = IncomeStats(self.dirs)
            return self._stats

    def national_minimum(self, year: int) -> Decimal | None:
        """The national minimum individual contribution for a coverage year, if known."""
        try:
            entry = self.region("cn").year(year)
        except UnknownRegionError:
            return None
        if entry is None or not entry[1].category:
            return None
        amount = entry[1].category[0].individual
        return amount if isinstance(amount, Decimal) else None


_FIRST_YEAR = re.compile(r"^\s*\[\[\s*year\s*\]\]", re.MULTILINE)


def _header_names(path: Path) -> list[str]:
    """The zh/en names and aliases in a rate file's header (empty if it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    match = _FIRST_YEAR.search(text)
    try:
        head = tomllib.loads(text[: match.start()] if match else text)
    except tomllib.TOMLDecodeError:
        return []
    region = head.get("region")
    if not isinstance(region, dict):
        return []
    names: list[str] = []
    name = region.get("name")
    if isinstance(name, dict):
        names += [v for v in (name.get("zh"), name.get("en")) if isinstance(v, str)]
    aliases = region.get("aliases")
    if isinstance(aliases, list):
        names += [a for a in aliases if isinstance(a, str)]
    return names


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def _line(path: Path, key: tuple[str | int, ...]) -> int | None:
    from .tomlpos import line_of

    try:
        return line_of(path.read_text(encoding="utf-8"), key)
    except OSError:
        return None


def resolve_amount(amount: Amount) -> tuple[Decimal, str | None]:
    """A flat amount, or base x rate x months rounded half-up to the fen (once)."""
    if isinstance(amount, PercentOfBase):
        value = (amount.base * amount.rate * amount.months).quantize(FEN, rounding=ROUND_HALF_UP)
        pct = (amount.rate * 100).normalize()
        return value, f"{amount.base} x {pct}% x {amount.months}"
    return amount, None


@dataclass
class _CategoryLayer:
    cat: Category
    amount_origin: Origin
    subsidy_origin: Origin | None


def _merge_category(parent: _CategoryLayer | None, cat: Category, origin: Origin) -> _CategoryLayer:
    own_amount = cat.individual is not None or cat.tiers is not None or cat.missing is not None
    if parent is None:
        return _CategoryLayer(cat, origin, origin if cat.subsidy is not None else None)
    update = {k: getattr(cat, k) for k in cat.model_fields_set if k != "id"}
    if own_amount:
        # A category that sets its own amount does not inherit the parent's amount forms.
        for k in ("individual", "tiers", "missing", "includes", "below_minimum"):
            update.setdefault(k, getattr(cat, k))
    merged = parent.cat.model_copy(update=update)
    return _CategoryLayer(
        merged,
        origin if own_amount else parent.amount_origin,
        origin if cat.subsidy is not None else parent.subsidy_origin,
    )


def _resolve(book: RateBook, region_id: str, year: int) -> Schedule:
    chain = book.chain(region_id)
    leaf = chain[-1]
    leaf_entry = leaf.year(year)
    if leaf_entry is None:
        raise YearNotCoveredError(region_id, year, leaf.years(), leaf.data.region.note or "")

    policy: int | None = None
    categories: list[_CategoryLayer] = []
    tiers: tuple[Tier, ...] = ()
    assisted: dict[str, ScheduleAssist] = {}
    subsidy: Decimal | None = None
    subsidy_origin: Origin | None = None
    collection: Window | None = None
    collection_origin: Origin | None = None
    late: LateEnrollment | None = None
    late_origin: Origin | None = None
    notes: list[str] = []
    used: list[str] = []

    for region in chain:
        found = region.year(year)
        if found is None:
            continue
        index, entry = found
        used.append(region.id)
        base = f"year[{index}]"

        def origin(key: str, own: Source | None, *, _r: Region = region, _e: YearEntry = entry) -> Origin:
            return Origin(_r.id, _r.path, key, own or _e.source)

        if entry.policy is not None:
            policy = entry.policy
        if entry.subsidy is not None:
            subsidy = entry.subsidy
            subsidy_origin = origin(f"{base}.subsidy", entry.subsidy_source)
        if entry.collection is not None:
            collection = entry.collection
            collection_origin = origin(f"{base}.collection", entry.collection.source)
        if entry.late is not None:
            late = entry.late
            late_origin = origin(f"{base}.late", entry.late.source)
        if entry.tier is not None:
            tiers = tuple(entry.tier)
        if entry.category is not None:
            previous = {layer.cat.id: layer for layer in categories}
            categories = [
                _merge_category(
                    previous.get(cat.id), cat, origin(f"{base}.category[{ci}]", cat.source)
                )
                for ci, cat in enumerate(entry.category)
            ]
        for ai, rule in enumerate(entry.assisted or ()):
            assisted[rule.id] = ScheduleAssist(rule, origin(f"{base}.assisted[{ai}]", rule.source))
        if (entry.note and region.id != chain[0].id) or (entry.note and len(chain) == 1):
            # The national file's notes are about its own sourcing; a region's are shown.
            notes.append(f"{region.id}: {entry.note}")

    _, leaf_year = leaf_entry
    resolved: list[ScheduleCategory] = []
    for layer in categories:
        cat = layer.cat
        individual: Decimal | None = None
        formula: str | None = None
        if cat.individual is not None:
            individual, formula = resolve_amount(cat.individual)
        tier_amounts = {k: resolve_amount(v)[0] for k, v in (cat.tiers or {}).items()}
        resolved.append(
            ScheduleCategory(
                id=cat.id,
                name=cat.name or Name(zh=cat.id, en=cat.id),
                conditions=cat.conditions,
                individual=individual,
                tier_amounts=tier_amounts,
                subsidy=cat.subsidy if cat.subsidy is not None else subsidy,
                includes=dict(cat.includes or {}),
                below_minimum=cat.below_minimum,
                missing=cat.missing,
                note=cat.note,
                amount_origin=layer.amount_origin,
                subsidy_origin=layer.subsidy_origin if cat.subsidy is not None else subsidy_origin,
                formula=formula,
            )
        )
    if not resolved:
        raise DataMissingError(region_id, year, "any category", "no category is defined")

    return Schedule(
        region=region_id,
        name=leaf.name,
        level=leaf.data.region.level,
        coverage_year=year,
        policy_year=policy,
        categories=tuple(resolved),
        tiers=tiers,
        assisted=tuple(assisted.values()),
        subsidy=subsidy,
        subsidy_origin=subsidy_origin,
        collection=collection,
        collection_origin=collection_origin,
        late=late,
        late_origin=late_origin,
        source=leaf_year.source,
        origin_file=leaf.path,
        chain=tuple(r.id for r in chain),
        national_minimum=book.national_minimum(year),
        notes=tuple(notes),
    )


def iter_schedules(book: RateBook, regions: Iterable[str] | None = None) -> Iterator[Schedule]:
    """Every (region, year) schedule in the book (for validation, snapshots, comparisons)."""
    for region_id in regions if regions is not None else book.region_ids():
        for year in book.years(region_id):
            yield book.schedule(region_id, year)
