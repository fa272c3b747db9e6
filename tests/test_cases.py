"""Households worked out by hand from the rate files' sources, as data: ``tests/cases/**/*.toml``.

One file per region (``tests/cases/cn/hebei/shijiazhuang.toml`` holds cases resolving to
``cn/hebei/shijiazhuang``), each an array ``[[case]]``. Inputs are ``price()``'s arguments; every
other key is an expectation: a field of the assessment (``total_paid``, ``confidence``, ...;
``applied_tier`` for its ``tier``; a dotted path such as ``"place.code"``), or of its
members (``paid``, ``assistance``, ``components``,
...) as a list (all members) or a table by member index (``{ 0 = "360" }``, those members only);
or ``error`` (an exception name in ``premium_calc``) with ``error_fields`` / ``error_contains``.
Money is a Decimal string. ``source`` cites the rate file and the reference row (P =
../shared/reference/rates/regional_provinces.csv, R = regional.csv, by line number).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import premium_calc
from premium_calc import RateBook, build_household, calculate
from premium_calc.cli import app

from .conftest import price

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CASES_DIR = Path(__file__).parent / "cases"
#: Tests with assertions in the hand-written tests/test_provinces.py these cases replaced.
OLD_ASSERTING_TESTS = 47
INPUTS = {"name", "region", "year", "members", "income", "tier", "late", "statistic"}
META = {"arithmetic", "source"}
ERROR_KEYS = {"error", "error_fields", "error_contains"}
RENAMED = {"applied_tier": "tier"}


def _load() -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(CASES_DIR.rglob("*.toml")):
        region = path.relative_to(CASES_DIR).with_suffix("").as_posix()
        out += [(region, case["name"], case) for case in tomllib.loads(path.read_text("utf-8"))["case"]]
    return out


CASES = _load()


def _want(expected: Any, actual: Any) -> Any:
    """``expected`` (TOML) in the type of ``actual``: Decimal strings, nested tables, lists."""
    if isinstance(actual, Decimal):
        if isinstance(expected, (float, bool)) or not isinstance(expected, (str, int)):
            raise TypeError(f"write money as a Decimal string, not {expected!r}")
        return Decimal(expected)
    if isinstance(actual, dict) and isinstance(expected, dict):
        return {k: _want(v, actual.get(k)) for k, v in expected.items()}
    if isinstance(actual, (list, tuple)) and isinstance(expected, list):
        return type(actual)(_want(e, actual[i] if i < len(actual) else None) for i, e in enumerate(expected))
    return expected


@pytest.mark.parametrize(
    ("region", "case"), [(r, c) for r, _, c in CASES], ids=[f"{r}:{n}" for r, n, _ in CASES]
)
def test_case(book: RateBook, region: str, case: dict[str, Any]) -> None:
    expect = {k: v for k, v in case.items() if k not in INPUTS | META}
    assert expect, "a case with no expectations"
    inputs = {k: case[k] for k in ("income", "tier", "late", "statistic") if k in case}
    if "error" in expect:
        assert set(expect) <= ERROR_KEYS, f"an error case expects only {sorted(ERROR_KEYS)}"
        error = getattr(premium_calc, expect["error"])
        with pytest.raises(error) as info:
            price(book, case["region"], case["year"], *case["members"], **inputs)
        for field, value in expect.get("error_fields", {}).items():
            assert getattr(info.value, field) == _want(value, getattr(info.value, field)), field
        for text in expect.get("error_contains", []):
            assert text in str(info.value)
        return
    result = price(book, case["region"], case["year"], *case["members"], **inputs)
    assert result.region == region, "the case is in the file of another region"
    members = result.members
    for key, value in expect.items():
        field = RENAMED.get(key, key)
        if key in ERROR_KEYS:
            pytest.fail(f"{key} without error")
        elif "." in field:
            # A dotted path into the result: "burden.statistic.region", "place.code".
            target: Any = result
            for part in field.split("."):
                target = getattr(target, part)
            assert target == _want(value, target), key
        elif field in type(result).model_fields:
            assert getattr(result, field) == _want(value, getattr(result, field)), key
        elif members and field in type(members[0]).model_fields:
            actual: list[Any] | dict[str, Any] = (
                [getattr(m, field) for m in members]
                if isinstance(value, list)
                else {i: getattr(members[int(i)], field) for i in value}
            )
            assert actual == _want(value, actual), key
        else:
            pytest.fail(f"unknown expectation key {key!r} in case {case['name']!r}")


def test_every_case_is_documented_and_none_was_lost() -> None:
    for region, name, case in CASES:
        for key in ("region", "year", "members", *META):
            assert case.get(key), f"{region}:{name} has no {key}"
    ids = [f"{r}:{n}" for r, n, _ in CASES]
    assert len(set(ids)) == len(ids), "duplicate case names in a file"
    assert len(CASES) >= OLD_ASSERTING_TESTS


# Not pricing cases: the CLI, calculate() on a schedule, and the rate book as a whole.


def test_hainan_cli_answers_from_the_national_minimum() -> None:
    # No Hainan notice for 2025: the national minimum of 400 stands in, marked "at least".
    result = CliRunner().invoke(app, ["calc", "-r", "海南", "-y", "2025", "-m", "45", "--income", "20000"])
    assert result.exit_code == 0, result.stderr
    assert "pays at least 400 yuan" in result.stdout
    assert "no notice of Hainan for coverage year 2025 in the data" in result.stdout
    assert "≥400" in result.stdout
    zh = CliRunner().invoke(
        app, ["calc", "-r", "海南", "-y", "2025", "-m", "45", "--income", "20000", "--lang", "zh"]
    )
    assert "按全国最低标准" in zh.stdout and "数据里没有海南省2025年度的缴费通知" in zh.stdout


def test_no_level_has_the_year_is_an_error() -> None:
    result = CliRunner().invoke(app, ["calc", "-r", "海南", "-y", "2003", "-m", "45"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cn/hainan has no rates for coverage year 2003;")
    assert "Traceback" not in result.output


def test_calculate_on_a_schedule_matches_assess(book: RateBook) -> None:
    # The household-independent schedule priced directly: Hunan 2026, 2 x 400 = 800.
    result = calculate(book.schedule("cn/hunan", 2026), build_household(["45", "12:student"]))
    assert result.total_paid == Decimal(800)
    assert result.collection_start is not None and result.collection_start.isoformat() == "2025-09-01"


def test_thirty_of_thirty_one_provinces_have_rates(book: RateBook) -> None:
    # Every province-level file has a year in itself or in a city under it, except Hainan.
    provinces = [r for r in book.region_ids() if book.region(r).data.region.level == "province"]
    from premium_calc.gazetteer import Gazetteer

    # One file per province-level division the insurance covers (31: not 台湾, 香港, 澳门).
    assert len(provinces) == len([p for p in Gazetteer.load().level("province") if p.covered])
    without = [
        p
        for p in provinces
        if not any(book.years(r) for r in book.region_ids() if r == p or r.startswith(p + "/"))
    ]
    assert without == ["cn/hainan"]
