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
    assert year_error.value.available == (2024, 2025, 2026)
    with pytest.raises(UnknownRegionError) as region_error:
        book.find("Bejing")
    assert "cn/beijing" in region_error.value.suggestions
    (tmp_path / "broken.toml").write_text("[region]\nname = 3\n", encoding="utf-8")
    bad = RateBook([tmp_path], use_env=False)
    with pytest.raises(RateFileError) as file_error:
        bad.region("broken")
    assert file_error.value.line == 2 and file_error.value.key == "region.name"
    assert isinstance(file_error.value, PremiumCalcError)
