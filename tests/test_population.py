"""Population runs: columns in, every region-year priced as the one-household path prices it,
exact distributions that do not depend on the batches, the CLI and the Dask engine."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc.analyses.population.columns import WEIGHT_SCALE, from_columns
from premium_calc.analyses.population.pricing import BOUNDED, NO_STANDARD, PRICED, UNPRICED, price_population
from premium_calc.analyses.population.run import run_population
from premium_calc.analyses.population.tally import IncomeRanks
from premium_calc.cli import app
from premium_calc.errors import DataMissingError, HouseholdError, MissingFactError
from premium_calc.household.batch import to_fen
from premium_calc.household.members import Household
from premium_calc.household.premium import calculate
from premium_calc.ratebook.book import RateBook, iter_schedules
from premium_calc.ratefiles.model import ASSISTED_GROUPS

from .fixtures import plausible

BOOK = RateBook(use_env=False)
SCHEDULES = list(iter_schedules(BOOK))
runner = CliRunner()
D = Decimal


# --- columns in -------------------------------------------------------------------------


def test_from_columns_reads_every_form() -> None:
    pop = from_columns(
        {
            "household": ["A", "A", "A", "B"],
            "age": [45, "12", 70, 30],
            "sex": ["男", "female", "", 1],
            "flags": ["", "student", "低保;残疾二级", "职工医保"],
            "income": ["8000", "1.2万", "", 5000.5],
            "weight": ["2.5", "2.5", "2.5", ""],
        },
        year=2026,
        region="cn/hunan",
    )
    assert pop.labels.tolist() == ["A", "B"]
    assert pop.members.tolist() == [3, 1]
    assert pop.weight.tolist() == [25_000, WEIGHT_SCALE]  # 2.5 and the default 1
    assert pop.income_fen.tolist() == [2_000_000, 500_050]  # 8000 + 12000; 5000.50
    t = pop.table
    assert t.sex.tolist() == [1, 2, 0, 1]
    assert t.student.tolist() == [False, True, False, False]
    assert t.disability.tolist() == [0, 0, 2, 0]
    assert t.employee.tolist() == [False, False, False, True]
    assert t.groups.tolist()[2] != 0 and t.groups.tolist()[0] == 0


def test_from_columns_arrow_pandas_and_birth_dates() -> None:
    import pandas as pd

    data = {
        "household": [7, 7, 9],
        "birth_date": ["1960-01-01", "2026-05-01", "1990-06-30"],
        "sex": [1, 2, 2],
    }
    for form in (data, pa.table(data), pd.DataFrame(data)):
        pop = from_columns(form, year=2026)
        # 1 January 2026: born 1960-01-01 is 66; a baby of 2026 is 0; 1990-06-30 is 35
        assert pop.table.age.tolist() == [66, 0, 35]
        assert pop.labels.tolist() == [7, 9]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"age": [1]}, "need 'household' and 'age'"),
        ({"household": [1, 2], "age": [1]}, "column 'age' has 1 entries, expected 2"),
        ({"household": [1], "age": [1], "agee": [1]}, "unknown member column 'agee'"),
        ({"household": [1], "age": ["x"]}, "row 0: column age 'x': expected a whole number"),
        ({"household": [1], "age": [131]}, "expected a number from 0 to 130"),
        ({"household": [1], "age": [40], "income": ["inf"]}, "expected an amount in yuan"),
        ({"household": [1], "age": [40], "income": [1e30]}, "expected an amount in yuan"),
        ({"household": [1], "age": [40], "weight": [-1]}, "expected a weight from 0"),
        ({"household": [1], "age": [40], "flags": ["dibo"]}, "dibo"),
        (
            {"household": [1, 1], "age": [40, 9], "weight": [1, 2]},
            "differs from the household's first member",
        ),
        ({"household": ["a", "b", "a"], "age": [1, 2, 3]}, "household a appears again at row 2"),
    ],
)
def test_from_columns_refuses_bad_values(columns: dict[str, list[object]], message: str) -> None:
    with pytest.raises(HouseholdError) as info:
        from_columns(columns, year=2026)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_rows_are_skipped_with_their_households_and_listed() -> None:
    pop = from_columns(
        {"household": ["a", "a", "b", "c"], "age": [1, "x", 3, 200], "income": ["1", "2", "abc", ""]},
        skip_bad=True,
        where="s.csv",
        first_line=2,
    )
    assert pop.labels.tolist() == []  # a (line 3), b (line 4), c (line 5) each have a bad value
    assert pop.dropped_rows == 4
    assert [s.where for s in pop.skipped] == ["s.csv:3", "s.csv:5", "s.csv:4"]


# --- pricing: the same as one household at a time -----------------------------------------

members = st.builds(
    plausible,
    age=st.integers(0, 100),
    sex=st.sampled_from(["male", "female"]) | st.none(),
    student=st.booleans(),
    disability=st.none() | st.integers(1, 4),
    assisted=st.lists(st.sampled_from(sorted(ASSISTED_GROUPS)), max_size=2).map(tuple),
    employee=st.booleans(),
)
households = st.lists(
    st.builds(Household, members=st.lists(members, min_size=1, max_size=4).map(tuple)), min_size=1, max_size=6
)


def _columns(batch: list[Household], regions: list[str], year: int) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {k: [] for k in ("household", "region", "age", "sex", "flags")}
    for h, (household, region) in enumerate(zip(batch, regions, strict=True)):
        for m in household.members:
            flags = [g for g in m.assisted]
            flags += ["student"] * m.student + ["employee"] * m.employee
            flags += [f"disabled{m.disability}"] if m.disability else []
            out["household"].append(h)
            out["region"].append(region)
            out["age"].append(m.age)
            out["sex"].append(m.sex or "")
            out["flags"].append(";".join(flags))
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), batch=households)
def test_population_equals_one_household_path(data: st.DataObject, batch: list[Household]) -> None:
    # A mix of region-years in one population: every household as calculate() prices it.
    schedules = [data.draw(st.sampled_from(SCHEDULES)) for _ in batch]
    year = schedules[0].coverage_year
    schedules = [s if s.coverage_year == year else schedules[0] for s in schedules]
    pop = from_columns(_columns(batch, [s.region for s in schedules], year), year=year)
    result = price_population(BOOK, pop)
    for i, (household, schedule) in enumerate(zip(batch, schedules, strict=True)):
        standard = BOOK.standard(schedule.region, year)
        try:
            scalar = calculate(standard, household)
        except (MissingFactError, DataMissingError):
            assert result.status[i] in (UNPRICED, NO_STANDARD)
            continue
        if scalar.complete:
            assert result.status[i] == PRICED
            assert result.paid_fen[i] == to_fen(scalar.total_paid)
            assert result.gross_fen[i] == to_fen(scalar.total_gross)
        elif all(m.unknown in (None, "assistance") for m in scalar.members):
            assert result.status[i] == BOUNDED
            assert result.paid_low_fen[i] == to_fen(scalar.total_paid_low)
            assert result.paid_fen[i] == to_fen(scalar.total_paid_high)
        else:
            assert result.status[i] == UNPRICED


def test_subsidy_and_standards_by_group() -> None:
    pop = from_columns(
        {
            "household": [1, 1, 2, 3],
            "age": [40, 12, 70, 30],
            "region": ["湖南", "湖南", "海南", "no such place"],
        },
        year=2025,
    )
    result = price_population(BOOK, pop)
    groups = {g.query: g for g in result.groups}
    assert groups["湖南"].region == "cn/hunan"
    assert groups["海南"].national_fallback  # Hainan has no rate entry: national minimums
    assert groups["no such place"].error is not None
    assert result.status.tolist() == [PRICED, PRICED, NO_STANDARD]
    assert result.paid_fen.tolist()[2] == 0  # never a number for an unpriced household
    assert result.subsidy_fen.tolist()[2] == -1


# --- distributions ------------------------------------------------------------------------


def test_decile_cuts_keep_ties_together() -> None:
    ranks = IncomeRanks()
    # 10 people each at 100..1000 fen, plus 10 more at 500: the cut at 5/10 lands on 500
    values = np.array([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 500], dtype=np.int64)
    people = np.array([10] * 10 + [10], dtype=np.int64)
    ranks.add(("", 0), values, people)
    # 110 people; k-th cut: smallest income with cumulative people >= k x 11
    # cumulative: 100:10 200:20 300:30 400:40 500:60 600:70 700:80 800:90 900:100 1000:110
    assert ranks.cuts(("", 0)).tolist() == [200, 300, 400, 500, 500, 600, 700, 800, 900]


def _synthetic(households: int) -> object:
    from premium_calc.analyses.population.synthetic import synthetic_population

    model = synthetic_population("贵州", 2026, households, seed=3, book=BOOK)
    return from_columns(model.columns, year=2026, region=model.region)


def test_summary_is_the_same_whatever_the_batches() -> None:
    pop = _synthetic(3_000)
    thresholds = (D("0.05"), D("0.1"))
    runs = [run_population(BOOK, pop.split(parts), thresholds=thresholds) for parts in (1, 7, 64)]
    texts = [r.model_dump_json() for r in runs]
    assert texts[0] == texts[1] == texts[2]
    whole = runs[0].group().whole
    assert whole.sample == 3_000
    assert sum(d.households for d in runs[0].group().deciles) == whole.households


def test_summary_of_a_worked_population() -> None:
    # Four Hunan 2026 households (400 yuan a person), weights 1, 2, 1, 1:
    #   A: 1 person, income 2,000 -> burden 400/2000 = 0.2
    #   B: 2 people, income 10,000 -> 800/10000 = 0.08 (weight 2)
    #   C: 1 person, income 40,000 -> 0.01
    #   D: 1 person, no income -> not ranked, no burden
    pop = from_columns(
        {
            "household": ["A", "B", "B", "C", "D"],
            "age": [40, 40, 40, 40, 40],
            "income": ["2000", "10000", "", "40000", ""],
            "weight": [1, 2, 2, 1, 1],
        },
        year=2026,
        region="cn/hunan",
    )
    summary = run_population(BOOK, pop, thresholds=(D("0.05"), D("0.1")), min_cell=2)
    w = summary.group().whole
    assert (w.households, w.people) == (D(5), D(7))  # weighted: 1+2+1+1; 1+4+1+1
    assert w.paid_high == D(400 + 2 * 800 + 400 + 400)  # 2800 yuan
    assert w.subsidy == D(700 * 7)  # Hunan 2026: 700 a person
    assert w.no_income_households == D(1)
    above_10, above_5 = w.above[1], w.above[0]
    # ranked households with income: A (1), B (2), C (1) = 4 weighted households, 6 people
    assert above_10.households_high == D("0.2500")  # A only: 1 of 4
    assert above_5.households_high == D("0.7500")  # A and B: 3 of 4
    assert above_5.people_count_high == D(5)  # A 1 + B 4 people
    # people deciles: per capita A 2000 (1 person), B 5000 (4), C 40000 (1): 6 people
    deciles = summary.group().deciles
    assert [d.people for d in deciles if d.people] == [D(1), D(4), D(1)]
    assert all(d.small for d in deciles)  # at most one sampled household each, min_cell 2


# --- the command ------------------------------------------------------------------------


def test_cli_synthetic_in_chinese_and_json() -> None:
    result = runner.invoke(
        app, ["population", "--synthetic", "贵州", "--households", "2000", "-y", "2026", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.stderr
    assert "贵州省，2026年度" in result.stdout
    assert "模型人口" in result.stdout  # the assumptions are printed
    assert "保费超过家庭收入10%的" in result.stdout
    result = runner.invoke(
        app, ["population", "--synthetic", "贵州", "--households", "2000", "-y", "2026", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["groups"][0]["whole"]["sample"] == 2000
    assert any("Model population" in n for n in data["notes"])


def test_cli_refuses_bad_options() -> None:
    for args, text in (
        (["population"], "give a survey FILE or --synthetic"),
        (["population", "--synthetic", "贵州", "--thresholds", "0.12345"], "more than 4 decimals"),
        (["population", "--synthetic", "贵州", "--households", "0"], "expected 1 to 50,000,000"),
        (["population", "--synthetic", "贵州", "--engine", "spark"], "not local or dask"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert text in result.stderr
        assert "Traceback" not in result.stderr


def test_cli_survey_file_with_regions_and_out(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "household,region,age,sex,flags,income\n"
        "1,北京,45,male,,80000\n1,北京,12,,student,\n"
        "2,湖南,50,,低保,3000\n"
        "3,湖南,30,,,abc\n",
        encoding="utf-8",
    )
    out = tmp_path / "households.csv"
    result = runner.invoke(app, ["population", str(survey), "-y", "2026", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    regions = {g["region"] for g in data["groups"]}
    assert regions == {"", "cn/beijing", "cn/hunan"}
    assert any("abc" in n for n in data["notes"])  # the bad income is reported with its line
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('"household","region","year","members"')
    assert len(lines) == 3  # households 1 and 2; 3 was dropped


def test_dask_engine_gives_the_same_summary(tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import pyarrow.parquet as pq

    from premium_calc.analyses.population.distributed import run_dask

    pop = _synthetic(4_000)
    path = tmp_path / "pop.parquet"
    income = np.zeros(len(pop.table), dtype=np.float64)
    income[pop.table.runs] = pop.income_fen / 100  # a household's income on its first member
    model_columns = {"household": pop.table.household, "age": pop.table.age.astype(np.int64),
                     "sex": pop.table.sex, "income": income}  # fmt: skip
    table = pa.table(model_columns)
    with pq.ParquetWriter(path, table.schema) as writer:  # four row groups, households inside
        starts = pop.table.runs
        bounds = [*starts[::1_000].tolist(), len(pop.table)]
        for lo, hi in itertools.pairwise(bounds):
            writer.write_table(table.slice(lo, hi - lo))
    thresholds = (D("0.05"), D("0.1"))
    local = run_population(BOOK, from_columns(table, year=2026, region="cn/guizhou"), thresholds=thresholds)
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1)
    with cluster, distributed.Client(cluster) as client:
        remote = run_dask(BOOK, path, region="cn/guizhou", year=2026, thresholds=thresholds, scheduler=client)
    assert json.loads(remote.model_dump_json()) == json.loads(local.model_dump_json())


def test_batch_refuses_columns_it_would_ignore(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("household,region,weight,age\n1,湖南,2,40\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(survey), "-r", "湖南", "-y", "2026"])
    assert result.exit_code == 2
    assert "region, weight column" in result.stderr and "premium-calc population" in result.stderr


def test_a_population_without_incomes_is_summarised(tmp_path: Path) -> None:
    pop = from_columns({"household": [1, 1, 2], "age": [40, 10, 70]}, year=2026, region="cn/hunan")
    summary = run_population(BOOK, pop)
    whole = summary.group().whole
    assert (whole.sample, whole.no_income_households, whole.paid_high) == (2, D(2), D(1200))
    assert all(d.households == 0 for d in summary.group().deciles)


def test_outputs_that_are_not_regular_files_are_refused(tmp_path: Path) -> None:
    survey = tmp_path / "s.csv"
    survey.write_text("household,age\n1,40\n", encoding="utf-8")
    folder = tmp_path / "out.csv"
    folder.mkdir()
    for args in (["batch", str(survey), "-r", "湖南", "-y", "2026", "--out", str(folder)],
                 ["population", str(survey), "-r", "湖南", "-y", "2026", "--out", str(folder)]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "is not a regular file" in result.stderr
