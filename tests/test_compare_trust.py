"""A comparison a journalist can publish (issue 13): one denominator, marks kept, add-ons apart,
missing regions shown, every province accounted for, categories matched by meaning, a person or
household priced as ``calc`` prices it.

Values from the rate files: national rural income 2024 23,119 and 2025 24,456
(rates/stats/income.toml); Urumqi 2025 resident 440 including ltc 40, subsidy not set (the
national 670 stands in); Beijing 2026 elderly 460 with no subsidy of its own (the national 700
stands in; 2025: 4,350); Shanghai 2026 age_70plus 700; Hangzhou 2025 child 330 including ltc 30.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.category_types import category_type, types_of
from premium_calc.analyses.comparison import compare_all, compare_regions
from premium_calc.cli import app
from premium_calc.errors import OptionError
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook

D = Decimal
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


def test_add_ons_are_apart_from_the_medical_premium(book: RateBook) -> None:
    c = compare_regions(book, 2025, ["乌鲁木齐"])
    (urumqi,) = c.rows
    # 440 collected = 400 medical + 40 long-term care; 400 / 23119 = 0.017302 -> 0.0173
    assert (urumqi.premium, urumqi.collected, urumqi.components) == (D(400), D(440), {"ltc": D(40)})
    assert urumqi.burden_ratio == D("0.0173") and urumqi.vs_national_minimum == 0
    assert urumqi.subsidy == D(670) and urumqi.subsidy_at_least  # the national figure stands in
    assert urumqi.low_confidence and urumqi.national_fallback is False


def test_inherited_subsidy_keeps_its_at_least_mark(book: RateBook) -> None:
    beijing = compare_regions(book, 2026, ["北京"], category="elderly").rows[0]
    assert (beijing.category, beijing.premium, beijing.subsidy) == ("elderly", D(460), D(700))
    assert beijing.subsidy_at_least
    own_2025 = compare_regions(book, 2025, ["北京"], category="elderly").rows[0]
    assert (own_2025.subsidy, own_2025.subsidy_at_least) == (D(4350), False)
    code, out, _ = run("compare", "--year", "2026", "-r", "北京", "--category", "elderly", "--no-chart")
    assert code == 0 and "≥700" in out and "at least this" in out


def test_category_types_from_conditions(book: RateBook) -> None:
    cats = {c.id: types_of(c) for c in book.schedule("cn/shanghai", 2025).categories}
    assert cats == {
        "student_infant_college": ("children", "college"),
        "age_70plus": ("elderly",),
        "age_60_69": ("elderly",),
        "age_19_59": ("adult",),
    }
    assert category_type("儿童") == "children" and category_type("Elderly") == "elderly"
    assert category_type("student_child") is None
    c = compare_regions(book, 2025, ["北京", "上海", "杭州", "贵州"], category="children")
    by = {r.region: r for r in c.rows}
    assert by["cn/beijing"].category == "student_child" and by["cn/beijing"].premium == D(405)
    assert by["cn/shanghai"].category == "student_infant_college" and by["cn/shanghai"].premium == D(355)
    # Hangzhou's child 330 includes 30 of ltc: medical 300; 300 / 23119 = 0.012976 -> 0.0130
    assert (by["cn/zhejiang/hangzhou"].premium, by["cn/zhejiang/hangzhou"].burden_ratio) == (
        D(300),
        D("0.0130"),
    )
    # Guizhou has one category for everyone: a child pays it
    assert by["cn/guizhou"].category == "resident" and by["cn/guizhou"].category_types == ["all"]
    # ids still work
    assert compare_regions(book, 2025, ["北京"], category="student_child").rows[0].premium == D(405)


def test_a_reference_person_priced_as_calc(book: RateBook) -> None:
    c = compare_regions(book, 2026, ["北京", "上海", "乌鲁木齐"], household=build_household(["70"], None))
    assert c.household == ["70"] and c.income_basis == "national" and c.national_income == D(24456)
    by = {r.region: r for r in c.rows}
    # 700 / 24456 = 0.028623 -> 0.0286; 460 / 24456 = 0.018809 -> 0.0188
    assert (by["cn/shanghai"].category, by["cn/shanghai"].premium) == ("age_70plus", D(700))
    assert by["cn/shanghai"].burden_ratio == D("0.0286") and by["cn/beijing"].burden_ratio == D("0.0188")
    assert by["cn/xinjiang/urumqi"].status == "missing"  # no 2026 entry
    # a fact a region needs that the member lacks: a missing row with the reason
    beijing = compare_regions(book, 2025, ["北京"], household=build_household(["55"], None)).rows[0]
    assert beijing.premium is None and beijing.rank is None and beijing.premium_missing


def test_a_household_against_one_income(book: RateBook) -> None:
    hh = build_household(["45", "12:student"], None)
    c = compare_regions(book, 2025, ["北京", "乌鲁木齐"], household=hh)
    by = {r.region: r for r in c.rows}
    # Beijing 750 + 405 = 1155 against 23119 x 2 = 46238: 0.024979 -> 0.0250
    assert (by["cn/beijing"].premium, by["cn/beijing"].income, by["cn/beijing"].burden_ratio) == (
        D(1155),
        D(46238),
        D("0.0250"),
    )
    # Urumqi 2 x 440 = 880 collected, 80 of it ltc: 800 / 46238 = 0.017302 -> 0.0173
    assert (by["cn/xinjiang/urumqi"].premium, by["cn/xinjiang/urumqi"].collected) == (D(800), D(880))
    assert by["cn/xinjiang/urumqi"].components == {"ltc": D(80)}
    # with the household's own income that is the one denominator: 1155 / 20000 = 0.05775 -> 0.0578
    c = compare_regions(book, 2025, ["北京"], household=build_household(["45", "12:student"], "20000"))
    assert c.income_basis == "household" and c.rows[0].burden_ratio == D("0.0578")


def test_all_accounts_for_every_province(book: RateBook) -> None:
    c = compare_all(book, 2025)
    assert "cn" not in [r.region for r in c.rows]
    assert (c.provinces_total, c.provinces_with_data) == (31, 21)
    provinces = {m.region for m in c.without_data if m.level == "province"}
    assert provinces == {
        "cn/fujian",
        "cn/guangdong",
        "cn/hainan",
        "cn/heilongjiang",
        "cn/hubei",
        "cn/jiangsu",
        "cn/liaoning",
        "cn/shandong",
        "cn/xinjiang",
        "cn/zhejiang",
    }
    guangdong = next(m for m in c.without_data if m.region == "cn/guangdong")
    assert guangdong.cities_with_data == ["cn/guangdong/guangzhou", "cn/guangdong/shenzhen"]
    cities = compare_all(book, 2025, level="city")
    assert {r.level for r in cities.rows} == {"city"} and cities.provinces_total is None
    assert len(compare_all(book, 2025, level="province").rows) == 21


def test_own_income_only_where_every_region_has_one(book: RateBook) -> None:
    with pytest.raises(OptionError, match="use --income-stat q1"):
        compare_regions(book, 2025, ["北京", "上海"], statistic="own:q1")


def test_cli_marks_in_csv_json_and_chinese() -> None:
    code, out, _ = run("compare", "--year", "2025", "-r", "乌鲁木齐", "-r", "湖北", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    urumqi, hubei = rows
    assert (urumqi["amount"], urumqi["medical"], urumqi["components"]) == ("440", "400", "ltc=40")
    assert (urumqi["subsidy_at_least"], urumqi["low_confidence"], urumqi["amount_at_least"]) == (
        "True",
        "True",
        "False",
    )
    assert hubei["status"] == "missing" and "no rates for coverage year 2025" in hubei["missing"]
    code, out, _ = run("compare", "--year", "2025", "-r", "乌鲁木齐", "--json")
    row = json.loads(out)["rows"][0]
    assert (row["premium"], row["collected"], row["subsidy_at_least"]) == ("400", "440", True)
    code, out, _ = run("compare", "--year", "2025", "--all", "--lang", "zh", "--no-chart")
    assert code == 0
    assert "全国农村居民人均可支配收入对比（2024年：23,119元，每个地区都用这个数）" in out
    assert "31个省份中21个有 2025 年度数据，另外10个没有" in out
    assert "广东省（单独排名的城市：广州市、深圳市）" in out
    assert "cn/xinjiang/urumqi：共收440元，其中+40 长期护理保险；排名用的医保缴费为400元" in out
    code, out, _ = run(
        "compare", "--year", "2026", "-r", "北京", "-r", "上海", "--member", "70", "--lang", "zh"
    )
    assert code == 0 and "70周岁以上 (老年人)" in out and "≥700" in out
