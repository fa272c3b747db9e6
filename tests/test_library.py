"""The public library API: examples run, README shows them verbatim, threads, JSON Schemas."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

import premium_calc
from premium_calc import (
    Assessment,
    PremiumCalcError,
    RateBook,
    RateFileError,
    UnknownRegionError,
    YearNotCoveredError,
    assess,
    build_household,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_run(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(example), run_name="__main__")
    assert capsys.readouterr().out  # each example prints what it shows


def test_readme_shows_every_example_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    shown = set(blocks)
    for example in EXAMPLES:
        assert example.read_text(encoding="utf-8") in shown, f"README is missing {example.name}"


def test_public_api_is_curated() -> None:
    assert "RateBook" in premium_calc.__all__ and "assess" in premium_calc.__all__
    for name in premium_calc.__all__:
        assert getattr(premium_calc, name) is not None
    with pytest.raises(AttributeError):
        premium_calc.not_a_thing  # noqa: B018


#: The public face, frozen (httpx's test_exported_members): a change here is an API change.
PUBLIC = [
    "AmbiguousRegionError", "Assessment", "Burden", "DEFAULT_THRESHOLDS", "DataMissingError", "EditError",
    "Household",
    "HouseholdError", "HouseholdFile", "IncomeFigure", "IncomeStats", "Member", "MemberPremium",
    "MissingFactError", "NoDataInSpanError", "OptionError", "PlotError", "PlotUnavailableError",
    "PremiumCalcError", "PremiumResult", "RateBook", "RateFileError", "Schedule", "ScheduleAssist",
    "ScheduleCategory", "SourceRef", "StatisticNotFoundError", "ThresholdCheck",
    "UnknownCategoryError", "UnknownRegionError", "YearNotCoveredError", "__version__", "assess",
    "build_household", "calculate", "data_version", "household_json_schema", "load_household_file",
    "measure_burden", "parse_member", "rate_file_json_schema", "result_json_schema",
    # populations (issue 14)
    "BatchResult", "MemberTable", "Population", "PopulationResult", "PopulationSummary", "from_columns",
    "price_batch", "price_population", "run_population", "synthetic_population",
    # is it worth it (issue 16)
    "BenefitBook", "BenefitRules", "Stay", "WorthResult", "assess_worth", "parse_stay",
    # benefit files: their JSON Schema
    "benefit_file_json_schema",
    # history, comparison, income sweeps and their charts (issue 13)
    "ChartResult", "Comparison", "History", "HouseholdHistory", "SweepResult", "by_policy_year",
    "compare_all", "compare_regions", "household_series", "income_sweep", "plot_comparison",
    "plot_history", "plot_sweep", "premium_series",
    # reforms and scenarios (issue 15)
    "Reform", "ReformComparison", "ReformFileError", "ReformedBook", "assess_reform", "load_reform",
]


def test_public_names_are_frozen() -> None:
    assert sorted(premium_calc.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(premium_calc, name) is not None, name


def test_every_error_is_exported_with_a_stable_code() -> None:
    import inspect

    from premium_calc import errors

    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, Exception)]
    assert {c.__name__ for c in classes} == set(errors.__all__) <= set(premium_calc.__all__)
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes), "each error class has its own code"
    assert all(issubclass(c, premium_calc.PremiumCalcError) for c in classes)


def test_errors_carry_fields_a_note_and_a_text_in_either_language() -> None:
    err = premium_calc.YearNotCoveredError("cn/beijing", 2019, [2024, 2025, 2026])
    fields = (err.code, err.region, err.year, err.available)
    assert fields == ("year-not-covered", "cn/beijing", 2019, (2024, 2025, 2026))
    assert str(err) == "cn/beijing has no rates for coverage year 2019; years available: 2024, 2025, 2026"
    assert err.note.key == "error.year_not_covered" and err.text("en") == str(err)
    assert err.text("zh")  # Chinese where the catalog has it, English otherwise, never the key
    assert premium_calc.RateFileError("x.toml", "bad", line=3).rule == "schema"


def test_import_is_light() -> None:
    code = (
        "import sys, premium_calc;"
        " print('pydantic' in sys.modules, 'premium_calc.ratebook' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_results_are_immutable_and_serialise_with_cli_keys() -> None:
    book = RateBook(use_env=False)
    result = assess(book, "cn/hunan", 2026, build_household(["60:dibao", "35"], income=20000))
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        result.total_paid = Decimal(0)  # type: ignore[misc]
    data = result.model_dump(mode="json")
    assert data["total_paid"] == "600"  # 200 + 400
    assert data["burden_ratio"] == "0.0300"  # 600 / 20000
    assert {"region", "coverage_year", "tier", "members", "income", "sources"} <= set(data)
    assert Assessment.model_validate_json(json.dumps(data)) == result


def test_json_schemas() -> None:
    household = premium_calc.household_json_schema()
    assert "members" in household["properties"]
    result = premium_calc.result_json_schema()
    assert {"total_paid", "burden_ratio", "members"} <= set(result["properties"])
    rates = premium_calc.rate_file_json_schema()
    assert {"region", "year"} <= set(rates["properties"])
    assert rates["$schema"] == "http://json-schema.org/draft-07/schema#" and "definitions" in rates


def test_one_rate_file_schema_for_the_library_and_the_command() -> None:
    from typer.testing import CliRunner

    from premium_calc.cli import app

    printed = CliRunner().invoke(app, ["rates", "schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == premium_calc.rate_file_json_schema()


def test_rate_book_shared_between_threads() -> None:
    book = RateBook(use_env=False)
    jobs = [
        ("毕节", 2025, ["45", "42:female", "12:student", "70"], Decimal(1600)),  # 4 x 400
        ("cn/beijing", 2025, ["62:male", "10:student"], Decimal(835)),  # 430 + 405
        ("深圳", 2025, ["30", "10:student"], Decimal("999.81")),  # 538.36 + 461.45
        ("cn/sichuan/guangyuan", 2024, ["50:tekun", "48:dibao"], Decimal(95)),  # 0 + 95
    ] * 50

    def run(job: tuple[str, int, list[str], Decimal]) -> bool:
        region, year, members, expected = job
        return assess(book, region, year, build_household(members, income=50000)).total_paid == expected

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(run, jobs))


def test_error_hierarchy_carries_fields(tmp_path: Path) -> None:
    book = RateBook(use_env=False)
    with pytest.raises(YearNotCoveredError) as year_error:
        book.schedule("cn/beijing", 2019)
    assert year_error.value.available == (2022, 2024, 2025, 2026)
    with pytest.raises(UnknownRegionError) as region_error:
        book.find("Bejing")
    assert "cn/beijing" in region_error.value.suggestions
    (tmp_path / "broken.toml").write_text("[region]\nname = 3\n", encoding="utf-8")
    bad = RateBook([tmp_path], use_env=False)
    with pytest.raises(RateFileError) as file_error:
        bad.region("broken")
    assert file_error.value.line == 2 and file_error.value.key == "region.name"
    assert isinstance(file_error.value, PremiumCalcError)
