"""Pydantic models of income-statistics files (``rates/stats/*.toml``): NBS per-capita income by
population, quintiles and medians, each row with its measure (net before 2013, disposable from
2013), source and confidence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
)

from .._frozen import Frozen
from .model import Source, to_decimal

#: Per-capita income in yuan a year: at most ten million (the richest quintile is ~100,000).
Money = Annotated[Decimal, BeforeValidator(to_decimal), Field(ge=0, le=10_000_000, decimal_places=2)]

Measure = Literal["disposable", "net"]


Population = Literal["all", "urban", "rural"]


StatConfidence = Literal["high", "medium-high", "medium", "medium-low", "low"]


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
    source: Source
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
    source: Source
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
    source: Source
    note: str | None = None

    def confidence_of(self, population: Population) -> str:
        if isinstance(self.confidence, str):
            return self.confidence
        return self.confidence.get(population, "medium")


class IncomeFile(Frozen):
    """``rates/stats/income.toml`` and friends: any ``stats/*.toml`` of a rate directory."""

    income: list[IncomeRow] = Field(default_factory=list)
    quintile: list[QuintileRow] = Field(default_factory=list)
    median: list[MedianRow] = Field(default_factory=list)
    note: str | None = None
