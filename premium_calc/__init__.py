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
    from .burden import (
        DEFAULT_THRESHOLDS as DEFAULT_THRESHOLDS,
    )
    from .burden import (
        Assessment as Assessment,
    )
    from .burden import (
        Burden as Burden,
    )
    from .burden import (
        ThresholdCheck as ThresholdCheck,
    )
    from .burden import (
        assess as assess,
    )
    from .burden import (
        measure_burden as measure_burden,
    )
    from .errors import (
        DataMissingError as DataMissingError,
    )
    from .errors import (
        HouseholdError as HouseholdError,
    )
    from .errors import (
        MissingFactError as MissingFactError,
    )
    from .errors import (
        PremiumCalcError as PremiumCalcError,
    )
    from .errors import (
        RateFileError as RateFileError,
    )
    from .errors import (
        StatisticNotFoundError as StatisticNotFoundError,
    )
    from .errors import (
        UnknownRegionError as UnknownRegionError,
    )
    from .errors import (
        YearNotCoveredError as YearNotCoveredError,
    )
    from .household import (
        Household as Household,
    )
    from .household import (
        HouseholdFile as HouseholdFile,
    )
    from .household import (
        Member as Member,
    )
    from .household import (
        build_household as build_household,
    )
    from .household import (
        load_household_file as load_household_file,
    )
    from .household import (
        parse_member as parse_member,
    )
    from .jsonschema import (
        household_json_schema as household_json_schema,
    )
    from .jsonschema import (
        rate_file_json_schema as rate_file_json_schema,
    )
    from .jsonschema import (
        result_json_schema as result_json_schema,
    )
    from .premium import (
        MemberPremium as MemberPremium,
    )
    from .premium import (
        PremiumResult as PremiumResult,
    )
    from .premium import (
        SourceRef as SourceRef,
    )
    from .premium import (
        calculate as calculate,
    )
    from .ratebook import (
        RateBook as RateBook,
    )
    from .ratebook import (
        Schedule as Schedule,
    )
    from .ratebook import (
        ScheduleAssist as ScheduleAssist,
    )
    from .ratebook import (
        ScheduleCategory as ScheduleCategory,
    )
    from .ratebook import (
        data_version as data_version,
    )
    from .stats import (
        IncomeFigure as IncomeFigure,
    )
    from .stats import (
        IncomeStats as IncomeStats,
    )

_EXPORTS: dict[str, str] = {
    # rate book
    "RateBook": "ratebook",
    "Schedule": "ratebook",
    "ScheduleCategory": "ratebook",
    "ScheduleAssist": "ratebook",
    "data_version": "ratebook",
    # households
    "Household": "household",
    "HouseholdFile": "household",
    "Member": "household",
    "build_household": "household",
    "load_household_file": "household",
    "parse_member": "household",
    # premiums and burden
    "calculate": "premium",
    "PremiumResult": "premium",
    "MemberPremium": "premium",
    "SourceRef": "premium",
    "assess": "burden",
    "measure_burden": "burden",
    "Assessment": "burden",
    "Burden": "burden",
    "ThresholdCheck": "burden",
    "DEFAULT_THRESHOLDS": "burden",
    # income statistics
    "IncomeStats": "stats",
    "IncomeFigure": "stats",
    # JSON Schema
    "household_json_schema": "jsonschema",
    "result_json_schema": "jsonschema",
    "rate_file_json_schema": "jsonschema",
    # errors
    "PremiumCalcError": "errors",
    "UnknownRegionError": "errors",
    "YearNotCoveredError": "errors",
    "RateFileError": "errors",
    "HouseholdError": "errors",
    "MissingFactError": "errors",
    "DataMissingError": "errors",
    "StatisticNotFoundError": "errors",
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
