"""Regional rate data corrected or added after the December 2026 audit (issue "A right answer for
every household", parts 1, 3 and 7): the values the better sources give, the province-wide
(``whole_region``) years, the "assisted, amount unknown" (``missing``) rules, and rate files that
cite their real sources rather than the project's reference folder.

Each expected value is the one the file's own source states (quoted in the file's notes).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from premium_calc.ratebook import RateBook
from premium_calc.ratebook.schedule import Schedule

from .conftest import price

D = Decimal
RATES = Path(__file__).resolve().parent.parent / "rates"


@pytest.fixture(scope="module")
def rb() -> RateBook:
    return RateBook(use_env=False)


def _cats(s: Schedule) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Category id -> (individual, subsidy)."""
    return {c.id: (c.individual, c.subsidy) for c in s.categories}


def _entry(rb: RateBook, region: str, year: int):  # type: ignore[no-untyped-def]
    (entry,) = [e for e in rb.region(region).data.year if e.coverage == year]
    return entry


def _rule(s: Schedule, rule_id: str):  # type: ignore[no-untyped-def]
    (rule,) = [a for a in s.assisted if a.id == rule_id]
    return rule


# --- 1. errors the audit found ---------------------------------------------------------------


def test_beijing_2024_follows_jingyibaofa_2023_17(rb: RateBook) -> None:
    s = rb.schedule("cn/beijing", 2024)
    # 京医保发〔2023〕17号: 劳动年龄内居民 3020 = 2325 + 695 (not 705); 4720 = 4320 + 400; 2070 = 1695 + 375.
    assert _cats(s) == {
        "elderly": (D(400), D(4320)),
        "student_child": (D(375), D(1695)),
        "working_age": (D(695), D(2325)),
    }
    assert s.collection is not None
    assert (s.collection.start, s.collection.end) == (dt.date(2023, 11, 15), dt.date(2024, 1, 31))
    assert s.policy_year == 2023
    assert s.source.confidence == "medium"
    assert "京医保发〔2023〕17号" in s.source.title and s.source.url == "http://wybk.com/techan/23360.html"
    r = price(rb, "cn/beijing", 2024, "62:male", "30", "10:student", income=30000)
    assert [m.paid for m in r.members] == [D(400), D(695), D(375)]
    assert r.total_paid == D(1470)  # 400 + 695 + 375


def test_beijing_2024_to_2025_step_is_55_for_working_age(rb: RateBook) -> None:
    before = _cats(rb.schedule("cn/beijing", 2024))["working_age"][0]
    after = _cats(rb.schedule("cn/beijing", 2025))["working_age"][0]
    assert before is not None and after is not None and after - before == D(55)


def test_gansu_2025_window_and_confidence(rb: RateBook) -> None:
    s = rb.schedule("cn/gansu", 2025)
    assert s.collection is not None
    # 兰州晨报 2024-09-23: "已于9月10日开始,将持续至12月25日" (not 2024-09-15 .. 2025-02-28).
    assert s.collection.start == dt.date(2024, 9, 10)
    assert s.collection.end == dt.date(2024, 12, 25)
    assert s.source.confidence == "high"
    assert _entry(rb, "cn/gansu", 2025).whole_region is True
    r = price(rb, "cn/gansu", 2025, "45", "50:dibao", "70:tekun", income=30000)
    assert [m.paid for m in r.members] == [D(400), D(90), D(0)]
    assert r.confidence == "high"


def test_tianjin_2025_is_low(rb: RateBook) -> None:
    assert rb.schedule("cn/tianjin", 2025).source.confidence == "low"


def test_shanghai_2025_dibao_edge_60_plus_pays_120(rb: RateBook) -> None:
    s = rb.schedule("cn/shanghai", 2025)
    rule = _rule(s, "dibao_edge_60plus")
    assert rule.rule.pays == D(120) and rule.origin.source.confidence == "low"
    r = price(rb, "cn/shanghai", 2025, "65:dibao_edge", "45:dibao_edge", income=30000)
    assert [m.paid for m in r.members] == [D(120), D(995)]  # under 60: the 19-59 band, unassisted
    assert r.members[0].confidence == "low"


