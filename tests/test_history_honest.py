"""Honest history summaries (issue 13, parts 1 and 2): premium and income over the same labelled
span, the opt-in chained income index across the 2013 measure break, and the same marks in
table, CSV and JSON (subsidy at least, low confidence, add-ons apart from the medical premium).

Numbers from rates/cn.toml (premium 10 in coverage 2004 .. 400 in 2026; subsidy 20 .. 700),
rates/stats/income.toml (rural net income 2003 2622.2, 2013 8896, 2014 9892; disposable 2014
10489, 2025 24456), rates/cn/guizhou.toml (2023: 350, no subsidy of its own), rates/cn/jilin.toml
(2025: 410 including 10 long-term care, subsidy 670). Coverage year Y against income year Y-1.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from typer.testing import CliRunner

from premium_calc.analyses.history import by_policy_year, premium_series
from premium_calc.analyses.summary import chain_rows
from premium_calc.cli import app
from premium_calc.ratebook.book import RateBook
from premium_calc.render.history import history_columns, history_rows, summary_rows

D = Decimal
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def row(history, year: int):  # type: ignore[no-untyped-def]
    return next(r for r in history.rows if r.coverage_year == year)


# --- part 1: the chained income index -----------------------------------------------------


def test_chained_income_links_at_2014(book: RateBook) -> None:
    h = premium_series(book, "cn", chain_income=True)
    c = h.summary.chained
    assert c is not None and c.unlinked == []
    [link] = c.links
    # the overlap year: income year 2014 has both rural net 9892 and disposable 10489
    assert (link.income_year, link.from_measure, link.to_measure) == (2014, "net", "disposable")
    assert (link.from_value, link.to_value) == (D(9892), D(10489))
    # premium 10 (2004) -> 400 (2026): x40, CAGR 0.1826 (see test_history)
    assert (c.first_year, c.last_year) == (2004, 2026)
    assert (c.premium_multiple, c.premium_cagr) == (D("40.0000"), D("0.1826"))
    # income: (9892 / 2622.2) x (24456 / 10489) = 3.772405 x 2.331586 = 8.795665 -> 8.7957;
    # ln 8.795665 = 2.174262, / 22 = 0.098830, e^ = 1.103879 -> 0.1039; gap 18.26 - 10.39 = 7.87
    assert (c.income_multiple, c.income_cagr, c.gap_pp_per_year) == (D("8.7957"), D("0.1039"), D("7.87"))
    # the index: 2004 = 100; 2014 is net 8896 / 2622.2 x 100 = 339.26 (measured, not chained)
    assert (row(h, 2004).income_index_chained, row(h, 2004).income_chained) == (D("100.00"), False)
    assert (row(h, 2014).income_index_chained, row(h, 2014).income_chained) == (D("339.26"), False)
    # 2015 (income 2014 disposable 10489) x 9892 / 10489 = 9892: 9892 / 2622.2 x 100 = 377.24
    assert (row(h, 2015).income_index_chained, row(h, 2015).income_chained) == (D("377.24"), True)
    # 2026: 24456 x 9892 / 10489 / 2622.2 x 100 = 879.5665 -> 879.57
    assert row(h, 2026).income_index_chained == D("879.57")
    # missing incomes stay missing; the measured segments and breaks are unchanged
    assert row(h, 2005).income_index_chained is None and row(h, 2005).income_chained is False
    assert row(h, 2015).income_index == D("100.00") and len(h.summary.segments) == 2
    assert "statistical link" in c.note and "not a measured series" in c.note


def test_no_chain_without_the_option_or_an_overlap(book: RateBook) -> None:
    h = premium_series(book, "cn")
    assert h.summary.chained is None and not h.chain_income
    assert all(r.income_index_chained is None and not r.income_chained for r in h.rows)
    # a break without both figures of the overlap year is not linked: no chained figure at all
    brk = h.summary.breaks[0].model_copy(update={"overlap_from_value": None})
    rows, chained = chain_rows(h.rows, [brk])
    assert chained.unlinked == [2015] and chained.income_multiple is None
    assert all(r.income_index_chained is None for r in rows)
    assert "no chained income index" in chained.note


def test_one_measure_needs_no_chain(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2016, end=2024, chain_income=True)
    c = h.summary.chained
    assert c is not None and c.links == [] and c.unlinked == []
    assert "nothing to chain" in c.note
    # the chained index is the measured one: 2024 income 21691 / 11422 (2016) x 100 = 189.9054 -> 189.91
    assert [r.income_index_chained for r in h.rows] == [r.income_index for r in h.rows]
    assert h.rows[-1].income_index_chained == D("189.91") and not any(r.income_chained for r in h.rows)


def test_summary_text_labels_income_over_the_same_span() -> None:
    out = run("history", "--lang", "zh", "--no-chart")
    # premium growth over the span, income said to be not comparable across the break, segments
    assert "缴费增长: 10 -> 400 (2004->2026): 40倍" in out
    assert "同期收入：收入年份 2014 起口径由纯收入改为可支配收入，前后不能直接比" in out
    assert "--chain-income" in out
    assert "分段 1: 待遇年度 2004-2014（收入年份 2003-2013）" in out
    out = run("history", "--lang", "zh", "--no-chart", "--chain-income")
    assert "2004 年以来缴费涨到 40倍，收入涨到 8.8倍" in out
    assert "收入在 2014 年（当年纯收入 9892，可支配收入 10489）衔接" in out
    assert "不是实际测得的一条收入序列" in out
    assert "879.57~" in out  # the chained rows carry the mark
    out = run("history", "--no-chart", "--chain-income")
    assert "premium x40 vs income x8.7957 since 2004 (2004->2026; income chained at 2014:" in out
    assert "at 2014: net income 9892 -> disposable income 10489; a statistical link" in out
    assert "a statistical link, not a measured series" in out


def test_one_segment_says_the_same_years() -> None:
    # --from 2005: the income of coverage 2005 is missing, so premium (2005->2014) and
    # income (2006->2014) have different spans; the same-years line compares 2006->2014:
    # premium 70 / 10 = x7, income 8896 / 3255 = 2.733026 -> x2.733
    out = run("history", "--from", "2005", "--to", "2014", "--no-chart")
    assert "premium growth: 10 -> 70 (2005->2014)" in out
    assert "income growth: 3,255 -> 8,896 (2006->2014)" in out
    assert "same years (2006->2014): premium x7, income x2.733" in out


def test_chained_flags_in_csv_and_json() -> None:
    rows = list(csv.DictReader(io.StringIO(run("history", "--csv", "--chain-income"))))
    by_year = {r["coverage_year"]: r for r in rows}
    assert (by_year["2015"]["income_index_chained"], by_year["2015"]["income_chained"]) == ("377.24", "True")
    assert by_year["2014"]["income_chained"] == "False"
    summary = list(csv.DictReader(io.StringIO(run("history", "--summary-csv", "--chain-income"))))
    chained = next(r for r in summary if r["scope"] == "chained")
    assert (chained["income_multiple"], chained["income_chained"]) == ("8.7957", "True")
    assert chained["income_measure"] == "net->disposable"
    data = json.loads(run("history", "--json", "--chain-income"))
    assert data["chain_income"] is True
    assert data["summary"]["chained"]["income_multiple"] == "8.7957"
    assert data["summary"]["chained"]["links"][0]["income_year"] == 2014


# --- part 2: the same marks in every format -----------------------------------------------


def test_inherited_subsidy_is_at_least(book: RateBook) -> None:
    h = premium_series(book, "cn/guizhou")
    r2023, r2024 = row(h, 2023), row(h, 2024)
    # Guizhou 2023 sets no subsidy: the national 610 is a minimum; 350 / (350 + 610) = 0.364583
    assert (r2023.subsidy, r2023.subsidy_at_least) == (D(610), True)
    assert (r2023.individual_share, r2023.individual_share_at_most) == (D("0.3646"), True)
    # 2024 has its own 640: 380 / 1020 = 0.372549 -> 0.3725
    assert (r2024.subsidy_at_least, r2024.individual_share) == (False, D("0.3725"))
    # the national file itself never is "at least"
    assert not any(r.subsidy_at_least for r in premium_series(book, "cn").rows)
    out = run("history", "-r", "贵州", "--lang", "zh", "--no-chart")
    assert "≥610" in out and "≤36.46%" in out and "不低于" in out
    rows = {r["coverage_year"]: r for r in csv.DictReader(io.StringIO(run("history", "-r", "贵州", "--csv")))}
    # separate fields, never a glyph glued to the number
    assert (rows["2023"]["subsidy"], rows["2023"]["subsidy_at_least"]) == ("610", "True")
    assert rows["2023"]["individual_share_at_most"] == "True"
    data = json.loads(run("history", "-r", "贵州", "--json"))
    first = data["rows"][0]
    assert (first["subsidy"], first["subsidy_at_least"]) == ("610", True)
    # 2025 rests on an aggregator summary: low confidence as a field of its own
    r2025 = next(r for r in data["rows"] if r["coverage_year"] == 2025)
    assert (r2025["premium"], r2025["premium_low_confidence"], r2025["income_low_confidence"]) == (
        "400",
        True,
        False,
    )


def test_add_ons_apart_from_the_medical_premium(book: RateBook) -> None:
    h = premium_series(book, "cn/jilin")
    r = row(h, 2025)
    # 410 includes 10 of long-term care: medical premium 400; share 400 / (400 + 670) = 0.373832
    assert (r.premium, r.components, r.medical_premium) == (D(410), {"ltc": D(10)}, D(400))
    assert r.individual_share == D("0.3738")
    out = run("history", "-r", "吉林", "--lang", "zh", "--no-chart")
    assert "其中" in out and "10 长期护理保险" in out and "剩下的才是医保费" in out
    [line] = [x for x in history_rows(h) if x["coverage_year"] == 2025]
    assert (line["components"], line["medical_premium"], line["premium"]) == ("ltc=10", D(400), D(410))


def test_individual_share_national(book: RateBook) -> None:
    h = premium_series(book, "cn")
    # 2026: 400 / (400 + 700) = 0.363636 -> 0.3636 (36.36%); 2004: 10 / 30 = 0.3333
    assert row(h, 2026).individual_share == D("0.3636")
    assert row(h, 2004).individual_share == D("0.3333")
    # 2027: the amount is missing, so is the share (never 0)
    assert row(h, 2027).individual_share is None
    s = h.summary
    assert (s.individual_share_first_year, s.individual_share_first) == (2004, D("0.3333"))
    assert (s.individual_share_last_year, s.individual_share_last) == (2026, D("0.3636"))
    assert "个人缴费占筹资的比例：2004 年 33.33% → 2026 年 36.36%" in run(
        "history", "--lang", "zh", "--no-chart"
    )
    span = summary_rows(h)[0]
    assert (span["individual_share_first"], span["individual_share_last"]) == (D("0.3333"), D("0.3636"))


# --- part 4: the policy-year view ---------------------------------------------------------


def test_policy_year_view(book: RateBook) -> None:
    h = by_policy_year(premium_series(book, "cn"))
    assert h.view == "policy_year"
    # the 2024 notice set 400 for coverage 2025; the income is that of 2024
    r = row(h, 2025)
    assert (r.policy_year, r.premium, r.income_year) == (2024, D(400), 2024)
    assert history_columns(h)[:3] == ("region", "policy_year", "coverage_year")
    out = run("history", "--by", "policy-year", "--csv", "--from", "2025", "--to", "2026")
    lines = out.strip().splitlines()
    assert lines[0].startswith("region,policy_year,coverage_year,category,premium")
    assert lines[1].startswith("cn,2024,2025,resident,400,")
    table = run("history", "--by", "policy-year", "--lang", "zh", "--no-chart")
    assert "按政策（通知）年度排列" in table and "通知" in table
    assert "缴费增长: 10 -> 400 (2003->2025年通知): 40倍" in table
    data = json.loads(run("history", "--by", "policy-year", "--json", "--from", "2025", "--to", "2025"))
    assert data["view"] == "policy_year" and data["rows"][0]["policy_year"] == 2024
    # the default is by coverage year
    assert json.loads(run("history", "--json", "--from", "2025", "--to", "2025"))["view"] == "coverage_year"


def test_policy_year_inferred_where_the_file_gives_none(book: RateBook) -> None:
    h = premium_series(book, "cn", start=2025, end=2025)
    blank = h.model_copy(update={"rows": [h.rows[0].model_copy(update={"policy_year": None})]})
    [r] = by_policy_year(blank).rows
    assert (r.policy_year, r.policy_year_inferred) == (2024, True)
