"""Reforms as data: a reform file (``[[change]]`` of rate-file values, an income-related
``[contribution]``) read and validated (:mod:`.loading`, :mod:`.model`), applied to resolved
schedules (:mod:`.changes`, :class:`~.book.ReformedBook`), contribution schedules exact for
one household (:mod:`.contribution`) and on int64 fen arrays for populations
(:mod:`.contribution_arrays`), one household baseline vs reform (:mod:`.household`); the
population side (``population*``, ``solver``, ``response``) builds on these.

Names are imported on first use (the household path never imports numpy).
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "Reform": ".model",
    "ReformInfo": ".model",
    "ChangeEntry": ".model",
    "ReformedBook": ".book",
    "load_reform": ".loading",
    "settings_reform": ".loading",
    "with_settings": ".loading",
    "shipped_reforms": ".loading",
    "find_reform": ".loading",
    "reform_schema": ".loading",
    "reform_problems": ".loading",
    "assess_reform": ".household",
    "ReformComparison": ".household",
    "fiscal_cost": ".household",
    "IncomeShare": ".contribution",
    "Brackets": ".contribution",
    "FlatReductions": ".contribution",
    "Payer": ".contribution",
    "charge": ".contribution",
    "SOLVER_PARAMETERS": ".contribution",
    "member_amounts_fen": ".contribution_arrays",
}


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


__all__ = sorted(_NAMES)
