"""A priced population as a table of households (Arrow), for CSV and Parquet files.

Money columns are exact decimals (yuan with two places), built straight from the integer fen;
the burden is paid / income half-up to four decimals. Where a household could not be priced
its amounts are empty (null), never 0; ``paid_low`` .. ``paid_high`` bound what it pays where
only a member's assistance amount is unknown (``paid`` is then empty).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..analyses.population.pricing import PopulationResult


def decimals(units: NDArray[np.int64], scale: int, valid: NDArray[np.bool_]) -> Any:
    """Integers in units of 10**-scale as an Arrow decimal column (null where not valid)."""
    import pyarrow as pa

    n = units.shape[0]
    raw = np.empty((n, 2), dtype=np.int64)
    raw[:, 0] = units
    raw[:, 1] = units >> 63  # the high 64 bits of a 128-bit two's-complement integer
    mask = pa.array(valid, type=pa.bool_()).buffers()[1] if not valid.all() else None
    return pa.Array.from_buffers(pa.decimal128(20, scale), n, [mask, pa.py_buffer(raw.tobytes())])


def household_table(result: PopulationResult) -> Any:
    """One row per household: label, region, year, members, weight, income, gross,
    assistance, paid (with its bounds), fiscal subsidy, burden, status, standard, at_least."""
    import pyarrow as pa

    from ..analyses.population.pricing import BOUNDED, HOUSEHOLD_STATUS, PRICED

    pop = result.population
    status = result.status
    ok = status <= BOUNDED
    exact = status == PRICED
    income = pop.income_fen
    with np.errstate(divide="ignore", invalid="ignore"):
        burden = (2 * result.paid_fen * 10_000 + income) // np.maximum(2 * income, 1)
    groups = result.groups
    group = pa.array(result.group.astype(np.int32))

    def per_group(values: list[str]) -> Any:
        # One text per group, looked up by each household's group: a dictionary column.
        return pa.DictionaryArray.from_arrays(group, pa.array(values, type=pa.string()))

    status_names = pa.DictionaryArray.from_arrays(
        pa.array(status.astype(np.int32)), pa.array(list(HOUSEHOLD_STATUS.values()), type=pa.string())
    )
    labels = pop.labels
    label_column = (
        pa.array(labels) if labels.dtype.kind in "iu" else pa.array(labels.astype(str), type=pa.string())
    )
    columns = {
        "household": label_column,
        "region": per_group([g.region or g.query for g in groups]),
        "year": pa.array(np.array([g.year for g in groups], dtype=np.int16)[result.group]),
        "members": pa.array(pop.members),
        "weight": decimals(pop.weight, 4, np.ones(pop.households, bool)),
        "income": decimals(np.maximum(income, 0), 2, income >= 0),
        "gross": decimals(result.gross_fen, 2, ok),
        "assistance": decimals(result.gross_fen - result.paid_fen, 2, exact),
        "paid": decimals(result.paid_fen, 2, exact),
        "paid_low": decimals(result.paid_low_fen, 2, ok),
        "paid_high": decimals(result.paid_fen, 2, ok),
        "subsidy": decimals(np.maximum(result.subsidy_fen, 0), 2, result.subsidy_fen >= 0),
        "burden": decimals(burden, 4, exact & (income > 0)),
        "status": status_names,
        "standard": per_group([g.standard_from or "" for g in groups]),
        "at_least": per_group(["yes" if g.national_fallback else "" for g in groups]),
    }
    # Table.from_arrays: pa.table() would import pandas to check its argument.
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def rejects_table(file: str, wrong_fields: Sequence[Any], unreadable: Sequence[Any], lang: str) -> Any:
    """The rows of a survey file left out of a run, for ``population --rejects``: the file, line,
    column and value of each, and why (in ``lang``), in file order. ``wrong_fields`` are rows
    with the wrong number of fields (their first 200 characters are the value); ``unreadable``
    are member rows with a value that could not be read (their households were left out)."""
    import pyarrow as pa

    rows = [(s.line, "", s.text, s.reason.text(lang)) for s in wrong_fields]
    rows += [(s.line, s.column, s.value, s.reason.text(lang)) for s in unreadable]
    rows.sort(key=lambda row: (row[0] is None, row[0] or 0))
    return pa.table(
        {
            "file": pa.array([file] * len(rows), pa.string()),
            "line": pa.array([row[0] for row in rows], pa.int64()),
            "column": pa.array([row[1] for row in rows], pa.string()),
            "value": pa.array([row[2] for row in rows], pa.string()),
            "reason": pa.array([row[3] for row in rows], pa.string()),
        }
    )