def test_shanghai_2024_support_groups_are_assisted_amount_unknown(rb: RateBook) -> None:
    r = price(rb, "cn/shanghai", 2024, "45", "45:dibao", income=30000)
    assert r.members[0].paid == D(935)
    assert r.members[1].paid is None and r.members[1].unknown == "assistance"
    assert r.members[1].paid_high == D(935)


def test_guangzhou_2025_medical_assistance(rb: RateBook) -> None:
    r = price(rb, "cn/guangdong/guangzhou", 2025, "45", "45:tekun", "45:dibao", income=30000)
    assert r.members[0].paid == D(549)
    assert r.members[1].paid == D(0)  # 特困: 医疗救助对象, individual part paid in full
    assert r.members[2].unknown == "assistance"  # eligibility of 低保 not listed in the source


def test_shaanxi_2026_province_wide_deadline(rb: RateBook) -> None:
    s = rb.schedule("cn/shaanxi", 2026)
    assert s.collection is not None and s.collection.end == dt.date(2025, 12, 25)
    assert s.collection.start is None  # the start differs by city
    assert _entry(rb, "cn/shaanxi", 2026).whole_region is True


# --- 2. 2026 figures -------------------------------------------------------------------------


def test_guizhou_2026_province_wide(rb: RateBook) -> None:
    s = rb.schedule("cn/guizhou", 2026)
    assert _cats(s) == {"resident": (D(400), D(700))}
    assert s.subsidy == D(700)
    assert s.late is not None and s.late.amount == D(1100) and s.late.waiting_days == 90
    assert s.collection is not None
    assert (s.collection.start, s.collection.end) == (dt.date(2025, 9, 28), dt.date(2026, 2, 28))
    assert s.source.confidence == "high"
    assert _entry(rb, "cn/guizhou", 2026).whole_region is True
    late = price(rb, "cn/guizhou", 2026, "45", late=True, income=30000)
    assert late.total_paid == D(1100)  # 400 + 700, no subsidy outside the window
    # Bijie applies the province-wide standard.
    bijie = rb.schedule("cn/guizhou/bijie", 2026)
    assert _cats(bijie) == {"resident": (D(400), D(700))}
    assert bijie.late is not None and bijie.late.amount == D(1100)


def test_guizhou_2026_special_hardship_is_assisted_amount_unknown(rb: RateBook) -> None:
    r = price(rb, "cn/guizhou", 2026, "45", "50:dibao", income=30000)
    assert r.members[0].paid == D(400)
    assert r.members[1].unknown == "assistance"


def test_taizhou_2026_amounts(rb: RateBook) -> None:
    s = rb.schedule("泰州", 2026)
    assert s.region == "cn/jiangsu/taizhou"
    cats = {c.id: c for c in s.categories}
    assert cats["resident"].individual == D(520) and dict(cats["resident"].includes) == {"ltc": D(20)}
    assert cats["student_child"].individual == D(250)
    assert cats["college"].missing is not None
    assert s.source.confidence == "medium"
    r = price(rb, "泰州", 2026, "45", "10:student", "40:dibao_edge", "12:dibao_edge", "30:disabled1",
              income=30000)
    # 一般居民 520 (incl. 20 LTC); 学生儿童 250; 低保边缘 adults 100, children 50; 一二级残疾成年人 190.
    assert [m.paid for m in r.members] == [D(520), D(250), D(100), D(50), D(190)]
    assert r.members[0].components == {"ltc": D(20)}
    assert r.total_paid == D(1110)


def test_jilin_2026_records_the_notice_without_amounts(rb: RateBook) -> None:
    s = rb.schedule("cn/jilin", 2026)
    (cat,) = s.categories
    assert cat.individual is None and cat.missing is not None
    assert "吉医保联[2025]19号" in s.source.title


def test_guangzhou_2026_window_extended(rb: RateBook) -> None:
    s = rb.schedule("cn/guangdong/guangzhou", 2026)
    assert s.collection is not None and s.collection.end == dt.date(2026, 2, 28)
    assert all(c.missing is not None for c in s.categories)


def test_gansu_2026_is_low(rb: RateBook) -> None:
    s = rb.schedule("cn/gansu", 2026)
    assert _cats(s)["resident"][0] == D(400)
    assert s.source.confidence == "low"


