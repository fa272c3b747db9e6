"""A documented MODEL population of households for a region, from published marginals only.

For when the user has no microdata. Every assumption is a catalog note (Chinese and English) in
:attr:`SyntheticPopulation.assumptions`; shares are meaningful, counts are not. The recipe
(parameters in ``rates/stats/model/population.toml``, income through ``IncomeStats``):

* mean per-capita income ``M``: the region's ``rural`` / ``urban`` / ``all`` statistic for the
  income year (coverage year - 1) by :meth:`IncomeStats.for_region` (a provincial figure up to
  :data:`~premium_calc.ratebook.income.REGIONAL_YEARS_BACK` years old, else the national one);
* shape: the national quintiles of the same population of the year nearest the income year
  (rural: the NET-income quintiles of 2013), as ratios to the simple mean of the five, times ``M``;
* per-capita income at a uniform rank ``u``: ``exp`` of the linear interpolation of the log knot
  values at ranks 0.1, 0.3, ..., 0.9, the end segments continued to ranks 0 and 1; the knots are
  calibrated so that each fifth of households (ranks 0-0.2, ...) has its scaled quintile mean;
* household size by fifth: survey sizes by quintile times 2.62 / 3.10 (census 2020 / 2010), an
  integer drawn between floor and ceil so that the expected size matches;
* ages: census shares of age bands, uniform within a band; sex: half and half.

Columns (one entry per member, the members of a household contiguous, households 0..n-1 in
order): ``household`` (int64), ``age`` (int64, on 1 January of the coverage year), ``sex`` (int8:
1 male, 2 female), ``income`` (float64 yuan: the household's whole income, per-capita income times
size rounded to the fen, on its FIRST member, 0 on the others, so a household's income is the sum
over its members as in :mod:`premium_calc.household.survey`), ``weight`` (float64, 1.0: the number
of households of a province is not in the data). The region is the field :attr:`region`, not a
column. Arrays are read-only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Field, ValidationError, ValidationInfo, field_validator

from ..._frozen import Frozen
from ...errors import OptionError, RateFileError, StatisticNotFoundError
from ...messages import Note
from ...ratebook.book import RateBook
from ...ratebook.income import REGIONAL_YEARS_BACK, IncomeFigure, IncomeStats, stat_name
from ...ratefiles.income_model import Population, QuintileRow, StatConfidence
from ...ratefiles.model import Name, Source
from ...ratefiles.pydantic_errors import validation_error
from ...ratefiles.reading import STATS_DIR, bundled_rates_dir, read_toml

if TYPE_CHECKING:
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    IntArray = NDArray[np.int64]

#: The settings (populations) a synthetic population can be of.
SETTINGS: tuple[Population, ...] = ("rural", "urban", "all")

#: Where the parameters are, under a rate directory (not ``stats/*.toml``: IncomeStats reads those
#: as income files).
PARAMETERS_FILE = Path(STATS_DIR) / "model" / "population.toml"

_FIFTHS = np.linspace(0.0, 1.0, 6)


# --- the parameters file ------------------------------------------------------------------------


class ModelRules(Frozen):
    """``[model]``: the income curve's knot ranks, and whether the knots are calibrated."""

    knot_ranks: list[Decimal] = Field(min_length=5, max_length=5)
    calibrate: bool = True
    note: str | None = None

    @field_validator("knot_ranks")
    @classmethod
    def _inside_their_fifths(cls, ranks: list[Decimal]) -> list[Decimal]:
        for k, rank in enumerate(ranks):
            if not Decimal(k) / 5 < rank < Decimal(k + 1) / 5:
                expected = f"{k / 5:g}-{(k + 1) / 5:g}"
                raise ValueError(f"knot rank {rank} is not inside fifth {k + 1} (expected {expected})")
        return ranks


