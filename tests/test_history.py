"""Historical series: indices, multiples and CAGR worked by hand, the 2013 break, presets.

Numbers come from rates/cn.toml (national minimum individual contribution by coverage year:
2004-2008 10, 2009-2010 20, 2011 30, 2012 50, 2013 60, 2014 70, 2015 90, 2016 120, 2017 150,
2018 180, 2019 220, 2020 250, 2021 280, 2022 320, 2023 350, 2024 380, 2025 400, 2026 400,
2027 missing) and rates/stats/income.toml (rural per-capita income by income year: net 2003
2622.2, 2004 gap, 2005 3255, 2006 3587, 2007 4140 (low), 2008 gap, 2009 5153, 2010 5919,
2011 6977, 2012 7917, 2013 8896; disposable 2014 10489, 2015 11422, ..., 2024 23119, 2025
24456; all-resident lowest quintile q1: 2015 5221, ..., 2019 7380, 2023 9215, 2024 gap,
2025 10150). Coverage year Y is measured against income year Y-1.

CAGR = (last / first) ** (1 / years) - 1, worked with logarithms in the comments:
x ** (1/n) = e ** (ln x / n); rounded half-up to 4 decimals.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from premium_calc.analyses.growth import cagr
from premium_calc.analyses.history import household_series, premium_series, segment_indices
from premium_calc.analyses.series import History
from premium_calc.cli import app
from premium_calc.errors import (
    NoDataInSpanError,
    PremiumCalcError,
    StatisticNotFoundError,
    UnknownCategoryError,
)
from premium_calc.household.parsing import build_household
from premium_calc.presets import PRESETS, get_preset, load_preset
from premium_calc.ratebook.book import RateBook

D = Decimal
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "140"})
    return result.exit_code, result.stdout, result.stderr


def row(history: History, year: int):  # type: ignore[no-untyped-def]
    return next(r for r in history.rows if r.coverage_year == year)


# --- CAGR arithmetic ----------------------------------------------------------------------


def test_cagr_function_by_hand() -> None:
    # 400 / 90 = 4.4444; ln 4.4444 = 1.491655; / 10 = 0.1491655; e^0.1491655 = 1.160865
    assert cagr(D(90), D(400), 10) == D("0.1609")
    # 40 ** (1/22): ln 40 = 3.688879; / 22 = 0.1676763; e^0.1676763 = 1.182554
    assert cagr(D(10), D(400), 22) == D("0.1826")
    # one year: 90 / 70 - 1 = 0.285714...
    assert cagr(D(70), D(90), 1) == D("0.2857")
    assert cagr(D(100), D(100), 5) == D("0.0000")
    assert cagr(D(0), D(100), 5) is None  # no growth rate from zero
    assert cagr(D(100), D(200), 0) is None  # no span


# --- span 1: national, rural, coverage 2015-2025 (one measure: disposable) ------------------


def test_span_2015_2025_disposable(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2015, end=2025)
    s = h.summary
    assert [r.coverage_year for r in h.rows] == list(range(2015, 2026))
    assert not s.series_break and len(s.segments) == 1
    # premium 90 (2015) -> 400 (2025): 400 / 90 = 4.44444 -> 4.4444
    assert (s.premium_first, s.premium_last) == (D(90), D(400))
    assert s.premium_multiple == D("4.4444")
    # (400/90)^(1/10): ln 4.44444 = 1.491655, / 10 = 0.149165, e^ = 1.160865 -> 0.1609
    assert s.premium_cagr == D("0.1609")
    # income: rural disposable 10489 (2014) -> 23119 (2024): 23119 / 10489 = 2.204119 -> 2.2041
    assert (s.income_first, s.income_last) == (D(10489), D(23119))
    assert s.income_multiple == D("2.2041")
    # ln 2.204119 = 0.790328, / 10 = 0.0790328, e^ = 1.082240 -> 0.0822
    assert s.income_cagr == D("0.0822")
    # gap = (0.1609 - 0.0822) x 100 = 7.87 percentage points a year
    assert s.gap_pp_per_year == D("7.87")
    assert (s.compare_first_year, s.compare_last_year) == (2015, 2025)
    last = row(h, 2025)
    # indices: 400 / 90 x 100 = 444.444 -> 444.44; 23119 / 10489 x 100 = 220.4119 -> 220.41
    assert (last.premium_index, last.income_index) == (D("444.44"), D("220.41"))
    # burden: 400 / 23119 = 0.0173018 -> 0.0173
    assert last.burden_ratio == D("0.0173")
    assert (last.income_year, last.income_measure) == (2024, "disposable")
    # year on year: 400 / 380 - 1 = 0.052632 -> 0.0526; 23119 / 21691 - 1 = 0.065834 -> 0.0658
    assert (last.yoy_premium, last.yoy_income) == (D("0.0526"), D("0.0658"))
    # heaviest year: 2024, 380 / 21691 = 0.017519 -> 0.0175 (2025: 0.0173)
    assert (s.peak_burden_year, s.peak_burden_ratio) == (2024, D("0.0175"))


# --- span 2: national, rural, coverage 2004-2014 (one measure: net; two income gaps) --------


def test_span_2004_2014_net_with_gaps(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2004, end=2014)
    s = h.summary
    assert not s.series_break
    assert {r.income_measure for r in h.rows if r.income is not None} == {"net"}
    # income years 2004 and 2008 are gaps: coverage 2005 and 2009 show them as missing
    assert s.missing_income_years == [2005, 2009]
    assert row(h, 2005).income is None and row(h, 2005).income_missing
    assert row(h, 2005).burden_ratio is None and row(h, 2005).income_index is None
    # premium 10 -> 70: x7; 7^(1/10): ln 7 = 1.945910, / 10 = 0.194591, e^ = 1.214814 -> 0.2148
    assert (s.premium_multiple, s.premium_cagr) == (D("7.0000"), D("0.2148"))
    # income 2622.2 -> 8896: 8896 / 2622.2 = 3.392571 -> 3.3926;
    # ln 3.392571 = 1.221588, / 10 = 0.1221588, e^ = 1.129934 -> 0.1299
    assert (s.income_multiple, s.income_cagr) == (D("3.3926"), D("0.1299"))
    # gap (0.2148 - 0.1299) x 100 = 8.49 pp a year
    assert s.gap_pp_per_year == D("8.49")
    end = row(h, 2014)
    # 70 / 10 x 100 = 700.00; 8896 / 2622.2 x 100 = 339.2571 -> 339.26
    assert (end.premium_index, end.income_index) == (D("700.00"), D("339.26"))
    # no year-on-year income change next to a missing year (2009 -> 2010: 2009 missing)
    assert row(h, 2010).yoy_income is None
    # 2006 -> 2007: 3587 / 3255 - 1 = 0.101997 -> 0.1020
    assert row(h, 2007).yoy_income == D("0.1020")
    # income year 2007 (4140) is low confidence: coverage 2008 is marked
    assert row(h, 2008).low_confidence and 2008 in s.low_confidence_years


# --- span 3: national, q1, coverage 2016-2024 ----------------------------------------------


def test_span_2016_2024_lowest_quintile(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2016, end=2024, statistic="q1")
    s = h.summary
    assert h.income_region == "cn" and not s.series_break
    # premium 120 -> 380: 3.166667 -> 3.1667; ln 3.166667 = 1.152680, / 8 = 0.144085,
    # e^ = 1.154982 -> 0.1550
    assert (s.premium_multiple, s.premium_cagr) == (D("3.1667"), D("0.1550"))
    # q1 5221 (2015) -> 9215 (2023): 1.764988 -> 1.7650; ln = 0.568144, / 8 = 0.0710180,
    # e^ = 1.073600 -> 0.0736
    assert (s.income_multiple, s.income_cagr) == (D("1.7650"), D("0.0736"))
    # gap (0.1550 - 0.0736) x 100 = 8.14 pp a year
    assert s.gap_pp_per_year == D("8.14")
    end = row(h, 2024)
    # 380 / 120 x 100 = 316.667 -> 316.67; 9215 / 5221 x 100 = 176.4988 -> 176.50
    assert (end.premium_index, end.income_index) == (D("316.67"), D("176.50"))
    # 380 / 9215 = 0.041237 -> 0.0412
    assert end.burden_ratio == D("0.0412")
    assert any("20% of households" in n for n in h.notes)


# --- the whole national span: the 2013 break and the missing 2027 amount --------------------


def test_whole_span_splits_at_the_measure_change(book: RateBook) -> None:
    h = premium_series(book, "cn")
    s = h.summary
    assert (h.start, h.end) == (2004, 2027)
    # premium 10 (2004) -> 400 (2026): x40; CAGR over 22 years 0.1826 (see above)
    assert (s.premium_first_year, s.premium_last_year) == (2004, 2026)
    assert (s.premium_multiple, s.premium_cagr) == (D("40.0000"), D("0.1826"))
    # no income growth across the change from net to disposable income
    assert s.series_break
    assert s.income_multiple is None and s.income_cagr is None and s.gap_pp_per_year is None
    [brk] = s.breaks
    # income year 2013 has rural net (8896) only; 2014 has both: disposable 10489 is used
    assert (brk.coverage_year, brk.income_year) == (2015, 2014)
    assert (brk.from_measure, brk.to_measure) == ("net", "disposable")
    assert (brk.overlap_from_value, brk.overlap_to_value) == (D(9892), D(10489))
    first, second = s.segments
    assert (first.first_year, first.last_year, first.income_measure) == (2004, 2014, "net")
    assert (second.first_year, second.last_year, second.income_measure) == (2015, 2026, "disposable")
    # segment 2, 2015 -> 2026: premium 90 -> 400 over 11 years: 4.4444;
    # ln 4.44444 / 11 = 0.135605, e^ = 1.145222 -> 0.1452; income 10489 -> 24456: 2.331585 -> 2.3316,
    # ln 2.331585 / 11 = 0.076977, e^ = 1.080017 -> 0.0800; gap (0.1452 - 0.0800) x 100 = 6.52
    assert (second.premium_multiple, second.premium_cagr) == (D("4.4444"), D("0.1452"))
    assert (second.income_multiple, second.income_cagr) == (D("2.3316"), D("0.0800"))
    assert second.gap_pp_per_year == D("6.52")
    # the income index restarts at 100 in 2015 and no year-on-year change crosses the break
    r2015 = row(h, 2015)
    assert (r2015.income_index, r2015.yoy_income, r2015.segment) == (D("100.00"), None, 1)
    # the premium index runs on: 90 / 10 x 100 = 900.00
    assert r2015.premium_index == D("900.00")
    # 2027: the amount is `missing` in cn.toml: shown as a row, with the reason
    r2027 = row(h, 2027)
    assert r2027.premium is None and "No 2026 national individual standard" in (r2027.premium_missing or "")
    assert r2027.subsidy == D(724)
    assert s.missing_premium_years == [2027]
    assert any("NCMS" in n for n in h.notes)


def test_segment_indices_rebase_both_series(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2013, end=2016)
    (seg1, pts1), (seg2, pts2) = segment_indices(h)
    assert (seg1.compare_first_year, seg2.compare_first_year) == (2013, 2015)
    # segment 1 base 2013: premium 70 / 60 x 100 = 116.67; income 8896 / 7917 x 100 = 112.37
    assert (pts1[-1].premium_index, pts1[-1].income_index) == (D("116.67"), D("112.37"))
    # segment 2 base 2015: premium 120 / 90 x 100 = 133.33; income 11422 / 10489 x 100 = 108.90
    assert (pts2[-1].premium_index, pts2[-1].income_index) == (D("133.33"), D("108.90"))


def test_region_years_category_changes_and_gaps(book: RateBook) -> None:
    h = premium_series(book, "cn/shanghai")
    # Shanghai's own coverage years only; the years between are listed, not invented
    assert [r.coverage_year for r in h.rows] == [2008, 2018, 2019, 2022, 2023, 2024, 2025, 2026]
    assert h.summary.uncovered_years == [*range(2009, 2018), 2020, 2021]
    # the reference adult (40) falls in `adult` in 2008 and `age_19_59` later (match_category)
    assert row(h, 2008).category == "adult" and row(h, 2008).premium == D(480)
    assert row(h, 2026).category == "age_19_59" and row(h, 2026).premium == D(1040)
    # low-confidence amounts (2018, 2019, 2022) are marked
    assert {2018, 2019, 2022} <= set(h.summary.low_confidence_years)
    # no year-on-year change across a gap in the coverage years (2019 -> 2022)
    assert row(h, 2022).yoy_premium is None
    # 2023 -> 2024: 935 / 885 - 1 = 0.056497 -> 0.0565
    assert row(h, 2024).yoy_premium == D("0.0565")


def test_named_category_and_income_region(book: RateBook) -> None:
    h = premium_series(book, "cn/beijing", category="elderly", statistic="all")
    # 340 (2022, low confidence), no 2023 entry, then 400, 430, 460
    assert [(r.coverage_year, r.premium) for r in h.rows] == [
        (2022, D(340)), (2024, D(400)), (2025, D(430)), (2026, D(460))
    ]  # fmt: skip
    assert h.summary.uncovered_years == [2023]
    assert h.summary.low_confidence_years == [2022]
    # Beijing has its own all-resident income for 2021-2025 (provinces.toml)
    assert h.income_region == "cn/beijing"
    h = premium_series(book, "cn/beijing", statistic="all")
    # working age against the previous year's income:
    # 580 / 75002 = 0.007733 -> 0.0077; 695 / 81752 = 0.008501 -> 0.0085;
    # 750 / 85415 = 0.008781 -> 0.0088; 795 / 89090 = 0.008924 -> 0.0089
    assert [r.burden_ratio for r in h.rows] == [D("0.0077"), D("0.0085"), D("0.0088"), D("0.0089")]
    s = h.summary
    # income 75002 -> 89090 over 4 years: 1.187835 -> 1.1878; 4th root = 1.043972 -> 0.0440
    # premium 580 -> 795: 1.370690 -> 1.3707; 4th root = 1.082019 -> 0.0820; gap 3.80 pp
    assert (s.income_multiple, s.income_cagr) == (D("1.1878"), D("0.0440"))
    assert (s.premium_multiple, s.premium_cagr) == (D("1.3707"), D("0.0820"))
    assert s.gap_pp_per_year == D("3.80")
    national = premium_series(book, "cn/beijing", statistic="all", income_region="cn")
    # 750 / 41314 (national all-resident 2024) = 0.018154 -> 0.0182
    assert row(national, 2025).burden_ratio == D("0.0182")
    with pytest.raises(UnknownCategoryError, match="expected one of elderly, student_child"):
        premium_series(book, "cn/beijing", category="farmer")


def test_errors_are_one_line(book: RateBook) -> None:
    for call in (
        lambda: premium_series(book, "cn", start=1990, end=1995),
        lambda: premium_series(book, "cn", start=2020, end=2010),
        lambda: premium_series(book, "cn/guangdong"),
        lambda: premium_series(book, "cn", statistic="mode"),
        lambda: premium_series(book, "cn", statistic="rural-q1"),
    ):
        with pytest.raises(PremiumCalcError) as info:
            call()
        assert "\n" not in str(info.value)
    with pytest.raises(NoDataInSpanError, match="years available: 2004, 2005"):
        premium_series(book, "cn", start=1990, end=1995)
    with pytest.raises(StatisticNotFoundError, match="rural disposable-income quintiles are not"):
        premium_series(book, "cn", statistic="rural_q1")


def test_library_prints_nothing(book: RateBook, capsys: pytest.CaptureFixture[str]) -> None:
    premium_series(book, "cn")
    household_series(book, "cn", build_household(["50"], 3500))
    assert capsys.readouterr() == ("", "")


# --- households and presets ----------------------------------------------------------------


def test_presets_are_documented_and_load() -> None:
    assert set(PRESETS) == {"rural-family-q1", "farmer-3500", "1000-a-month"}
    for name in PRESETS:
        spec = load_preset(name)
        assert spec.description and spec.source
    assert load_preset("farmer_3500").income == D(3500)
    assert load_preset("1000-a-month").income == D(12000)  # 1,000 x 12
    family = load_preset("rural-family-q1")
    assert family.income is None and len(family.members) == 4
    assert get_preset("rural-family-q1").statistic == "q1"


def test_preset_farmer_3500(book: RateBook) -> None:
    spec = load_preset("farmer-3500")
    h = household_series(book, "cn", spec.household())
    # 10 / 3500 = 0.002857 -> 0.0029
    assert row(h, 2004).burden_ratio == D("0.0029")
    # 400 / 3500 = 0.114286 -> 0.1143 (2025 and 2026)
    assert row(h, 2025).burden_ratio == D("0.1143")
    # 350 / 3500 = 0.1 exactly in 2023
    assert row(h, 2023).burden_ratio == D("0.1000")
    assert (h.summary.peak_burden_year, h.summary.peak_burden_ratio) == (2025, D("0.1143"))
    # a fixed income: no growth, and no statistic
    assert h.income_basis == "household" and h.summary.income_multiple == D("1.0000")
    assert h.summary.income_cagr == D("0.0000") and not h.summary.series_break
    assert row(h, 2027).premium is None  # the missing 2027 amount stays missing


def test_preset_1000_a_month(book: RateBook) -> None:
    h = household_series(book, "cn", load_preset("1000-a-month").household(), start=2021)
    # 280 / 12000 = 0.023333 -> 0.0233 (coverage 2021, paid in 2020, the year of the statement)
    assert row(h, 2021).burden_ratio == D("0.0233")
    # 400 / 12000 = 0.033333 -> 0.0333
    assert row(h, 2025).burden_ratio == D("0.0333")


def test_preset_rural_family_q1(book: RateBook) -> None:
    spec = load_preset("rural-family-q1")
    h = household_series(book, "cn", spec.household(), statistic="q1")
    r2024 = row(h, 2024)
    # 4 residents x 380 = 1520; income 4 x 9215 (q1 2023) = 36860; 1520 / 36860 = 0.041237 -> 0.0412
    assert (r2024.premium, r2024.income, r2024.income_per_capita) == (D(1520), D(36860), D(9215))
    assert r2024.burden_ratio == D("0.0412")
    # 2020: 4 x 250 = 1000; 4 x 7380 (q1 2019) = 29520; 1000 / 29520 = 0.033875 -> 0.0339
    assert row(h, 2020).burden_ratio == D("0.0339")
    # q1 2024 is a gap: coverage 2025 has no income, never interpolated
    assert row(h, 2025).income is None and 2025 in h.summary.missing_income_years
    # 2026: 1600 / (4 x 10150 = 40600) = 0.039409 -> 0.0394
    assert row(h, 2026).burden_ratio == D("0.0394")
    # before 2016 there is no q1: shown as missing
    assert row(h, 2015).income is None
    # Beijing 2025: two working-age adults 750 + 750, two pupils 405 + 405 = 2310
    bj = household_series(book, "cn/beijing", spec.household(), statistic="q1", start=2025, end=2025)
    assert row(bj, 2025).premium == D(2310)


# --- CLI ----------------------------------------------------------------------------------


def test_cli_history_table() -> None:
    code, out, _ = run("history", "--region", "cn")
    assert code == 0
    assert "China (national minimum) (cn) 2004-2027" in out
    assert "2015‖" in out  # the first row after the measure change is marked
    assert "income measure changes" in out
    assert "missing" in out  # 2027 amount, 2005 / 2009 income
    assert "†" in out  # low-confidence income of 2007
    assert "x40" in out and "18.26%" in out
    assert "+8.49" in out and "+6.52" in out  # the gap per segment
    assert "premium as a share of income" in out  # the terminal chart


def test_cli_history_narrow_terminal_leaves_out_yoy() -> None:
    result = runner.invoke(app, ["history", "--from", "2024"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "year-on-year columns left out" in result.stdout
    assert "y/y" not in result.stdout


def test_cli_history_chinese() -> None:
    code, out, _ = run("history", "-r", "cn", "--from", "2013", "--to", "2016", "--lang", "zh")
    assert code == 0
    assert "全国" in out and "纯收入" in out and "可支配" in out and "收入口径" in out


def test_cli_history_json_keys() -> None:
    code, out, _ = run("history", "--region", "cn", "--from", "2015", "--to", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "coverage_year",
        "premium",
        "subsidy",
        "income",
        "income_measure",
        "burden_ratio",
        "premium_index",
        "income_index",
        "income_year",
        "yoy_premium",
        "yoy_income",
        "confidence",
        "income_confidence",
    ):
        assert key in data["rows"][0]
    for key in (
        "premium_multiple",
        "income_multiple",
        "premium_cagr",
        "income_cagr",
        "peak_burden_year",
        "gap_pp_per_year",
        "series_break",
        "breaks",
        "segments",
    ):
        assert key in data["summary"]
    assert data["summary"]["premium_cagr"] == "0.1609"
    assert data["rows"][-1]["premium_index"] == "444.44"


def test_cli_history_csv() -> None:
    code, out, _ = run("history", "--from", "2024", "--to", "2025", "--csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("region,coverage_year,policy_year,category,premium")
    assert lines[2].startswith("cn,2025,2024,resident,400,")
    code, out, _ = run("history", "--summary-csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[1].startswith("cn,span,,,2004,2027,,,40.0000,0.1826")
    assert lines[3].startswith("cn,segment 2,disposable,cn,2015,2026,2015,2026,4.4444,0.1452")


def test_cli_household_flags_and_presets() -> None:
    code, out, _ = run("history", "-m", "50", "--income", "3500", "--from", "2025", "--to", "2025", "--json")
    assert code == 0
    assert json.loads(out)["rows"][0]["burden_ratio"] == "0.1143"  # 400 / 3500
    code, out, _ = run("history", "--preset", "rural-family-q1", "--from", "2024", "--to", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["statistic"] == "q1" and data["rows"][0]["burden_ratio"] == "0.0412"
    assert data["household_size"] == 4
    code, out, _ = run("history", "--preset", "farmer-3500")
    assert code == 0 and "11.43%" in out and "3,500" in out


def test_cli_household_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "home.toml"
    path.write_text('region = "cn/beijing"\n[[members]]\nage = 62\nsex = "male"\n', encoding="utf-8")
    code, out, _ = run("history", "--household", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["region"] == "cn/beijing"
    # elderly 340 (2022), 400 (2024), 430 (2025), 460 (2026); no 2023 entry
    assert [r["premium"] for r in data["rows"]] == ["340", "400", "430", "460"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "1990", "--to", "1995"], "cn has no rates for coverage years 1990-1995"),
        (["--from", "2020", "--to", "2010"], "the span 2020-2010 is empty"),
        (["-r", "cn/guangdong"], "has no coverage years of its own"),
        (["--income-stat", "mode"], "unknown income statistic 'mode'"),
        (["--income-stat", "rural-q1"], "rural disposable-income quintiles are not in the data"),
        (["--income", "q1"], "for a statistic write --income-stat q1"),
        (["--income", "3500"], "a yuan amount needs a household"),
        (["--category", "farmer"], "no category 'farmer'"),
        (["--preset", "nobody"], "unknown preset 'nobody'"),
        (["--preset", "farmer-3500", "-m", "40"], "give one of --member, --household or --preset"),
        (["--plot", "chart.docx"], "unsupported chart format '.docx'"),
        (["--by", "fiscal-year"], "unknown view 'fiscal-year'"),
        (["-r", "atlantis"], "unknown region 'atlantis'"),
        (["-m", "40", "--income", "-1"], "is negative"),
    ],
)
def test_cli_history_errors(args: list[str], expected: str) -> None:
    code, out, err = run("history", *args)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and expected in err
    assert err.count("\n") == 1  # one line, no traceback
