"""Properties of the calculation that hold for every region, year and household."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premium_calc.errors import DataMissingError, PremiumCalcError
from premium_calc.household.burden import measure_burden
from premium_calc.household.members import Household, Member
from premium_calc.household.premium import calculate
from premium_calc.ratebook.book import RateBook, iter_schedules
from premium_calc.ratebook.schedule import Schedule
from premium_calc.ratefiles.model import ASSISTED_GROUPS

BOOK = RateBook(use_env=False)
SCHEDULES: list[Schedule] = list(iter_schedules(BOOK))


def test_every_region_and_year_loads_and_resolves() -> None:
    ids = BOOK.region_ids()
    rates = BOOK.dirs[-1]  # the bundled tree: one region per rate file (cn, provinces, cities, ...)
    files = [p.relative_to(rates) for p in rates.rglob("*.toml")]
    regions = sorted(f.with_suffix("").as_posix() for f in files if f.parts[0] in ("cn.toml", "cn"))
    assert "cn" in ids and ids == regions
    resolved = {(s.region, s.coverage_year) for s in SCHEDULES}
    expected = {(r, y) for r in ids for y in BOOK.years(r)}
    assert resolved == expected
    for s in SCHEDULES:
        assert s.categories, s.region
        assert s.source.title
        assert s.chain[0] == "cn"


members = st.builds(
    Member,
    birth_date=st.dates(min_value=dt.date(1900, 1, 2), max_value=dt.date(2003, 12, 31)),
    sex=st.sampled_from(["male", "female"]),
    student=st.booleans(),
    disability=st.none() | st.integers(1, 4),
    assisted=st.lists(st.sampled_from(sorted(ASSISTED_GROUPS)), max_size=2).map(tuple),
    employee=st.booleans(),
)
households = st.builds(
    Household,
    members=st.lists(members, min_size=1, max_size=6).map(tuple),
    income=st.none() | st.decimals(min_value=1, max_value=10**6, places=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule=st.sampled_from(SCHEDULES), household=households)
def test_totals_add_up_and_paid_never_exceeds_gross(schedule: Schedule, household: Household) -> None:
    try:
        result = calculate(schedule, household)
    except DataMissingError:
        return  # a category with no sourced amount: refusing is the right answer
    for m in result.members:
        if m.status == "employee":
            assert m.gross == 0 and m.paid == 0
        # What is known is exact; what is not is bounded, never a plain number.
        if m.unknown is None:
            assert m.paid is not None and m.gross is not None
            assert Decimal(0) <= m.paid <= m.gross
            assert m.assistance == m.gross - m.paid
            assert m.paid_low == m.paid == m.paid_high
        else:
            assert m.paid is None and m.assistance is None
            assert m.paid_low >= 0
            assert m.paid_high is None or m.paid_low <= m.paid_high <= (m.gross or m.paid_high)
    if result.complete:
        assert result.total_paid == sum((m.paid or Decimal(0) for m in result.members), Decimal(0))
        assert result.total_gross == sum((m.gross or Decimal(0) for m in result.members), Decimal(0))
        assert result.total_gross == result.total_paid + (result.total_assistance or Decimal(0))
        assert result.total_paid_low == result.total_paid == result.total_paid_high
    else:
        assert result.total_paid is None and result.total_assistance is None
        assert result.total_paid_low == sum((m.paid_low for m in result.members), Decimal(0))
        if result.total_paid_high is not None:
            assert result.total_paid_low <= result.total_paid_high


@settings(max_examples=200, deadline=None)
@given(
    schedule=st.sampled_from([s for s in SCHEDULES if s.region == "cn" and s.coverage_year < 2027]),
    n=st.integers(1, 6),
    low=st.decimals(min_value=1, max_value=10**6, places=2),
    extra=st.decimals(min_value=0, max_value=10**6, places=2),
)
def test_burden_falls_as_income_rises(schedule: Schedule, n: int, low: Decimal, extra: Decimal) -> None:
    household = Household(members=tuple(Member(age=40) for _ in range(n)))
    premium = calculate(schedule, household)
    poorer = measure_burden(premium, household.model_copy(update={"income": low}))
    richer = measure_burden(premium, household.model_copy(update={"income": low + extra}))
    assert poorer.burden_ratio is not None and richer.burden_ratio is not None
    assert richer.burden_ratio <= poorer.burden_ratio


def _parent_year(schedule: Schedule) -> Schedule | None:
    for parent in reversed(schedule.chain[:-1]):
        if schedule.coverage_year in BOOK.years(parent):
            return BOOK.schedule(parent, schedule.coverage_year)
    return None


@pytest.mark.parametrize(
    "schedule", [s for s in SCHEDULES if s.region != "cn"], ids=lambda s: f"{s.region}-{s.coverage_year}"
)
def test_inheritance_is_consistent(schedule: Schedule) -> None:
    """What a region does not set equals what its parent resolves to for the same year."""
    region = BOOK.region(schedule.region)
    found = region.year(schedule.coverage_year)
    assert found is not None
    _, entry = found
    parent = _parent_year(schedule)
    if parent is None:
        return
    if entry.category is None:
        assert [(c.id, c.individual, dict(c.tier_amounts)) for c in schedule.categories] == [
            (c.id, c.individual, dict(c.tier_amounts)) for c in parent.categories
        ]
    if entry.subsidy is None:
        assert schedule.subsidy == parent.subsidy
    if entry.collection is None:
        assert schedule.collection == parent.collection
    if entry.late is None:
        assert schedule.late == parent.late
    # Inherited assisted rules are the parent's, less the groups the region's own rules take
    # over from the national floor (a rule with an amount takes a group from any national
    # rule; one without only from a national one without).
    own_rules = list(entry.assisted or ())
    own = {a.id for a in own_rules}
    mine = {a.id: a.rule for a in schedule.assisted if a.id not in own}
    for a in parent.assisted:
        if a.id in own or a.origin.region != "cn":
            if a.id not in own:
                assert mine[a.id] == a.rule
            continue
        taken = {
            g for r in own_rules if r.missing is None or a.rule.missing is not None for g in r.groups
        }
        grades = {
            g
            for r in own_rules
            if r.missing is None or a.rule.missing is not None
            for g in r.disability_grades
        }
        left = [g for g in a.rule.groups if g not in taken]
        left_grades = [g for g in a.rule.disability_grades if g not in grades]
        if not left and not left_grades and (a.rule.groups or a.rule.disability_grades):
            assert a.id not in mine
        else:
            assert mine[a.id].groups == left and mine[a.id].disability_grades == left_grades


def test_no_unexpected_exception_for_any_single_member() -> None:
    """Every category of every schedule prices a member built to fall in it, or refuses."""
    for schedule in SCHEDULES:
        for age in (0, 10, 17, 18, 30, 55, 60, 65, 70, 90):
            for sex in ("male", "female"):
                household = Household(members=(Member(age=age, sex=sex, student=3 <= age < 18),))
                with contextlib.suppress(PremiumCalcError):
                    calculate(schedule, household)


def test_every_origin_is_a_key_path_of_the_chain() -> None:
    """The resolver records an origin for every effective value: a region of the chain, a key
    path (a tuple) under that region's ``year[i]``; explain only reads them."""
    from premium_calc.ratebook.explain import explain_schedule
    from premium_calc.ratefiles.keypaths import format_path, parse_path

    for s in SCHEDULES:
        origins = [*s.origins.values(), *(a.origin for a in s.assisted)]
        for cat in s.categories:
            origins += cat.origins.values()
            # individual, tiers and missing are set together: one table, the amount's.
            tables = {cat.origins[f].table() for f in ("individual", "tiers", "missing")}
            assert tables == {cat.amount_origin}
            assert (cat.subsidy_origin is None) == (cat.subsidy is None)
        for origin in origins:
            assert origin.region in s.chain
            assert isinstance(origin.key, tuple) and origin.key[0] == "year"
            assert isinstance(origin.key[1], int)
            assert parse_path(format_path(origin.key)) == origin.key
        for value in explain_schedule(BOOK, s).values:
            assert value.as_dict()["key_path"] == format_path(value.origin.key)