def test_low_city_files_are_labelled_low(rb: RateBook) -> None:
    zhuhai = rb.schedule("珠海", 2026)
    assert {c.id: c.individual for c in zhuhai.categories} == {"student_minor": D(404), "resident": D(539)}
    liaocheng = rb.schedule("聊城", 2026)
    assert {c.id: c.individual for c in liaocheng.categories} == {
        "college": None, "student_minor": D(380), "adult": D(410),
    }
    for s in (zhuhai, liaocheng):
        assert s.source.confidence == "low"


# --- 3. assistance ---------------------------------------------------------------------------


def test_bounds_are_not_amounts(rb: RateBook) -> None:
    # 冀医保发〔2025〕6号 "不低于60%" and Shaanxi's "不低于50%" give only a maximum payment: the rule
    # says "assisted, amount unknown" with the bound in its text, never pays = 160 / 190.
    for region, year, bound in (("cn/hebei", 2026, "160"), ("cn/shaanxi", 2024, "190")):
        rule = _rule(rb.schedule(region, year), "dibao_monitored").rule
        assert rule.pays is None and rule.missing is not None
        assert bound in rule.missing.en and bound in rule.missing.zh  # type: ignore[union-attr]


# --- 4. newly sourced coverage years ---------------------------------------------------------


def test_new_coverage_years(rb: RateBook) -> None:
    tibet = rb.schedule("cn/xizang", 2024)
    assert {c.id: dict(c.tier_amounts) for c in tibet.categories} == {
        "resident": {"low": D(200), "high": D(380)}
    }
    assert tibet.subsidy == D(675)
    assert _cats(rb.schedule("cn/gansu", 2022))["resident"] == (D(320), D(580))
    gansu_2023 = price(rb, "cn/gansu", 2023, "45", "50:dibao", "50:returned_poverty", "50:monitored",
                       "50:poverty_exit", "70:tekun", income=30000)
    assert [m.paid for m in gansu_2023.members] == [D(350), D(100), D(160), D(200), D(250), D(0)]
    ningxia = price(rb, "cn/ningxia", 2023, "45", "50:dibao", "40:disabled3", "40:poverty_exit",
                    income=30000)
    assert [m.paid for m in ningxia.members] == [D(350), D(70), D(100), D(170)]
    assert ningxia.confidence == "low"
    beijing = rb.schedule("cn/beijing", 2022)
    assert _cats(beijing) == {
        "elderly": (D(340), D(4260)),
        "student_child": (D(325), D(1645)),
        "working_age": (D(580), D(2210)),
    }
    assert beijing.source.confidence == "low"


def test_whole_region_only_where_set(rb: RateBook) -> None:
    flagged = {
        (rid, e.coverage)
        for rid in rb.region_ids()
        for e in rb.region(rid).data.year
        if e.whole_region
    }
    assert {
        ("cn/gansu", 2024), ("cn/gansu", 2025), ("cn/guizhou", 2026), ("cn/shaanxi", 2026),
        ("cn/xizang", 2022),
    } <= flagged


# --- 5. sources, not the reference folder ----------------------------------------------------

_FOLDER = re.compile(r"shared/reference", re.IGNORECASE)
#: How the regional files used to cite the reference folder instead of the sources.
_REGIONAL = re.compile(
    r"shared/reference|/work/|reference data|regional(_provinces)?\.csv|assistance\.md|notices_2026",
    re.IGNORECASE,
)


def _rate_files() -> list[Path]:
    return sorted(RATES.rglob("*.toml"))


def test_no_rate_file_cites_the_reference_folder() -> None:
    files = _rate_files()
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not _FOLDER.search(text), path


def test_no_regional_comment_or_prose_cites_reference_files() -> None:
    for path in sorted((RATES / "cn").rglob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not _REGIONAL.search(line), f"{path.relative_to(RATES)}:{number}: {line}"


def test_no_source_mentions_the_reference_folder(rb: RateBook) -> None:
    for region_id in rb.region_ids():
        for entry in rb.region(region_id).data.year:
            sources = [entry.source, entry.subsidy_source]
            sources += [w.source for w in (entry.collection, entry.late) if w is not None]
            sources += [c.source for c in entry.category or ()]
            sources += [a.source for a in entry.assisted or ()]
            for source in sources:
                if source is None:
                    continue
                for text in (source.title, source.title_zh or "", source.url or ""):
                    assert not _FOLDER.search(text), (region_id, entry.coverage, text)
