"""The national file rates/cn.toml: its assistance floor and its sourced series.

Assistance floor (国办发〔2021〕42号, 2021-10-28, governs from coverage 2022): "全额资助特困人员，
定额资助低保对象、返贫致贫人口" -> 特困人员 pay 0 (`tekun`), 低保 and 返贫致贫 get a fixed amount that
each province sets (`missing`); orphans pay 0 (every local notice, and Hebei's restatement of the
2025 national policy); monitored people, disabled people (Social Insurance Law Art. 25) and the
remaining groups are "assisted, amount unknown". Coverage 2012-2021: the Social Insurance Law
only (in force 2011-07-01). Coverage 2004-2011: no national source, no rules.

Subsidy alignment (December 2026): up to coverage 2018 a notice of year N set the subsidy of the
fund year N (2012年起 ... 240元; 2012 pooled 290 = 240 + 50; 2013: 280 + 60 = 340; 自2015年起 ...
380元), while the individual amount was collected at the end of N-1; from coverage 2019 both come
from the notice of the year before (2024年度 1020 = 640 + 380).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from premium_calc.ratebook import RateBook
from premium_calc.ratefiles.model import (
    ASSISTED_GROUPS,
    AssistRule,
    BilingualText,
    RateFile,
    Source,
    YearEntry,
)
from premium_calc.ratefiles.reading import load_rate_file

CN = Path(__file__).resolve().parents[1] / "rates" / "cn.toml"
FLOOR_YEARS = range(2022, 2028)
LAW_YEARS = range(2012, 2022)
#: Groups whose amount each province sets (or that no national text names): `missing`.
PROVINCE_SET = {"dibao", "returned_poverty", "monitored"}
OTHER_GROUPS = {"dibao_edge", "poverty_exit", "low_income", "youfu", "family_planning", "border"}
GB42_URL = "https://www.gov.cn/gongbao/content/2021/content_5659514.htm"
LAW_URL = "https://www.gov.cn/guoqing/2021-10/29/content_5647616.htm"
D = Decimal


@pytest.fixture(scope="module")
def data() -> RateFile:
    return load_rate_file(CN)


@pytest.fixture(scope="module")
def rb() -> RateBook:
    return RateBook(use_env=False)


def _entry(data: RateFile, year: int) -> YearEntry:
    (entry,) = [e for e in data.year if e.coverage == year]
    return entry


def _rules(data: RateFile, year: int) -> dict[str, AssistRule]:
    return {r.id: r for r in _entry(data, year).assisted or ()}


def _src(rule: AssistRule) -> Source:
    assert rule.source is not None, rule.id
    return rule.source


def _zh(prose: object) -> str:
    assert isinstance(prose, BilingualText)
    return prose.zh


# --- the assistance floor ------------------------------------------------------------------


@pytest.mark.parametrize("year", FLOOR_YEARS)
def test_tekun_pays_nothing_from_coverage_2022(data: RateFile, year: int) -> None:
    rule = _rules(data, year)["tekun"]
    assert rule.groups == ["tekun"] and rule.pays == D(0)
    assert _src(rule).url == GB42_URL
    assert "国办发〔2021〕42号" in _src(rule).title
    # 42号 was issued during the collection for 2022: medium that year, high afterwards.
    assert _src(rule).confidence == ("medium" if year == 2022 else "high")


@pytest.mark.parametrize("year", FLOOR_YEARS)
def test_orphans_pay_nothing_with_a_medium_source(data: RateFile, year: int) -> None:
    rule = _rules(data, year)["orphan"]
    assert rule.groups == ["orphan"] and rule.pays == D(0)
    assert _src(rule).confidence == "medium"
    if year == 2026:
        assert "冀医保发〔2025〕6号" in _src(rule).title


@pytest.mark.parametrize("year", FLOOR_YEARS)
def test_province_set_groups_are_missing(data: RateFile, year: int) -> None:
    rules = _rules(data, year)
    assert set(rules) == {"tekun", "orphan", "dibao", "returned_poverty", "monitored", "disabled", "other"}
    for rid in PROVINCE_SET:
        rule = rules[rid]
        assert rule.groups == [rid], rid
        assert isinstance(rule.missing, BilingualText), rid
        assert "0元到全额之间" in rule.missing.zh, rid
        assert "between 0 and the full premium" in rule.missing.en, rid
    for rid in ("dibao", "returned_poverty"):
        assert _src(rules[rid]).url == GB42_URL
    assert set(rules["other"].groups) == OTHER_GROUPS
    assert rules["other"].missing is not None and _src(rules["other"]).url == LAW_URL
    assert rules["disabled"].disability_grades == [1, 2, 3, 4]
    assert rules["disabled"].missing is not None


def test_monitored_2026_rests_on_hebei_restating_the_national_policy(data: RateFile) -> None:
    rule = _rules(data, 2026)["monitored"]
    assert "冀医保发〔2025〕6号" in _src(rule).title and _src(rule).confidence == "medium"
    assert "风险还没有消除" in _zh(rule.missing)
    assert rule.at_most is None  # whether ">= 60%" is national is not confirmed


@pytest.mark.parametrize("year", LAW_YEARS)
def test_before_2022_only_the_social_insurance_law(data: RateFile, year: int) -> None:
    rules = _rules(data, year)
    assert set(rules) == {"dibao", "disabled", "other"}
    assert all(r.missing is not None and _src(r).url == LAW_URL for r in rules.values())
    covered = {g for r in rules.values() for g in r.groups}
    assert covered == set(ASSISTED_GROUPS)


@pytest.mark.parametrize("year", range(2004, 2012))
def test_no_assisted_rules_without_a_national_source(data: RateFile, year: int) -> None:
    assert not _entry(data, year).assisted


def test_every_group_is_covered_from_2012(data: RateFile) -> None:
    for year in range(2012, 2028):
        rules = _entry(data, year).assisted or ()
        covered = {g for r in rules for g in r.groups}
        assert covered == set(ASSISTED_GROUPS), year
        assert any(r.disability_grades == [1, 2, 3, 4] for r in rules), year


def test_every_assisted_rule_has_its_own_bilingual_sourced_text(data: RateFile) -> None:
    for entry in data.year:
        for rule in entry.assisted or ():
            where = (entry.coverage, rule.id)
            source = _src(rule)
            assert source.url is not None and source.url.startswith("http"), where
            assert "reference" not in source.title.lower(), where
            for prose in (rule.missing, rule.note):
                assert prose is None or isinstance(prose, BilingualText), where


def test_the_resolved_schedule_carries_the_floor(rb: RateBook) -> None:
    s = rb.schedule("cn", 2026)
    by_id = {a.id: a for a in s.assisted}
    assert by_id["tekun"].known and by_id["tekun"].paid(D(400)) == D(0)
    assert by_id["tekun"].rule.pays == D(0)
    assert not by_id["dibao"].known and not by_id["returned_poverty"].known
    assert by_id["orphan"].paid(D(400)) == D(0)
    for a in s.assisted:
        assert a.origin.region == "cn" and a.origin.source is a.rule.source


def test_a_region_without_its_own_rules_inherits_the_floor(rb: RateBook) -> None:
    # Tibet 2026 sets no assisted rules: the national ones apply.
    ids = {a.id for a in rb.schedule("cn/xizang", 2026).assisted}
    assert {"tekun", "orphan", "dibao", "returned_poverty", "monitored", "disabled", "other"} <= ids


def test_a_regional_rule_with_the_same_id_replaces_the_national_one(rb: RateBook) -> None:
    # Jilin City 2024 names its rule `tekun` (pays the 10-yuan LTC premium): it replaces cn's 0.
    by_id = {a.id: a for a in rb.schedule("cn/jilin/jilin", 2024).assisted}
    assert by_id["tekun"].origin.region == "cn/jilin/jilin" and by_id["tekun"].rule.pays == D(10)


def _subsidy_source(data: RateFile, year: int) -> Source:
    source = _entry(data, year).subsidy_source
    assert source is not None, year
    return source


# --- the national series --------------------------------------------------------------------

#: coverage: (individual, subsidy), as decided from the sources (see the file header).
SERIES = {
    2004: (10, 20), 2005: (10, 20), 2006: (10, 30), 2007: (10, 40), 2008: (10, 80),
    2009: (20, 80), 2010: (20, 120), 2011: (30, 200), 2012: (50, 240), 2013: (60, 280),
    2014: (70, 320), 2015: (90, 380), 2016: (120, 420), 2017: (150, 450), 2018: (180, 490),
    2019: (220, 490), 2020: (250, 520), 2021: (280, 550), 2022: (320, 580), 2023: (350, 610),
    2024: (380, 640), 2025: (400, 670), 2026: (400, 700),
}  # fmt: skip


@pytest.mark.parametrize(("year", "values"), SERIES.items())
def test_individual_and_subsidy(rb: RateBook, year: int, values: tuple[int, int]) -> None:
    s = rb.schedule("cn", year)
    (resident,) = s.categories
    assert (resident.individual, s.subsidy) == (D(values[0]), D(values[1]))
    assert s.policy_year == year - 1


def test_2027_subsidy_derived_and_individual_missing(rb: RateBook) -> None:
    s = rb.schedule("cn", 2027)
    assert s.subsidy == D(724)  # 700 + 24 (2026 Government Work Report)
    (resident,) = s.categories
    assert resident.individual is None and resident.missing is not None
    assert s.source.confidence == "medium"  # the +24 has two copies now


def test_fund_year_subsidies_carry_their_own_quoted_source(data: RateFile) -> None:
    # The subsidy of coverage 2006, 2008 and 2010-2018 is the notice of the coverage year itself.
    moved = [2006, 2008, *range(2010, 2019)]
    for year in moved:
        e = _entry(data, year)
        assert e.subsidy_source is not None and e.subsidy_source.url, year
        assert isinstance(e.note, BilingualText), year
        assert "晚了一年" in e.note.zh or year == 2018, year
    for year in set(range(2004, 2028)) - set(moved):
        assert _entry(data, year).subsidy_source is None, year
    # Quotes that tie a subsidy to its own fund year.
    assert "2011年起" in _subsidy_source(data, 2011).title
    assert "2012年起" in _subsidy_source(data, 2012).title
    assert "240元提高到280元" in _subsidy_source(data, 2013).title
    assert "自2015年起" in _subsidy_source(data, 2015).title
    assert "从2018年1月1日起" in _subsidy_source(data, 2018).title
    # The derived and change-over values are medium.
    assert _subsidy_source(data, 2006).confidence == "medium"
    assert _subsidy_source(data, 2018).confidence == "medium"


@pytest.mark.parametrize("year", [2017, 2020, 2021, 2022])
def test_years_confirmed_by_news_copies_are_high(data: RateFile, year: int) -> None:
    assert _entry(data, year).source.confidence == "high"
    assert _entry(data, year).source.url


def test_the_2024_note_speaks_of_380_not_of_the_rise_to_400(data: RateFile) -> None:
    note = _entry(data, 2024).note
    assert isinstance(note, BilingualText)
    assert "380" in note.zh and "640" in note.zh
    assert "400" not in note.zh and "400" not in note.en


def test_no_claim_rests_on_memory_or_the_reference_folder() -> None:
    text = CN.read_text(encoding="utf-8")
    for phrase in ("from memory", "凭记忆", "reference data", "reference folder", "national.csv"):
        assert phrase not in text, phrase
