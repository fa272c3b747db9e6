"""The population path under a reform gives, household by household, what the one-household
path (``assess_reform``) gives: the same contribution, the same assistance on the new gross,
the same bounds where assistance is unknown, unpriced where the household path has no amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premium_calc.analyses.population.columns import from_columns
from premium_calc.analyses.population.pricing import BOUNDED, PRICED
from premium_calc.analyses.reform.book import ReformedBook
from premium_calc.analyses.reform.household import assess_reform
from premium_calc.analyses.reform.loading import find_reform, load_reform, shipped_reforms
from premium_calc.analyses.reform.population import price_reform, statistic_stand_in
from premium_calc.household.batch import to_fen
from premium_calc.household.members import Household
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.model import ASSISTED_GROUPS

from .fixtures import plausible

BOOK = RateBook(use_env=False)
REFORMS = [load_reform(find_reform(p.stem)) for p in shipped_reforms()]
REGIONS = ["毕节", "cn/guizhou", "cn/hunan", "cn/beijing"]

members = st.builds(
    plausible,
    age=st.integers(0, 95),
    sex=st.sampled_from(["male", "female"]),
    student=st.booleans(),
    assisted=st.lists(st.sampled_from(sorted(ASSISTED_GROUPS)), max_size=1).map(tuple),
    employee=st.booleans(),
)
households = st.lists(
    st.tuples(st.lists(members, min_size=1, max_size=5), st.none() | st.integers(0, 300_000)),
    min_size=1, max_size=5,
)  # fmt: skip


@pytest.mark.parametrize("reform", REFORMS, ids=lambda r: r.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=households, region=st.sampled_from(REGIONS))
def test_population_equals_household_path(reform: object, batch: list[tuple[list[object], int | None]],
                                          region: str) -> None:  # fmt: skip
    from premium_calc.analyses.reform.model import Reform

    assert isinstance(reform, Reform)
    year = 2025
    columns: dict[str, list[object]] = {k: [] for k in ("household", "age", "sex", "flags", "income")}
    for h, (people, income) in enumerate(batch):
        for i, m in enumerate(people):
            flags = list(m.assisted) + ["student"] * m.student + ["employee"] * m.employee  # type: ignore[attr-defined]
            columns["household"].append(h)
            columns["age"].append(m.age)  # type: ignore[attr-defined]
            columns["sex"].append(m.sex)  # type: ignore[attr-defined]
            columns["flags"].append(";".join(flags))
            columns["income"].append("" if income is None or i else str(income))
    pop = from_columns(columns, year=year, region=region)
    reformed = ReformedBook(BOOK, reform)
    result = price_reform(reformed, pop, contribution=reform.contribution,
                          stand_in=statistic_stand_in(BOOK))  # fmt: skip
    for h, (people, income) in enumerate(batch):
        household = Household(members=tuple(people), income=Decimal(income) if income is not None else None)
        one = assess_reform(BOOK, region, year, household, reform).reform
        if one.total_paid is not None:
            assert result.status[h] == PRICED
            assert result.paid_fen[h] == to_fen(one.total_paid)
            assert result.gross_fen[h] == to_fen(one.total_gross)
        elif one.total_paid_high is not None:
            assert result.status[h] == BOUNDED
            assert result.paid_low_fen[h] == to_fen(one.total_paid_low)
            assert result.paid_fen[h] == to_fen(one.total_paid_high)
        else:
            assert result.status[h] > BOUNDED
