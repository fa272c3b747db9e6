"""Income statistics that match the household (issue "A right answer for every household", part 4):
provincial rural, urban and all-resident income 2013-2024, the national medians, the median
statistics, the stand-in flag, and the ``stats/`` overlay of docs/statistics.md.

Each expected value is the one the row's own source prints (quoted in the row's note in
rates/stats/provinces.toml or income.toml).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import RateFileError, StatisticNotFoundError
from premium_calc.household.burden import assess
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook
from premium_calc.ratebook.income import (
    MEDIANS,
    STATISTICS,
    IncomeFigure,
    IncomeStats,
    check_statistic,
    statistic_names,
)
from premium_calc.ratefiles.income_model import IncomeRow, MedianRow

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "statistics.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: How data files must not cite their sources: the project's reference folder, not a source.
_FOLDER = re.compile(r"shared/reference|/work/|reference data|provincial_2013_2025|found_2026|\.csv\b")
PROVINCES = 31


@pytest.fixture(scope="module")
def rb() -> RateBook:
    return RateBook(use_env=False)


@pytest.fixture(scope="module")
def stats(rb: RateBook) -> IncomeStats:
    return rb.income_stats()


def _provinces(rb: RateBook) -> list[str]:
    return [r for r in rb.region_ids() if r.count("/") == 1 and r.startswith("cn/")]


def _with(stats: IncomeStats, population: str, year: int, measure: str = "disposable") -> set[str]:
    return {
        r.region
        for r in stats.rows()
        if r.region != "cn" and r.year == year and r.measure == measure
        and getattr(r, population) is not None
    }


# -- provincial values -------------------------------------------------------------------------


def test_guizhou_rural_income_with_its_source(stats: IncomeStats) -> None:
    # 贵阳网 2024-02-18 (国家统计局贵阳调查队): "农村居民人均可支配收入为23640元,较全省14817元高8823元",
    # and the same value in the GitHub provincial data file: high
    f = stats.figure("rural", 2023, region="cn/guizhou")
    assert f is not None and (f.value, f.measure, f.confidence) == (D(14817), "disposable", "high")
    assert f.source.url == "http://www.gywb.cn/system/2024/02/18/097223366.shtml"
    assert "shucun_xiaochengxu" in str(f.source.note)
    # 2022: the GitHub file alone ("2022": 13706.668...): medium, the file cited
    f = stats.figure("rural", 2022, region="cn/guizhou")
    assert f is not None and (f.value, f.confidence) == (D(13707), "medium")
    assert f.source.url is not None and "m13891290332/shucun_xiaochengxu" in f.source.url
    assert "农村居民收入.json" in f.source.url
    urban = stats.figure("urban", 2023, region="cn/guizhou")
    assert urban is not None and urban.value == D(42772)
    # 2024: no source found: a gap stays a gap
    assert stats.figure("rural", 2024, region="cn/guizhou") is None


def test_other_values_as_their_sources_print_them(stats: IncomeStats) -> None:
    expected = {
        # 中新网 2025-01-22 (NBS 31-province 2024 release)
        ("rural", 2024, "cn/zhejiang"): (D(42786), "high"),
        # 国家统计局四川调查总队 2025-01-17 release (one news mirror)
        ("rural", 2024, "cn/sichuan"): (D(21303), "medium"),
        ("urban", 2024, "cn/sichuan"): (D(47336), "medium"),
        ("all", 2024, "cn/sichuan"): (D(34325), "medium"),
        # 《2022年河南省国民经济和社会发展统计公报》 via 河南日报农村版
        ("all", 2022, "cn/henan"): (D(28222), "high"),
        ("rural", 2022, "cn/henan"): (D(18697), "high"),
        # 甘肃日报 2021-02-09: 10344.3
        ("rural", 2020, "cn/gansu"): (D(10344), "high"),
        # 湖南日报 2015-01-22
        ("all", 2014, "cn/hunan"): (D(17622), "medium"),
        # the GitHub file alone
        ("rural", 2013, "cn/beijing"): (D(17101), "medium"),
        ("urban", 2013, "cn/xizang"): (D(20394), "medium"),
    }
    for (statistic, year, region), (value, confidence) in expected.items():
        f = stats.figure(statistic, year, region=region)
        assert f is not None, (statistic, year, region)
        assert (f.value, f.confidence, f.measure) == (value, confidence, "disposable"), region


def test_every_province_has_rural_and_urban_2013_2023(rb: RateBook, stats: IncomeStats) -> None:
    provinces = set(_provinces(rb))
    assert len(provinces) == PROVINCES
    for year in range(2013, 2024):
        assert _with(stats, "rural", year) == provinces, year
        assert _with(stats, "urban", year) == provinces, year


def test_provinces_with_2024_income(rb: RateBook, stats: IncomeStats) -> None:
    # Only Zhejiang and Sichuan have a 2024 rural (and urban) figure in any source found; both
    # also have all residents. Shaanxi's could only be computed (Xi'an minus a gap): not shipped.
    rural = _with(stats, "rural", 2024)
    assert len(rural) == 2 and rural == {"cn/zhejiang", "cn/sichuan"}
    assert _with(stats, "urban", 2024) == rural
    assert rural <= _with(stats, "all", 2024)
    assert _with(stats, "all", 2024) == {"cn/beijing", "cn/shanghai", "cn/zhejiang", "cn/sichuan"}
    assert stats.figure("rural", 2024, region="cn/shaanxi") is None
    # 2025: no provincial rural or urban figure at all
    assert not _with(stats, "rural", 2025) and not _with(stats, "urban", 2025)


def test_conflicts_resolved_for_the_better_source(stats: IncomeStats) -> None:
    # Anhui 2023 rural: 21144 (aggregator and GitHub file agree) beats a blog's 21089
    f = stats.figure("rural", 2023, region="cn/anhui")
    assert f is not None and f.value == D(21144) and f.confidence == "high"
    # Shanghai 2022: urban/rural confirmed by the GitHub file (high); all-resident stays medium
    urban, every = (stats.figure(s, 2022, region="cn/shanghai") for s in ("urban", "all"))
    assert urban is not None and (urban.value, urban.confidence) == (D(84034), "high")
    assert every is not None and (every.value, every.confidence) == (D(79610), "medium")


def test_no_cell_twice(stats: IncomeStats) -> None:
    seen: Counter[tuple[str, int, str, str]] = Counter()
    for row in stats.rows():
        for population in ("all", "urban", "rural"):
            if getattr(row, population) is not None:
                seen[(row.region, row.year, row.measure, population)] += 1
    assert [k for k, n in seen.items() if n > 1] == []


def test_region_ids_are_rate_regions(rb: RateBook, stats: IncomeStats) -> None:
    ids = set(rb.region_ids())
    assert {r.region for r in stats.rows()} <= ids
    assert {r.region for r in stats.median_rows()} <= ids


# -- measures ----------------------------------------------------------------------------------


def test_measures_and_the_2013_break(stats: IncomeStats) -> None:
    # 2013, Beijing rural: integrated-survey disposable income 17101 and old 纯收入 18337
    new = stats.figure("rural", 2013, region="cn/beijing")
    old = stats.figure("rural", 2013, region="cn/beijing", measure="net")
    assert new is not None and old is not None
    assert (new.value, new.measure, old.value, old.measure) == (D(17101), "disposable", D(18337), "net")
    assert new.label("zh") == "2013年农村居民人均可支配收入 (cn/beijing)"
    assert old.label("zh") == "2013年农村居民人均纯收入 (cn/beijing)"
    assert old.label("en") == "per-capita net income, rural residents (cn/beijing), 2013"
    # 2012 provincial urban is the old urban survey: the old series, never chained with 2013+
    urban = stats.figure("urban", 2012, region="cn/beijing")
    assert urban is not None and (urban.value, urban.measure) == (D(36469), "net")
    assert "原城镇住户调查" in urban.label("zh") and "old urban survey" in urban.label("en")
    assert stats.figure("urban", 2012, region="cn/beijing", measure="disposable") is None
    # provincial net rows: rural 2013 (19 provinces) and urban 2012 only
    net = {(r.year, p) for r in stats.rows() if r.region != "cn" and r.measure == "net"
           for p in ("all", "urban", "rural") if getattr(r, p) is not None}
    assert net == {(2013, "rural"), (2012, "urban")}


def test_every_row_has_a_real_source(stats: IncomeStats) -> None:
    rows: list[IncomeRow | MedianRow] = [*stats.rows(), *stats.median_rows()]
    sources = [r.source for r in rows] + [q.source for q in stats.quintile_rows()]
    for source in sources:
        assert source.title.strip()
        if not CJK.search(source.title):
            assert source.title_zh and CJK.search(source.title_zh), source.title
        for text in (source.title, source.title_zh or "", source.url or "", str(source.note or "")):
            assert not _FOLDER.search(text), text
    for row in stats.rows():
        if row.region != "cn":
            assert row.source.url and row.source.url.startswith("http"), (row.region, row.year)
        for population in ("all", "urban", "rural"):
            if getattr(row, population) is not None:
                assert row.confidence_of(population) in ("high", "medium-high", "medium", "medium-low", "low")
    for text in ("provinces.toml", "income.toml"):
        body = (ROOT / "rates" / "stats" / text).read_text(encoding="utf-8")
        assert not re.search(r"shared/reference|/work/", body), text


# -- medians -----------------------------------------------------------------------------------


def test_national_medians(stats: IncomeStats) -> None:
    # 2023 urban/rural: WeChat repost of NBS《2023年居民收入和消费支出情况》 (medium)
    urban = stats.figure("urban_median", 2023)
    rural = stats.figure("rural_median", 2023)
    assert urban is not None and (urban.value, urban.confidence) == (D(47122), "medium")
    assert rural is not None and (rural.value, rural.confidence) == (D(18748), "medium")
    every = stats.figure("median", 2023)
    assert every is not None and (every.value, every.confidence) == (D(33036), "high")
    assert stats.years("median") == list(range(2015, 2026))
    assert stats.years("urban_median") == [2011, 2012, 2013, 2014, *range(2016, 2026)]
    assert stats.years("rural_median") == [2011, 2013, 2014, *range(2016, 2026)]
    # the old series: rural median of 纯收入, urban median of the old urban survey
    old = stats.figure("rural_median", 2011)
    assert old is not None and old.measure == "net" and old.value == D(6194)
    assert old.label("zh") == "2011年农村居民人均纯收入中位数"
    new = stats.figure("rural_median", 2024)
    assert new is not None and new.label("zh") == "2024年农村居民人均可支配收入中位数"
    assert new.label("en") == "median per-capita disposable income, rural residents, 2024"
    # national only
    assert stats.years("median", "cn/guizhou") == []
    # no quintiles were found for 2013, 2014 or 2024
    assert sorted({q.year for q in stats.quintile_rows() if q.population == "all"}) == [
        *range(2015, 2024), 2025,
    ]


def test_median_statistics_resolve(rb: RateBook, stats: IncomeStats) -> None:
    assert {"median", "urban_median", "rural_median"} <= set(STATISTICS)
    assert set(MEDIANS) == {"median", "urban_median", "rural_median"}
    for statistic in MEDIANS:
        zh, en = statistic_names()[statistic]
        assert "中位数" in zh and "median" in en
    assert check_statistic("Median") == "median"
    assert check_statistic("median-rural") == "rural_median"
    assert check_statistic("median_urban") == "urban_median"
    assert check_statistic("all median") == "median"
    with pytest.raises(StatisticNotFoundError, match="rural_median"):
        check_statistic("mode")
    chain = rb.schedule("cn/guizhou/bijie", 2025).chain
    figure, notes = stats.for_region("rural_median", 2024, chain)
    assert (figure.value, figure.region, figure.year) == (D(19605), "cn", 2024)
    assert figure.stands_in and figure.for_region == "cn/guizhou/bijie"
    assert any("rural median" in n and "the NATIONAL figure stands in" in n for n in notes)
    # the 2025 premium against the national all-resident median 2024: 34707 x 1
    result = assess(rb, "cn/guizhou/bijie", 2025, build_household(["45"]), statistic="median")
    assert result.burden.statistic is not None and result.burden.income == D(34707)


# -- stand-in flag -----------------------------------------------------------------------------


def test_stand_in_flag(rb: RateBook, stats: IncomeStats) -> None:
    bijie = rb.schedule("cn/guizhou/bijie", 2026).chain
    # income year 2025: no Guizhou figure for 2025 or 2024, but one of 2023 (a regional figure
    # may be up to three years old): Guizhou's own, not the national 24456
    figure, notes = stats.for_region("rural", 2025, bijie)
    assert (figure.region, figure.year, figure.value) == ("cn/guizhou", 2023, D(14817))
    assert figure.for_region == "cn/guizhou/bijie" and not figure.stands_in
    # income year 2027: no Guizhou figure since 2023: the national one stands in, and says so
    figure, notes = stats.for_region("rural", 2027, bijie)
    assert (figure.region, figure.year) == ("cn", 2025) and figure.stands_in
    assert notes[0].key == "note.statistic_national_stands_in"
    # income year 2024: Guizhou's 2023 figure (one year old) is the province's own
    figure, notes = stats.for_region("rural", 2024, bijie)
    assert (figure.region, figure.year, figure.value) == ("cn/guizhou", 2023, D(14817))
    assert not figure.stands_in
    assert any("used 2023" in n for n in notes)
    # a province asked for itself; the nation asked for itself
    figure, _ = stats.for_region("rural", 2024, ("cn", "cn/zhejiang"))
    assert figure.region == "cn/zhejiang" and not figure.stands_in
    figure, _ = stats.for_region("rural", 2024, ("cn",))
    assert figure.region == "cn" and figure.for_region == "cn" and not figure.stands_in
    # a figure asked for by region (figure()) stood in for nothing
    plain = stats.figure("rural", 2024)
    assert plain is not None and plain.for_region is None and not plain.stands_in
    # without a chain the path of for_region is used
    assert IncomeFigure.model_validate(
        {**plain.model_dump(), "for_region": "cn/hunan/changsha"}
    ).stands_in
    assert not IncomeFigure.model_validate(
        {**plain.model_dump(), "region": "cn/hunan", "for_region": "cn/hunan/changsha"}
    ).stands_in
    # JSON: for_region and stands_in, not the chain
    data = json.loads(stats.for_region("rural", 2027, bijie)[0].model_dump_json())
    assert data["for_region"] == "cn/guizhou/bijie" and data["stands_in"] is True
    assert "for_chain" not in data


def test_calc_json_says_a_national_figure_stood_in() -> None:
    # All-resident income: Guizhou has none for 2022-2025, so the national figure stands in,
    # in the JSON and in the headline of the table.
    args = ["calc", "-r", "毕节", "-y", "2026", "-m", "40", "--income-stat", "all"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    statistic = json.loads(result.stdout)["burden"]["statistic"]
    assert statistic["region"] == "cn" and statistic["stands_in"] is True
    table = CliRunner().invoke(app, [*args, "--lang", "zh"]).stdout
    assert "这里用的是全国的数字" in "".join(table.splitlines()[:5])


# -- the overlay of docs/statistics.md ---------------------------------------------------------


def _doc_example(folder: Path) -> Path:
    """Write the two TOML files of docs/statistics.md (rate file, then statistics) to ``folder``."""
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    (folder / "stats").mkdir(parents=True)
    (folder / "example_county.toml").write_text(blocks[0], encoding="utf-8")
    (folder / "stats" / "example_county.toml").write_text(blocks[1], encoding="utf-8")
    return folder


def test_overlay_example_of_the_docs(tmp_path: Path) -> None:
    folder = _doc_example(tmp_path / "mydata")
    book = RateBook(extra_dirs=[folder], use_env=False)
    stats = book.income_stats()
    chain = book.schedule("example_county", 2025).chain
    assert chain == ("cn", "cn/sichuan", "example_county")
    figure, notes = stats.for_region("rural", 2024, chain)
    assert (figure.value, figure.region, figure.stands_in, notes) == (D(20000), "example_county", False, [])
    # not in the file: the ancestors' figures; Sichuan's is not a stand-in (the chain, not the path)
    figure, _ = stats.for_region("urban", 2024, chain)
    assert (figure.value, figure.region, figure.stands_in) == (D(47336), "cn/sichuan", False)
    figure, _ = stats.for_region("rural_median", 2024, chain)
    assert figure.value == D(17500) and figure.region == "example_county"
    figure, _ = stats.for_region("median", 2024, chain)
    assert (figure.value, figure.region, figure.stands_in) == (D(34707), "cn", True)
    # 840 / (20000 x 2) = 0.021 -> 2.10%, as the docs say
    result = assess(book, "example_county", 2025, build_household(["40", "70"]))
    assert (result.total_paid, result.burden.income, result.burden_ratio) == (D(840), D(40000), D("0.0210"))
    # the bundled statistics are still there
    assert stats.figure("rural", 2024) is not None


def test_overlay_from_the_command_line_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _doc_example(tmp_path / "mydata")
    args = ["calc", "-r", "example_county", "-y", "2025", "-m", "40", "-m", "70", "--json"]
    result = CliRunner().invoke(app, [*args, "--rates-dir", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["burden"]["statistic"]["value"] == "20000"
    monkeypatch.setenv("PREMIUM_CALC_RATES", str(folder))
    result = CliRunner().invoke(app, [*args, "--income-stat", "rural_median"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["burden"]["statistic"]["value"] == "17500"


def test_a_users_row_wins_over_the_bundled_one(tmp_path: Path) -> None:
    # A stats-only directory: a user figure for Guizhou 2023 overrides the bundled 14817
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "income.toml").write_text(
        '[[income]]\nyear = 2023\nmeasure = "disposable"\nregion = "cn/guizhou"\nrural = 12345\n'
        'confidence = "low"\nsource = { title = "test figure", title_zh = "测试数据", confidence = "low" }\n',
        encoding="utf-8",
    )
    stats = RateBook(extra_dirs=[tmp_path], use_env=False).income_stats()
    figure = stats.figure("rural", 2023, region="cn/guizhou")
    assert figure is not None and figure.value == D(12345)
    # the bundled urban figure of the same year is still served, and the national file too
    urban = stats.figure("urban", 2023, region="cn/guizhou")
    assert urban is not None and urban.value == D(42772)
    assert stats.figure("rural", 2024) is not None


def test_a_bad_statistics_file_names_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "bad.toml").write_text(
        '[[income]]\nyear = 2024\nmeasure = "gross"\nrural = 1\nconfidence = "high"\n'
        'source = { title = "x", confidence = "high" }\n',
        encoding="utf-8",
    )
    stats = RateBook(extra_dirs=[tmp_path], use_env=False).income_stats()
    with pytest.raises(RateFileError, match=re.escape("income[0].measure")):
        stats.rows()