class SizeTable(Frozen):
    """One published table of household size by income group, poorest first."""

    population: Population
    year: int
    settings: list[Population] = Field(min_length=1)
    shares: list[Annotated[Decimal, Field(gt=0)]] = Field(min_length=5)
    sizes: list[Annotated[Decimal, Field(ge=1)]] = Field(min_length=5)
    confidence: StatConfidence
    source: Source
    note: str | None = None

    @field_validator("shares")
    @classmethod
    def _fifths(cls, shares: list[Decimal]) -> list[Decimal]:
        bounds = set(accumulate(shares))
        if not {Decimal(k) / 5 for k in range(1, 6)} <= bounds or sum(shares) != 1:
            raise ValueError("the groups' shares must add up to 1 and meet at 0.2, 0.4, 0.6, 0.8")
        return shares

    @field_validator("sizes")
    @classmethod
    def _one_per_group(cls, sizes: list[Decimal], info: ValidationInfo) -> list[Decimal]:
        shares = info.data.get("shares")
        if shares is not None and len(shares) != len(sizes):
            raise ValueError(f"{len(sizes)} sizes for {len(shares)} shares (expected one per group)")
        return sizes

    def quintile_sizes(self) -> list[Decimal]:
        """Persons per household of each fifth: the household-weighted mean of its groups."""
        persons, households = [Decimal(0)] * 5, [Decimal(0)] * 5
        start = Decimal(0)
        for share, size in zip(self.shares, self.sizes, strict=True):
            fifth = int(start * 5)
            persons[fifth] += share * size
            households[fifth] += share
            start += share
        return [p / h for p, h in zip(persons, households, strict=True)]


class HouseholdSize(Frozen):
    """``[household_size]``: the census scale and the tables by setting."""

    census_now: Decimal = Field(gt=0)
    census_now_year: int
    census_then: Decimal = Field(gt=0)
    census_then_year: int
    confidence: StatConfidence
    source: Source
    table: list[SizeTable] = Field(min_length=1)

    @field_validator("table")
    @classmethod
    def _each_setting_once(cls, tables: list[SizeTable]) -> list[SizeTable]:
        named = [s for t in tables for s in t.settings]
        if sorted(named) != sorted(SETTINGS):
            raise ValueError(f"the tables' settings must name each of {', '.join(SETTINGS)} once")
        return tables

    def for_setting(self, setting: str) -> SizeTable:
        return next(t for t in self.table if setting in t.settings)


class AgeBand(Frozen):
    low: int = Field(ge=0, le=130)
    share: Decimal = Field(ge=0, le=100)


class AgeStructure(Frozen):
    """``[age]``: census shares of age bands (percent), the last band ending at ``oldest``."""

    year: int
    oldest: int = Field(ge=1, le=130)
    confidence: StatConfidence
    source: Source
    band: list[AgeBand] = Field(min_length=1)

    @field_validator("band")
    @classmethod
    def _bands(cls, bands: list[AgeBand], info: ValidationInfo) -> list[AgeBand]:
        lows = [b.low for b in bands]
        if lows[0] != 0 or any(a >= b for a, b in pairwise(lows)):
            raise ValueError("bands must start at age 0 and go up")
        if lows[-1] >= info.data.get("oldest", 131):
            raise ValueError("the last band must start below `oldest`")
        if sum(b.share for b in bands) != 100:
            raise ValueError("the shares must add up to 100")
        return bands

    def highs(self) -> list[int]:
        return [b.low - 1 for b in self.band[1:]] + [self.oldest]


class SexSplit(Frozen):
    male_share: Decimal = Field(ge=0, le=1)


class PopulationParameters(Frozen):
    """``rates/stats/model/population.toml``."""

    format: Literal[1]
    model: ModelRules
    household_size: HouseholdSize
    age: AgeStructure
    sex: SexSplit
    note: str | None = None


def parameters_path(book: RateBook | None = None) -> Path:
    """The parameters file: the first of the book's rate directories that has one (a user's file
    overrides the bundled one), else the bundled path (a missing file is then an error)."""
    for root in book.dirs if book is not None else ():
        if (root / PARAMETERS_FILE).is_file():
            return root / PARAMETERS_FILE
    return bundled_rates_dir() / PARAMETERS_FILE


