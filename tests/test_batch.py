"""The vectorised engine gives exactly what the scalar path gives, household by household."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import DataMissingError, MissingFactError
from premium_calc.household.batch import MemberTable, price_batch, to_fen
from premium_calc.household.members import Household, Member
from premium_calc.household.premium import calculate
from premium_calc.ratebook.book import RateBook, iter_schedules
from premium_calc.ratebook.schedule import Schedule
from premium_calc.ratefiles.model import ASSISTED_GROUPS

from .fixtures import plausible

BOOK = RateBook(use_env=False)
runner = CliRunner()
SCHEDULES: list[Schedule] = list(iter_schedules(BOOK))

members = st.builds(
    plausible,
    age=st.integers(0, 100),
    birth_date=st.none() | st.dates(min_value=dt.date(1925, 1, 2), max_value=dt.date(2003, 12, 31)),
    sex=st.none() | st.sampled_from(["male", "female"]),
    student=st.booleans(),
    disability=st.none() | st.integers(1, 4),
    assisted=st.lists(st.sampled_from(sorted(ASSISTED_GROUPS)), max_size=2).map(tuple),
    employee=st.booleans(),
)
households = st.lists(
    st.builds(Household, members=st.lists(members, min_size=1, max_size=5).map(tuple)),
    min_size=1,
    max_size=8,
)


def _agrees(schedule: Schedule, batch: list[Household], late: bool) -> None:
    table = MemberTable.from_households(batch, schedule.coverage_year, late=late)
    result = price_batch(schedule, table)
    for i, household in enumerate(batch):
        try:
            scalar = calculate(schedule, household, late=late)
        except (MissingFactError, DataMissingError):
            assert not result.valid[i]
            continue
        if not scalar.complete:
            # Unknown amounts or assistance: never a plain total; bounds where only assistance
            # is unknown, as in the scalar path.
            assert not result.valid[i]
            only_assistance = all(m.unknown in (None, "assistance") for m in scalar.members)
            assert result.bounded is not None and result.household_paid_low_fen is not None
            assert bool(result.bounded[i]) == only_assistance
            if only_assistance:
                assert scalar.total_paid_high is not None
                assert result.household_paid_fen[i] == to_fen(scalar.total_paid_high)
                assert result.household_paid_low_fen[i] == to_fen(scalar.total_paid_low)
            continue
        assert result.valid[i]
        assert result.household_paid_fen[i] == to_fen(scalar.total_paid)
        assert result.household_gross_fen[i] == to_fen(scalar.total_gross)
        rows = np.flatnonzero(table.household == i)
        assert [int(result.paid_fen[r]) for r in rows] == [to_fen(m.paid) for m in scalar.members]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule=st.sampled_from(SCHEDULES), batch=households)
def test_batch_equals_scalar(schedule: Schedule, batch: list[Household]) -> None:
    _agrees(schedule, batch, late=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule=st.sampled_from([s for s in SCHEDULES if s.late is not None]), batch=households)
def test_batch_equals_scalar_for_late_enrollees(schedule: Schedule, batch: list[Household]) -> None:
    _agrees(schedule, batch, late=True)


def test_batch_worked_example() -> None:
    # Guangyuan 2024: 特困 0 + 低保 95 = 95; a second household: 380 + 380 (student) = 760.
    schedule = BOOK.schedule("cn/sichuan/guangyuan", 2024)
    batch = [
        Household(members=(Member(age=50, assisted=("tekun",)), Member(age=48, assisted=("dibao",)))),
        Household(members=(Member(age=40), Member(age=12, student=True))),
    ]
    result = price_batch(schedule, MemberTable.from_households(batch, 2024))
    assert result.household_paid_fen.tolist() == [9500, 76000]
    assert result.household_gross_fen.tolist() == [76000, 76000]
    assert result.valid.tolist() == [True, True]
    ratio = result.household_burden(np.array([10000, 0]))
    assert ratio[0] == 0.0095 and np.isnan(ratio[1])  # 95 / 10000; zero income: NaN


def test_share_rounding_is_half_up_in_fen() -> None:
    # Shenyang 2026 near-dibao adults pay 40% of 460 = 184.00 exactly.
    schedule = BOOK.schedule("cn/liaoning/shenyang", 2026)
    batch = [Household(members=(Member(age=40, assisted=("dibao_edge",)),))]
    result = price_batch(schedule, MemberTable.from_households(batch, 2026))
    assert result.paid_fen.tolist() == [18400]
    assert to_fen(Decimal("184")) == 18400


def test_batch_cli(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "household,age,sex,flags,income\n"
        "A,45,male,,8000\nA,42,female,,6000\nA,12,,student,\nA,70,,,\n"
        "B,55,,,20000\nC,50,,tekun;dibao,3000\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["batch", str(survey), "-r", "北京", "-y", "2025"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == (
        "household,members,gross,assistance,paid,paid_low,paid_high,income,burden_ratio,"
        "burden_low,burden_high,standard,at_least,status"
    )
    # Beijing 2025: 750 + 750 + 405 (student) + 430 (70: elderly either sex) = 2335;
    # 2335 / 14000 = 0.16678... -> 0.1668.
    assert lines[1] == "A,4,2335.00,0.00,2335.00,2335.00,2335.00,14000.00,0.1668,,,cn/beijing,,ok"
    # A 55-year-old in Beijing needs a sex (women 50+ are elderly): not guessed.
    assert lines[2] == "B,1,,,,,,20000.00,,,,cn/beijing,,member 1: needs sex"


def test_batch_cli_bounds_unknown_assistance_and_marks_national_minimums(tmp_path: Path) -> None:
    # Hainan has no 2026 notice: national 400 (at least). A 低保 member's assistance is set by
    # the province and not in the data: the household pays 400 (adult) + 0..400 = 400..800.
    survey = tmp_path / "survey.csv"
    survey.write_text("household,age,flags,income\nA,45,,10000\nA,68,低保,\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(survey), "-r", "海南", "-y", "2026"])
    assert result.exit_code == 0, result.stderr
    import csv
    import io

    (values,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (values["paid"], values["paid_low"], values["paid_high"]) == ("", "400.00", "800.00")
    assert (values["burden_low"], values["burden_high"]) == ("0.0400", "0.0800")
    assert (values["standard"], values["at_least"]) == ("cn", "yes")
    assert values["status"] == "member 2: assisted, amount unknown"
    assert "no notice of Hainan for coverage year 2026" in result.stderr


def test_batch_cli_bad_row(tmp_path: Path) -> None:
    survey = tmp_path / "bad.csv"
    survey.write_text("household,age\nA,45\nA,200\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(survey), "-r", "cn", "-y", "2025"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {survey}:3: age 200 is impossible (expected 0-130)\n"


def _random_table(seed: int, households: int, *, late: bool) -> MemberTable:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, households)
    n = int(sizes.sum())
    groups = np.where(rng.random(n) < 0.4, rng.integers(0, 1 << len(ASSISTED_GROUPS), n), 0)
    return MemberTable.from_arrays(
        {
            "household": np.repeat(np.arange(households), sizes),
            "age": rng.integers(0, 101, n),
            "sex": rng.integers(0, 3, n),  # unknown sex too
            "student": rng.random(n) < 0.2,
            "college": rng.random(n) < 0.05,
            "employee": rng.random(n) < 0.1,
            "disability": np.where(rng.random(n) < 0.1, rng.integers(1, 5, n), 0),
            "groups": groups,
            "late": (rng.random(n) < 0.1) if late else np.zeros(n, bool),
        }
    )


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: f"{s.region}-{s.coverage_year}")
def test_compiled_tables_equal_the_general_rules(schedule: Schedule) -> None:
    # Every region-year: the look-up tables give member for member what the general rules give.
    table = _random_table(schedule.coverage_year, 3_000, late=schedule.late is not None)
    for tier in [None, *schedule.tier_ids()][:3]:
        fast = price_batch(schedule, table, tier=tier)
        slow = price_batch(schedule, table, tier=tier, compiled=False)
        for name in ("category", "rule", "status", "gross_fen", "paid_fen", "paid_low_fen"):
            assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
        sums = ("household_gross_fen", "household_paid_fen", "household_paid_low_fen")
        for name in (*sums, "valid", "bounded"):
            assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def test_member_table_rejects_bad_columns() -> None:
    from premium_calc.errors import HouseholdError

    ok = {"household": np.array([0, 0, 1]), "age": np.array([40, 12, 70])}
    assert len(MemberTable.from_arrays(ok)) == 3
    cases = [
        ({"age": np.array([1])}, "need 'household' and 'age'"),
        ({**ok, "agee": np.array([1, 2, 3])}, "unknown member column 'agee'"),
        ({**ok, "sex": np.array([1, 2])}, "column 'sex' has 2 entries, expected 3"),
        ({**ok, "age": np.array([40.5, 12, 70])}, "column 'age' must hold whole numbers"),
        ({**ok, "age": np.array([40, -1, 70])}, "column 'age', row 1: -1 is outside 0..130"),
        ({**ok, "disability": np.array([0, 5, 0])}, "column 'disability', row 1: 5 is outside 0..4"),
        ({**ok, "household": np.zeros((3, 1), int)}, "must be one-dimensional"),
    ]
    for columns, message in cases:
        with pytest.raises(HouseholdError, match=message):
            MemberTable.from_arrays(columns)
