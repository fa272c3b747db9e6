"""Pydantic models of income-statistics files (``rates/stats/*.toml``): NBS per-capita income by
population, quintiles and medians, each row with its measure (net before 2013, disposable from
2013), source and confidence.

A row's ``source`` is a table (``source = { title = "...", confidence = "high" }``) or the key
of a source the file defines once in its ``[sources.<key>]`` tables (``source = "nbs_2024"``).
After validation every row holds a :class:`~premium_calc.ratefiles.model.Source`: the rows
citing one key share one object; a key no table defines, or a table no row cites, is an error
of the file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .._frozen import Frozen
from .model import Source, to_decimal

#: Per-capita income in yuan a year: at most ten million (the richest quintile is ~100,000).
Money = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=10_000_000, decimal_places=2)]

Measure = Literal["disposable", "net"]


Population = Literal["all", "urban", "rural"]


StatConfidence = Literal["high", "medium-high", "medium", "medium-low", "low"]


#: A key of a ``[sources.<key>]`` table: lowercase ASCII letters, digits, ``_`` and ``-``.
SOURCE_KEY = re.compile(r"[a-z0-9_-]+")

#: How many defined keys a message about an unknown key lists (the rest as "…").
_KEYS_LISTED = 12


class _UnknownKey(str):
    """A row's ``source = "key"`` that no ``[sources.<key>]`` table of the file defines, with the
    keys that are defined (set by :meth:`IncomeFile._cite` for the row's check)."""

    known: tuple[str, ...] = ()


class _Uncited(dict[str, Any]):
    """A ``[sources.<key>]`` table that no row cites (the table as written, and its ``key``,
    for the check of ``sources``)."""

    key = ""


def _row_source(value: object) -> object:
    """A row's source: a table, a :class:`Source` the file's key resolved to, or an error for a
    key the file does not define (located at the row's ``source``)."""
    if not isinstance(value, str):
        return value
    known = value.known if isinstance(value, _UnknownKey) else ()
    if not known:
        raise PydanticCustomError(
            "schema.unknown_source_no_table",
            "no source of this key: define it as [sources.{key}] in the same file",
            {"key": str(value)},
        )
    listed = ", ".join(known[:_KEYS_LISTED]) + (", …" if len(known) > _KEYS_LISTED else "")
    raise PydanticCustomError(
        "schema.unknown_source",
        "no source of this key: define it as [sources.{key}] in the same file (defined: {known})",
        {"key": str(value), "known": listed},
    )


def _defined_source(value: object) -> object:
    if isinstance(value, _Uncited):
        raise PydanticCustomError(
            "schema.source_not_cited",
            'defined but cited by no row: cite it (source = "{key}") or delete it',
            {"key": value.key},
        )
    return value


def _source_key(key: str) -> str:
    if not SOURCE_KEY.fullmatch(key):
        raise PydanticCustomError(
            "schema.source_key",
            "a source key is written in lowercase letters a-z, digits, _ and - (such as nbs_2024)",
            {},
        )
    return key


#: A row's source: a table, or the key of one of the file's ``[sources.<key>]`` tables.
CitedSource = Annotated[Source, BeforeValidator(_row_source)]

SourceKey = Annotated[str, AfterValidator(_source_key)]

#: The tables (the sections of :class:`IncomeFile`) whose rows have a source.
ROW_TABLES = ("income", "quintile", "median")


class IncomeRow(Frozen):
    """Per-capita income of one region, year and measure, for all residents, urban and rural.

    ``region`` is a region id (``cn`` for the nation, ``cn/guizhou`` for a province, or any
    region id of the rate tree). ``confidence`` is one level for the row or a table by
    population. A population with no value was not found in the sources (a gap: never filled
    in).
    """

    year: int
    measure: Measure
    region: str = "cn"
    all: Money | None = None
    urban: Money | None = None
    rural: Money | None = None
    confidence: StatConfidence | dict[Population, StatConfidence]
    source: CitedSource
    note: str | None = None

    def confidence_of(self, population: Population) -> str:
        if isinstance(self.confidence, str):
            return self.confidence
        return self.confidence.get(population, "medium")


class QuintileRow(Frozen):
    """Per-capita income of the five household quintiles (20% of households each), national."""

    year: int
    population: Population
    measure: Measure
    q1: Money
    q2: Money
    q3: Money
    q4: Money
    q5: Money
    confidence: StatConfidence
    source: CitedSource
    note: str | None = None


class MedianRow(Frozen):
    """Per-capita median income (中位数) of one region, year and measure.

    Like :class:`IncomeRow`: ``region`` defaults to ``cn``; ``measure`` is ``disposable``
    (integrated survey) or ``net`` (the old series before 2014: urban medians of the old urban
    survey, rural medians of net income); a population with no value is a gap.
    """

    year: int
    measure: Measure
    region: str = "cn"
    all: Money | None = None
    urban: Money | None = None
    rural: Money | None = None
    confidence: StatConfidence | dict[Population, StatConfidence]
    source: CitedSource
    note: str | None = None

    def confidence_of(self, population: Population) -> str:
        if isinstance(self.confidence, str):
            return self.confidence
        return self.confidence.get(population, "medium")


class IncomeFile(Frozen):
    """``rates/stats/income.toml`` and friends: any ``stats/*.toml`` of a rate directory.

    ``sources`` are the sources rows cite by key (``source = "nbs_2024"``), each defined once.
    """

    income: list[IncomeRow] = Field(default_factory=list)
    quintile: list[QuintileRow] = Field(default_factory=list)
    median: list[MedianRow] = Field(default_factory=list)
    sources: dict[SourceKey, Annotated[Source, BeforeValidator(_defined_source)]] = Field(
        default_factory=dict
    )
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _cite(cls, data: Any) -> Any:
        """Rows citing a source by key get the file's :class:`Source` of that key (one object
        for all of them); an unknown key is left for the row's check to report, a table no row
        cites for the check of ``sources``. The input is not changed (rows are copied)."""
        if not isinstance(data, dict):
            return data
        raw = data.get("sources")
        if raw is None and not any(_cites_by_key(row) for row in _rows(data)):
            return data  # every source written in its row
        defined: dict[str, Any] = raw if isinstance(raw, dict) else {}
        resolved = {key: _valid_source(table) for key, table in defined.items()}
        known = tuple(sorted(defined))
        cited: set[str] = set()

        def resolve(key: str) -> object:
            cited.add(key)
            if key in resolved:
                # a broken table is reported by the check of ``sources``, not at every row
                source = resolved[key]
                return _BROKEN if source is None else source
            # ``sources`` that is no table is reported as such, not at every row
            return _unknown(key, known) if raw is None or isinstance(raw, dict) else _BROKEN

        out = dict(data)
        for name in ROW_TABLES:
            rows = data.get(name)
            if isinstance(rows, list):
                out[name] = [
                    {**row, "source": resolve(row["source"])} if _cites_by_key(row) else row for row in rows
                ]
        if defined:
            out["sources"] = {
                key: _checked(key, table, resolved[key], key in cited) for key, table in defined.items()
            }
        return out


def _rows(data: dict[str, Any]) -> list[object]:
    return [row for name in ROW_TABLES if isinstance(rows := data.get(name), list) for row in rows]


def _cites_by_key(row: object) -> bool:
    return isinstance(row, dict) and isinstance(row.get("source"), str)


def _valid_source(table: object) -> Source | None:
    """The source of a ``[sources.<key>]`` table, ``None`` if it is no valid source."""
    try:
        return Source.model_validate(table)
    except ValidationError:
        return None


def _checked(key: str, table: object, source: Source | None, cited: bool) -> object:
    """What the check of ``sources`` gets for one table: its :class:`Source` (the object the
    rows hold), the table as written where it is broken (its errors are reported), or the
    table marked as cited by no row (an error)."""
    if cited:
        return table if source is None else source
    if not isinstance(table, dict):
        return table
    out = _Uncited(table)
    out.key = key
    return out


def _unknown(key: str, known: tuple[str, ...]) -> _UnknownKey:
    out = _UnknownKey(key)
    out.known = known
    return out


#: What a row citing a broken ``[sources.<key>]`` table holds while the file's validation fails
#: on that table (never seen outside: the file is refused).
_BROKEN = Source.model_construct(title="", confidence="low")