def load_parameters(path: Path) -> PopulationParameters:
    """Read and validate a parameters file (exact decimals); a bad key or value is a
    :class:`RateFileError` naming the file, line and key."""
    try:
        stat = os.stat(path)
    except OSError:
        return _parse(path, (0, 0))  # read_toml raises the error naming the file
    return _parse(path, (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parse(path: Path, stamp: tuple[int, int]) -> PopulationParameters:
    data = read_toml(path)
    try:
        return PopulationParameters.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc) from None


# --- the income curve ---------------------------------------------------------------------------


def curve_knots(ranks: FloatArray, log_knots: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The curve's knots with the first and last segments continued to ranks 0 and 1 (so that
    no two households share an income by construction, as a flat end would make them)."""
    r, g = np.asarray(ranks, dtype=np.float64), np.asarray(log_knots, dtype=np.float64)
    low = g[0] - (g[1] - g[0]) / (r[1] - r[0]) * r[0]
    high = g[-1] + (g[-1] - g[-2]) / (r[-1] - r[-2]) * (1.0 - r[-1])
    return np.concatenate(([0.0], r, [1.0])), np.concatenate(([low], g, [high]))


def _fifth_means(ranks: FloatArray, log_knots: FloatArray) -> FloatArray:
    """Mean of exp(interp(u, ranks, log_knots)) over each fifth of u (exact, piece by piece)."""
    ranks, log_knots = curve_knots(ranks, log_knots)
    points = np.union1d(_FIFTHS, ranks)
    logs = np.interp(points, ranks, log_knots)
    a, b = logs[:-1], logs[1:]
    rise = b - a
    flat = np.abs(rise) < 1e-12
    piece = np.where(flat, np.exp(a), (np.exp(b) - np.exp(a)) / np.where(flat, 1.0, rise))
    fifth = np.searchsorted(_FIFTHS, (points[:-1] + points[1:]) / 2) - 1
    sums = np.bincount(fifth, weights=piece * np.diff(points), minlength=5)
    means: FloatArray = sums.astype(np.float64) * 5
    return means


def income_knots(targets: Sequence[float], ranks: Sequence[float], *, calibrate: bool = True) -> FloatArray:
    """Knot values (yuan per person at ``ranks``) of the income curve. Calibrated: adjusted by
    fixed-point steps until each fifth's mean equals its target (to 1e-12 relative)."""
    goal = np.log(np.asarray(targets, dtype=np.float64))
    at = np.asarray(ranks, dtype=np.float64)
    logs = goal.copy()
    if calibrate:
        for _ in range(500):
            step = goal - np.log(_fifth_means(at, logs))
            logs += step
            if np.max(np.abs(step)) < 1e-12:
                break
        else:  # pragma: no cover - the shipped quintiles converge in a few dozen steps
            raise RateFileError(PARAMETERS_FILE, "the income curve did not calibrate", key="model.calibrate")
    knots: FloatArray = np.exp(logs)
    return knots


# --- the population -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SyntheticPopulation:
    """A model population: member columns, what it is of, its assumptions and sources."""

    columns: dict[str, NDArray[Any]]
    region: str
    region_name: Name
    year: int
    income_year: int
    setting: str
    households: int
    #: Real households each model household stands for (not known: 1.0, only shares count).
    represents: float
    #: The mean per-capita income used (``M``), with its provenance.
    income: IncomeFigure
    #: The national quintile row that gave the shape.
    shape: QuintileRow
    #: Per-capita income target of each fifth of households (shape ratios x ``M``), yuan.
    quintile_means: tuple[float, ...]
    #: Knot values of the income curve at :attr:`knot_ranks`, yuan per person.
    knots: tuple[float, ...]
    knot_ranks: tuple[float, ...]
    #: Expected household size of each fifth.
    household_sizes: tuple[float, ...]
    assumptions: list[Note]
    sources: list[Source]

    @property
    def members(self) -> int:
        return int(self.columns["household"].shape[0])

    def household_size(self) -> IntArray:
        """Members of each household (int64, one entry per household)."""
        sizes: IntArray = np.bincount(self.columns["household"], minlength=self.households)
        return sizes

    def household_income(self) -> FloatArray:
        """Income of each household, yuan (the sum over its members)."""
        cols = self.columns
        total = np.bincount(cols["household"], weights=cols["income"], minlength=self.households)
        return total.astype(np.float64, copy=False)

    def per_capita_income(self) -> FloatArray:
        """Income per member of each household, yuan."""
        per: FloatArray = self.household_income() / self.household_size()
        return per

    def source_notes(self) -> list[Note]:
        """One line per source (title, confidence, URL), for a renderer."""
        return [
            Note(
                "population.source.line",
                title=Name(zh=s.title_zh or s.title, en=s.title),
                confidence=Note(f"confidence.{s.confidence}"),
                url=f" — {s.url}" if s.url else "",
            )
            for s in self.sources
        ]


def synthetic_population(
    region: str,
    year: int,
    households: int,
    *,
    seed: int = 0,
    setting: str = "rural",
    book: RateBook | None = None,
) -> SyntheticPopulation:
    """``households`` model households of ``region`` (id or name: a province or ``cn``) for
    coverage ``year`` (module docstring), deterministic for a ``seed``; ``setting`` is ``rural``,
    ``urban`` or ``all``. Raises UnknownRegionError, StatisticNotFoundError, OptionError (bad
    ``setting``/``households``) or RateFileError (bad parameters file): PremiumCalcErrors.
    """
    if setting not in SETTINGS:
        known = ", ".join(SETTINGS)
        unknown = Note("population.assume.setting_unknown", setting=repr(setting), known=known)
        raise OptionError("setting", unknown)
    if isinstance(households, bool) or not isinstance(households, int | np.integer) or households < 1:
        not_positive = Note("population.assume.households_positive", value=repr(households))
        raise OptionError("households", not_positive)
    households = int(households)
    book = book if book is not None else RateBook()
    params = load_parameters(parameters_path(book))
    region_id = book.find(region)
    chain = [r.id for r in book.chain(region_id)]
    names = {r: book.region(r).name for r in chain}
    stats = book.income_stats()
    income_year = year - 1
    figure, _ = stats.for_region(setting, income_year, chain, names)
    shape = _shape_row(stats, setting, income_year)
    table = params.household_size.for_setting(setting)

    quintiles = np.array([float(getattr(shape, f"q{k}")) for k in range(1, 6)])
    ratios = quintiles / quintiles.mean()
    targets = ratios * float(figure.value)
    ranks = [float(r) for r in params.model.knot_ranks]
    knots = income_knots(targets, ranks, calibrate=params.model.calibrate)
    scale = params.household_size.census_now / params.household_size.census_then
    expected = np.array([float(s * scale) for s in table.quintile_sizes()])

    columns = _draw(np.random.default_rng(seed), households, ranks, knots, expected, params)
    person_mean = float(columns["income"].sum()) / columns["income"].shape[0]
    notes = _assumptions(
        params, setting, figure, chain, names, year, shape, ratios, table, expected, person_mean, households
    )
    sources: list[Source] = []
    for src in (figure.source, shape.source, table.source, params.household_size.source, params.age.source):
        sources += [] if src in sources else [src]
    return SyntheticPopulation(
        columns=columns, region=region_id, region_name=names[region_id], year=year,
        income_year=income_year, setting=setting, households=households, represents=1.0,
        income=figure, shape=shape, quintile_means=tuple(targets.tolist()),
        knots=tuple(knots.tolist()), knot_ranks=tuple(ranks), household_sizes=tuple(expected.tolist()),
        assumptions=notes, sources=sources,
    )


def _shape_row(stats: IncomeStats, setting: str, income_year: int) -> QuintileRow:
    """The national quintiles of the setting's population nearest the income year (the earlier
    of two equally near, disposable before net)."""
    rows = [r for r in stats.quintile_rows() if r.population == setting]
    if not rows:
        none = Note("error.none")
        raise StatisticNotFoundError(
            Note("error.no_statistic", statistic=stat_name("q1"), region="cn", year=income_year, years=none)
        )
    return min(rows, key=lambda r: (abs(r.year - income_year), r.year, r.measure != "disposable"))


def _draw(
    rng: np.random.Generator, n: int, ranks: Sequence[float], knots: FloatArray, expected: FloatArray,
    params: PopulationParameters,
) -> dict[str, NDArray[Any]]:
    """The member columns, vectorised (draw order: rank, size, age band, age, sex)."""
    rank = rng.random(n)
    at, logs = curve_knots(np.asarray(ranks, dtype=np.float64), np.log(knots))
    per_capita = np.exp(np.interp(rank, at, logs))
    fifth = np.minimum((rank * 5).astype(np.int64), 4)
    floor = np.floor(expected)
    size = (floor[fifth] + (rng.random(n) < (expected - floor)[fifth])).astype(np.int64)
    household_income = np.rint(per_capita * size * 100.0) / 100.0

    m = int(size.sum())
    household = np.repeat(np.arange(n, dtype=np.int64), size)
    first = np.zeros(n, dtype=np.int64)
    np.cumsum(size[:-1], out=first[1:])
    income = np.zeros(m, dtype=np.float64)
    income[first] = household_income

    age = params.age
    shares = np.array([float(b.share) for b in age.band]) / 100.0
    band = np.searchsorted(np.cumsum(shares)[:-1], rng.random(m), side="right")
    lows = np.array([b.low for b in age.band], dtype=np.int64)
    widths = np.array(age.highs(), dtype=np.int64) - lows + 1
    ages = lows[band] + (rng.random(m) * widths[band]).astype(np.int64)
    sex = np.where(rng.random(m) < float(params.sex.male_share), 1, 2).astype(np.int8)
    columns: dict[str, NDArray[Any]] = {
        "household": household, "age": ages, "sex": sex, "income": income,
        "weight": np.ones(m, dtype=np.float64),
    }
    for array in columns.values():
        array.flags.writeable = False
    return columns


def _slashed(values: Sequence[float] | FloatArray, places: int = 2) -> str:
    return " / ".join(f"{v:.{places}f}" for v in values)


def _assumptions(
    params: PopulationParameters, setting: str, figure: IncomeFigure, chain: Sequence[str],
    names: dict[str, Name], year: int, shape: QuintileRow, ratios: FloatArray, table: SizeTable,
    expected: FloatArray, person_mean: float, households: int,
) -> list[Note]:
    """The model's assumptions, in the order a reader meets them."""
    asked, income_year = names[chain[-1]], year - 1
    who = Note(f"population.assume.who.{setting}")
    value = str(figure.value)
    notes = [
        Note("population.assume.model", households=households),
        Note("population.assume.income_mean", figure=figure.message(), value=value, year=year,
             income_year=income_year),
    ]
    if figure.stands_in:
        notes.append(Note("population.assume.national_income", region=asked, statistic=stat_name(setting),
                          income_year=income_year, back=REGIONAL_YEARS_BACK))
    elif figure.region != chain[-1]:
        notes.append(Note("population.assume.ancestor_income", region=asked, used=names[figure.region]))
    if figure.year != income_year:
        notes.append(Note("population.assume.earlier_year", income_year=income_year, used=figure.year))
    shape_measure = Note(f"measure.{shape.measure}")
    notes.append(Note("population.assume.shape", population=Note(f"population.assume.who.{shape.population}"),
                      quintile_year=shape.year, measure=shape_measure, ratios=_slashed(ratios),
                      region=asked))
    if shape.measure != figure.measure:
        notes.append(Note("population.assume.shape_measure", shape_measure=shape_measure,
                          measure=Note(f"measure.{figure.measure}")))
    marks = ", ".join(f"{float(r) * 100:g}%" for r in params.model.knot_ranks)
    calibrated = Note("population.assume.within_calibrated") if params.model.calibrate else ""
    notes += [
        Note("population.assume.within", marks=marks, calibrated=calibrated),
        Note("population.assume.person_mean", person_mean=f"{person_mean:.0f}", value=value),
    ]
    size = params.household_size
    notes.append(Note(
        "population.assume.size", population=Note(f"population.assume.who.{table.population}"),
        size_year=table.year, sizes=_slashed([float(s) for s in table.quintile_sizes()]),
        now=size.census_now, then=size.census_then, now_year=size.census_now_year,
        then_year=size.census_then_year, scaled=_slashed(expected),
    ))
    if len(table.shares) != 5:
        notes.append(Note("population.assume.size_groups", size_year=table.year))
    if table.population != setting:
        notes.append(Note("population.assume.size_stand_in", population=who,
                          used=Note(f"population.assume.who.{table.population}")))
    age = params.age
    bands = ", ".join(
        f"{b.low}-{high}: {b.share}%" if i < len(age.band) - 1 else f"{b.low}+: {b.share}%"
        for i, (b, high) in enumerate(zip(age.band, age.highs(), strict=True))
    )
    notes.append(Note("population.assume.age", census_year=age.year, bands=bands, oldest=age.oldest))
    if setting != "all":
        notes.append(Note("population.assume.age_national", population=who))
    male = float(params.sex.male_share) * 100
    notes += [
        Note("population.assume.independent"),
        Note("population.assume.sex", male=f"{male:g}", female=f"{100 - male:g}"),
        Note("population.assume.no_assisted"),
        Note("population.assume.no_flags"),
    ]
    return notes


__all__ = [
    "PARAMETERS_FILE", "SETTINGS", "PopulationParameters", "SyntheticPopulation", "income_knots",
    "load_parameters", "parameters_path", "synthetic_population",
]
