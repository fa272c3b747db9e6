"""Regions side by side: premium per person, subsidy, burden against one stated income.

Coverage year 2025 is measured against income year 2024. By default every region is divided by
the national rural per-capita disposable income, 23,119 (rates/stats/income.toml), which is
also the reference line; with ``own`` each by its province's own figure of 2024 or 2023
(rates/stats/provinces.toml: Beijing 2023 37,358, Shanghai 42,988, Tibet 19,924). Amounts from
the rate files: Beijing working-age 750 (subsidy 2,335), elderly 430; Shanghai age 19-59 995;
Tibet resident 220; the national minimum 400 (subsidy 670).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.comparison import compare_regions, regions_with_year
from premium_calc.cli import app
from premium_calc.errors import StatisticNotFoundError, UnknownCategoryError
from premium_calc.ratebook.book import RateBook

D = Decimal
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "140"})
    return result.exit_code, result.stdout, result.stderr


def test_ranked_by_burden_with_the_national_minimum(book: RateBook) -> None:
    c = compare_regions(book, 2025, ["北京", "cn/shanghai", "Tibet"])
    assert c.income_basis == "national"
    assert [r.region for r in c.rows] == ["cn/shanghai", "cn/beijing", "cn/xizang"]
    assert [r.rank for r in c.rows] == [1, 2, 3]
    shanghai, beijing, tibet = c.rows
    # one denominator, the national rural income of 2024: 995 / 23119 = 0.043038 -> 0.0430;
    # 750 / 23119 = 0.032441 -> 0.0324; 220 / 23119 = 0.009516 -> 0.0095
    assert [r.burden_ratio for r in c.rows] == [D("0.0430"), D("0.0324"), D("0.0095")]
    assert all(r.income == D(23119) and r.income_year == 2024 and r.income_region == "cn" for r in c.rows)
    # each against its own rural income of 2023 (no 2024 provincial figure; one year old is
    # allowed): 995 / 42988 = 0.023146 -> 0.0231; 750 / 37358 = 0.020076 -> 0.0201;
    # 220 / 19924 = 0.011042 -> 0.0110
    own = compare_regions(book, 2025, ["北京", "cn/shanghai", "Tibet"], statistic="own")
    assert own.income_basis == "own"
    assert [r.burden_ratio for r in own.rows] == [D("0.0231"), D("0.0201"), D("0.0110")]
    assert [r.income for r in own.rows] == [D(42988), D(37358), D(19924)]
    assert all(r.income_year == 2023 and r.income_region == r.region for r in own.rows)
    assert (beijing.premium, beijing.subsidy, beijing.category) == (D(750), D(2335), "working_age")
    # against the national minimum 400: +595, +350, -180
    assert [r.vs_national_minimum for r in c.rows] == [D(595), D(350), D(-180)]
    # reference line: 400 / 23119 = 0.017302 -> 0.0173, subsidy 670
    assert (c.national_minimum, c.national_subsidy) == (D(400), D(670))
    assert (c.national_income, c.national_income_year) == (D(23119), 2024)
    assert c.national_burden_ratio == D("0.0173")
    # every category of a region is listed, the ranked one flagged
    cats = {cat.id: cat for cat in beijing.categories}
    assert cats["elderly"].amount == D(430) and not cats["elderly"].reference
    assert cats["working_age"].reference
    # 405 / 23119 = 0.017518 -> 0.0175
    assert cats["student_child"].burden_ratio == D("0.0175")
    assert shanghai.category == "age_19_59"
    assert tibet.premium == D(220)


def test_ties_share_a_rank_and_missing_amounts_are_unranked(book: RateBook) -> None:
    regions = ["cn/hunan", "cn/henan", "cn/beijing", "cn/zhejiang/hangzhou"]
    # The national rural median (2024: 19605) for every region (medians are national only):
    # Beijing first; Hunan and Henan both 400 / 19605: the same rank (competition ranking)
    c = compare_regions(book, 2025, regions, statistic="rural_median")
    ranks = {r.region: r.rank for r in c.rows}
    assert ranks == {
        "cn/beijing": 1,
        "cn/henan": 2,
        "cn/hunan": 2,
        "cn/zhejiang/hangzhou": None,
    }
    assert all(r.income == D(19605) and r.income_region == "cn" for r in c.rows)
    hangzhou = c.rows[-1]
    assert hangzhou.premium is None and hangzhou.premium_missing
    # With their own rural means each has its own province's figure: Henan 400 / 20053 =
    # 0.0199, Hunan 400 / 20921 = 0.0191 (2023); Hangzhou's income: Zhejiang's 2024 42786
    # (IncomeStats.for_region)
    c = compare_regions(book, 2025, regions, statistic="own")
    by_region = {r.region: r for r in c.rows}
    assert (by_region["cn/henan"].burden_ratio, by_region["cn/hunan"].burden_ratio) == (
        D("0.0199"),
        D("0.0191"),
    )
    assert [by_region[r].rank for r in regions] == [3, 2, 1, None]
    hangzhou = by_region["cn/zhejiang/hangzhou"]
    assert hangzhou.income_region == "cn/zhejiang" and hangzhou.income == D(42786)
    assert any("that of cn/zhejiang is used" in n for n in hangzhou.notes)


def test_named_category_and_statistic(book: RateBook) -> None:
    c = compare_regions(book, 2025, ["cn/beijing", "cn/shanghai"], category="elderly", statistic="q1")
    beijing = next(r for r in c.rows if r.region == "cn/beijing")
    # Beijing elderly 430; q1 of 2024 is a gap, for_region takes 2023: 9215;
    # 430 / 9215 = 0.046663 -> 0.0467
    assert (beijing.premium, beijing.income, beijing.income_year) == (D(430), D(9215), 2023)
    assert beijing.burden_ratio == D("0.0467")
    # `elderly` is a category type: Shanghai's elderly bands (min_age 60 and 70) match it, the
    # band the type starts in ranked: age_60_69 825; 825 / 9215 = 0.089528 -> 0.0895
    shanghai = next(r for r in c.rows if r.region == "cn/shanghai")
    assert (shanghai.category, shanghai.premium, shanghai.burden_ratio) == ("age_60_69", D(825), D("0.0895"))
    assert shanghai.other_categories == ["age_70plus"]
    # an id that no region has is still an error
    with pytest.raises(UnknownCategoryError, match="children, college, adult, elderly"):
        compare_regions(book, 2025, ["cn/shanghai"], category="working_class")


def test_all_regions_and_progress(book: RateBook) -> None:
    regions = regions_with_year(book, 2025)
    assert "cn" in regions and "cn/beijing" in regions and "cn/hubei" not in regions
    seen: list[str] = []
    c = compare_regions(book, 2025, regions, progress=seen.append)
    assert seen == regions
    assert len(c.rows) == len(regions)
    assert all(r.status == "priced" for r in c.rows)


def test_errors(book: RateBook) -> None:
    # a region without an entry for the year is a missing row, not an abort
    (hubei,) = compare_regions(book, 2025, ["cn/hubei"]).rows
    assert hubei.status == "missing" and hubei.rank is None and hubei.premium is None
    assert hubei.premium_missing is not None and "years available: 2026" in hubei.premium_missing
    with pytest.raises(StatisticNotFoundError, match="expected one of rural"):
        compare_regions(book, 2025, ["cn"], statistic="mode")


def test_cli_compare_table() -> None:
    code, out, _ = run("compare", "--year", "2025", "-r", "北京", "-r", "上海", "-r", "cn/xizang")
    assert code == 0
    assert "Coverage year 2025" in out
    assert "national minimum (cn)" in out
    assert "23,119 (the same for every region)" in out
    assert "4.30%" in out and "3.24%" in out and "1.73%" in out and "0.95%" in out
    assert "+595" in out and "-180" in out
    assert "*working_age 750" in out
    assert "┊" in out  # the reference marker in the terminal chart


def test_cli_compare_all_json_and_csv() -> None:
    code, out, err = run("compare", "--year", "2025", "--all", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["national_minimum"] == "400" and data["national_burden_ratio"] == "0.0173"
    assert data["rows"][0]["rank"] == 1
    assert "\r" not in out and "error" not in err
    code, out, _ = run("compare", "--year", "2025", "-r", "cn/beijing", "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("rank,region,name_zh,name_en,level,category,reference,amount")
    assert lines[3].startswith("1,cn/beijing,北京市,Beijing,province,working_age,True,750,,2335,400,350,")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--year", "1999", "--all"], "--year: no region has rates for coverage year 1999"),
        (["--year", "2025"], "no regions: give --region"),
        (["--year", "2025", "--all", "-r", "cn"], "give --region or --all, not both"),
        (["--year", "2025", "-r", "cn", "--level", "city"], "--level goes with --all"),
        (["--year", "2025", "--all", "--level", "town"], "unknown level 'town'"),
        (["--year", "2025", "--all", "--income-stat", "own:q1"], "cannot rank by each region's own"),
        (["--year", "2025", "-r", "cn", "--income-stat", "q7"], "unknown income statistic 'q7'"),
        (["--year", "2025", "-r", "cn", "--plot", "c.jpg"], "unsupported chart format '.jpg'"),
    ],
)
def test_cli_compare_errors(args: list[str], expected: str) -> None:
    code, out, err = run("compare", *args)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and expected in err
    assert err.count("\n") == 1
