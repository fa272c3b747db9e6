"""premium-calc: premiums and affordability of China's urban-rural resident medical insurance.

The public API (everything in ``__all__``; see README "Library" and "API stability")::

    from premium_calc import RateBook, build_household, assess

    book = RateBook()                                   # bundled rates (+ PREMIUM_CALC_RATES)
    home = build_household(["45", "42:female", "12:student", "70"], income=14000)
    result = assess(book, "毕节", 2025, home)            # premium + burden
    result.total_paid, result.burden_ratio               # Decimal("1600"), Decimal("0.1143")

Names are imported on first use, so ``import premium_calc`` is cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .analyses.comparison import compare_all as compare_all
    from .analyses.comparison import compare_regions as compare_regions
    from .analyses.comparison_model import Comparison as Comparison
    from .analyses.history import by_policy_year as by_policy_year
    from .analyses.history import household_series as household_series
    from .analyses.history import premium_series as premium_series
    from .analyses.population.columns import Population as Population
    from .analyses.population.columns import from_columns as from_columns
    from .analyses.population.pricing import PopulationResult as PopulationResult
    from .analyses.population.pricing import price_population as price_population
    from .analyses.population.run import run_population as run_population
    from .analyses.population.summary import PopulationSummary as PopulationSummary
    from .analyses.population.synthetic import synthetic_population as synthetic_population
    from .analyses.reform.book import ReformedBook as ReformedBook
    from .analyses.reform.household import ReformComparison as ReformComparison
    from .analyses.reform.household import assess_reform as assess_reform
    from .analyses.reform.loading import load_reform as load_reform
    from .analyses.reform.model import Reform as Reform
    from .analyses.series import History as History
    from .analyses.series import HouseholdHistory as HouseholdHistory
    from .analyses.sweep import SweepResult as SweepResult
    from .analyses.sweep import income_sweep as income_sweep
    from .analyses.worth import Stay as Stay
    from .analyses.worth import WorthResult as WorthResult
    from .analyses.worth import assess_worth as assess_worth
    from .analyses.worth import parse_stay as parse_stay
    from .errors import (
        AmbiguousRegionError as AmbiguousRegionError,
    )
    from .errors import (
        DataMissingError as DataMissingError,
    )
    from .errors import (
        EditError as EditError,
    )
    from .errors import (
        HouseholdError as HouseholdError,
    )
    from .errors import (
        MissingFactError as MissingFactError,
    )
    from .errors import (
        NoDataInSpanError as NoDataInSpanError,
    )
    from .errors import (
        OptionError as OptionError,
    )
    from .errors import (
        PlotError as PlotError,
    )
    from .errors import (
        PlotUnavailableError as PlotUnavailableError,
    )
    from .errors import (
        PremiumCalcError as PremiumCalcError,
    )
    from .errors import (
        RateFileError as RateFileError,
    )
    from .errors import (
        ReformFileError as ReformFileError,
    )
    from .errors import (
        StatisticNotFoundError as StatisticNotFoundError,
    )
    from .errors import (
        UnknownCategoryError as UnknownCategoryError,
    )
    from .errors import (
        UnknownRegionError as UnknownRegionError,
    )
    from .errors import (
        YearNotCoveredError as YearNotCoveredError,
    )
    from .household.batch import BatchResult as BatchResult
    from .household.batch import price_batch as price_batch
    from .household.burden import (
        DEFAULT_THRESHOLDS as DEFAULT_THRESHOLDS,
    )
    from .household.burden import (
        Assessment as Assessment,
    )
    from .household.burden import (
        Burden as Burden,
    )
    from .household.burden import (
        ThresholdCheck as ThresholdCheck,
    )
    from .household.burden import (
        assess as assess,
    )
    from .household.burden import (
        measure_burden as measure_burden,
    )
    from .household.member_table import MemberTable as MemberTable
    from .household.members import (
        Household as Household,
    )
    from .household.members import (
        HouseholdFile as HouseholdFile,
    )
    from .household.members import (
        Member as Member,
    )
    from .household.parsing import (
        build_household as build_household,
    )
    from .household.parsing import (
        load_household_file as load_household_file,
    )
    from .household.parsing import (
        parse_member as parse_member,
    )
    from .household.premium import (
        MemberPremium as MemberPremium,
    )
    from .household.premium import (
        PremiumResult as PremiumResult,
    )
    from .household.premium import (
        SourceRef as SourceRef,
    )
    from .household.premium import (
        calculate as calculate,
    )
    from .json_schemas import (
        benefit_file_json_schema as benefit_file_json_schema,
    )
    from .json_schemas import (
        household_json_schema as household_json_schema,
    )
    from .json_schemas import (
        rate_file_json_schema as rate_file_json_schema,
    )
    from .json_schemas import (
        result_json_schema as result_json_schema,
    )
    from .ratebook.benefits import BenefitBook as BenefitBook
    from .ratebook.benefits import BenefitRules as BenefitRules
    from .ratebook.book import (
        RateBook as RateBook,
    )
    from .ratebook.income import (
        IncomeFigure as IncomeFigure,
    )
    from .ratebook.income import (
        IncomeStats as IncomeStats,
    )
    from .ratebook.schedule import (
        Schedule as Schedule,
    )
    from .ratebook.schedule import (
        ScheduleAssist as ScheduleAssist,
    )
    from .ratebook.schedule import (
        ScheduleCategory as ScheduleCategory,
    )
    from .ratefiles.reading import (
        data_version as data_version,
    )
    from .render.charts import ChartResult as ChartResult
    from .render.charts import plot_comparison as plot_comparison
    from .render.charts import plot_history as plot_history
    from .render.sweep_chart import plot_sweep as plot_sweep

_EXPORTS: dict[str, str] = {
    # rate book
    "RateBook": "ratebook.book",
    "Schedule": "ratebook.schedule",
    "ScheduleCategory": "ratebook.schedule",
    "ScheduleAssist": "ratebook.schedule",
    "data_version": "ratefiles.reading",
    # households
    "Household": "household.members",
    "HouseholdFile": "household.members",
    "Member": "household.members",
    "build_household": "household.parsing",
    "load_household_file": "household.parsing",
    "parse_member": "household.parsing",
    # premiums and burden
    "calculate": "household.premium",
    "PremiumResult": "household.premium",
    "MemberPremium": "household.premium",
    "SourceRef": "household.premium",
    "assess": "household.burden",
    "measure_burden": "household.burden",
    "Assessment": "household.burden",
    "Burden": "household.burden",
    "ThresholdCheck": "household.burden",
    "DEFAULT_THRESHOLDS": "household.burden",
    # many households at once (vectorised, integer fen)
    "MemberTable": "household.member_table",
    "BatchResult": "household.batch",
    "price_batch": "household.batch",
    # populations
    "Population": "analyses.population.columns",
    "from_columns": "analyses.population.columns",
    "PopulationResult": "analyses.population.pricing",
    "price_population": "analyses.population.pricing",
    "PopulationSummary": "analyses.population.summary",
    "run_population": "analyses.population.run",
    "synthetic_population": "analyses.population.synthetic",
    # is it worth it (benefits)
    "BenefitBook": "ratebook.benefits",
    "BenefitRules": "ratebook.benefits",
    "assess_worth": "analyses.worth",
    "parse_stay": "analyses.worth",
    "Stay": "analyses.worth",
    "WorthResult": "analyses.worth",
    # history, comparison, income sweeps and their charts (issue 13)
    "premium_series": "analyses.history",
    "household_series": "analyses.history",
    "by_policy_year": "analyses.history",
    "History": "analyses.series",
    "HouseholdHistory": "analyses.series",
    "compare_regions": "analyses.comparison",
    "compare_all": "analyses.comparison",
    "Comparison": "analyses.comparison_model",
    "income_sweep": "analyses.sweep",
    "SweepResult": "analyses.sweep",
    "plot_history": "render.charts",
    "plot_comparison": "render.charts",
    "ChartResult": "render.charts",
    "plot_sweep": "render.sweep_chart",
    # reforms and scenarios (issue 15)
    "Reform": "analyses.reform.model",
    "ReformedBook": "analyses.reform.book",
    "load_reform": "analyses.reform.loading",
    "assess_reform": "analyses.reform.household",
    "ReformComparison": "analyses.reform.household",
    # income statistics
    "IncomeStats": "ratebook.income",
    "IncomeFigure": "ratebook.income",
    # JSON Schema
    "household_json_schema": "json_schemas",
    "result_json_schema": "json_schemas",
    "rate_file_json_schema": "json_schemas",
    "benefit_file_json_schema": "json_schemas",
    # errors
    "PremiumCalcError": "errors",
    "UnknownRegionError": "errors",
    "AmbiguousRegionError": "errors",
    "YearNotCoveredError": "errors",
    "RateFileError": "errors",
    "HouseholdError": "errors",
    "MissingFactError": "errors",
    "DataMissingError": "errors",
    "StatisticNotFoundError": "errors",
    "OptionError": "errors",
    "NoDataInSpanError": "errors",
    "UnknownCategoryError": "errors",
    "PlotError": "errors",
    "PlotUnavailableError": "errors",
    "EditError": "errors",
    "ReformFileError": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'premium_calc' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
