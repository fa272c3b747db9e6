"""The household hot path of issue 18: results built without revalidation (construct), work
kept per schedule (Schedule.memo), income statistics indexed by region. Values asserted, no
timings (bench/startup.py prints them)."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premium_calc.household.burden import Assessment, Burden, assess, measure_burden
from premium_calc.household.parsing import build_household
from premium_calc.household.premium import MemberPremium, PremiumResult, calculate
from premium_calc.household.results import construct
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.income import IncomeStats


@pytest.fixture(scope="module")
def book() -> RateBook:
    return RateBook(use_env=False)


def test_construct_is_model_construct() -> None:
    values = dict(
        index=1, member="45", age=45, status="resident", category="residents", category_name=None,
        tier=None, gross=Decimal(400), assistance=Decimal(0), paid=Decimal(400), paid_low=Decimal(400),
        paid_high=Decimal(400), subsidy=Decimal(670), assisted_rule=None, components={}, confidence="low",
        source=0,
    )  # fmt: skip
    ours, theirs = construct(MemberPremium, **values), MemberPremium.model_construct(**values)
    assert ours == theirs
    assert ours.model_dump() == theirs.model_dump()
    assert ours.model_fields_set == theirs.model_fields_set
    assert list(ours.__dict__) == list(theirs.__dict__) == list(MemberPremium.model_fields)
    assert MemberPremium.model_validate(ours.model_dump()) == ours


def test_construct_copies_mutable_defaults_and_refuses_unknown_fields() -> None:
    first = construct(Burden, **_burden_values())
    second = construct(Burden, **_burden_values())
    assert first.ratio_low is None and first.ratio_high is None  # defaults
    with pytest.raises(TypeError, match="no field 'nonsense'"):
        construct(Burden, **_burden_values(), nonsense=1)
    values = _burden_values()
    del values["income"]
    with pytest.raises(TypeError, match="'income' is required"):
        construct(Burden, **values)
    assert first.thresholds is not second.thresholds


def _burden_values() -> dict[str, object]:
    return dict(
        income=None, income_basis="none", statistic=None, household_size=1, income_per_capita=None,
        paid_per_member=None, burden_ratio=None, months_of_income=None, days_of_work=None, thresholds=[],
        computable=False, reason=None, notes=[],
    )  # fmt: skip


def test_results_of_the_same_household_are_equal_and_share_nothing_mutable(book: RateBook) -> None:
    household = build_household(["45", "42:female", "12:student", "70"], "14000")
    first, second = assess(book, "毕节", 2025, household), assess(book, "毕节", 2025, household)
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()
    assert first.members is not second.members and first.sources is not second.sources
    assert first.members[0] is not second.members[0]
    assert first.members[0].components is not second.members[0].components
    assert first.total_paid == Decimal(1600) and first.burden_ratio == Decimal("0.1143")
    assert Assessment.model_validate(first.model_dump()) == first


def test_assess_is_calculate_plus_measure_burden(book: RateBook) -> None:
    for income in ("14000", None):
        household = build_household(["45", "42:female,dibao", "12:student", "70"], income)
        result = assess(book, "毕节", 2025, household)
        premium = calculate(book.standard("毕节", 2025), household)
        assert {k: getattr(result, k) for k in PremiumResult.model_fields} == dict(premium)
        if income is not None:
            assert result.burden == measure_burden(premium, household)


def test_a_member_priced_once_per_schedule_keeps_its_place(book: RateBook) -> None:
    """The same member at another index (or in another household) gets its own index."""
    schedule = book.standard("毕节", 2025)
    one = calculate(schedule, build_household(["70", "45"], None))
    two = calculate(schedule, build_household(["45", "70"], None))
    assert [m.index for m in one.members] == [1, 2] == [m.index for m in two.members]
    assert [m.member for m in one.members] == ["70", "45"]
    assert [m.member for m in two.members] == ["45", "70"]
    assert one.members[1].model_dump(exclude={"index"}) == two.members[0].model_dump(exclude={"index"})


@settings(max_examples=40, deadline=None)
@given(ages=st.lists(st.integers(0, 100), min_size=1, max_size=5), late=st.booleans())
def test_the_memo_never_changes_a_result(ages: list[int], late: bool) -> None:
    book = RateBook(use_env=False)
    schedule = book.standard("毕节", 2025)
    household = build_household([str(a) for a in ages], None)
    fresh = copy.copy(schedule)  # an empty memo
    assert fresh.memo == {}
    assert calculate(schedule, household, late=late) == calculate(fresh, household, late=late)


def test_the_memo_is_not_pickled_nor_compared(book: RateBook) -> None:
    schedule = book.standard("毕节", 2025)
    calculate(schedule, build_household(["45"], None))
    assert schedule.memo
    again = pickle.loads(pickle.dumps(schedule))
    assert again.memo == {} and again == schedule
    assert pickle.loads(pickle.dumps(book)).standard("毕节", 2025).memo == {}


def test_income_statistics_by_region_are_the_rows_of_that_region() -> None:
    stats = IncomeStats()
    rows = stats.rows()
    for region in sorted({r.region for r in rows})[:10]:
        years = sorted({r.year for r in rows if r.region == region and r.rural is not None})
        assert stats.years("rural", region) == years
        for year in years[-2:]:
            figure = stats.figure("rural", year, region=region)
            assert figure is not None and figure.region == region and figure.year == year
    assert stats.years("rural", "cn/nowhere") == []
