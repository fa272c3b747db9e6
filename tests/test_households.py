"""Households worked out by hand from the sources cited in the rate files.

Each expected value has its arithmetic in a comment, with the figures of the rate file.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from premium_calc.errors import DataMissingError, HouseholdError, MissingFactError
from premium_calc.ratebook.book import RateBook

from .conftest import paid, price


def test_bijie_2025_family_of_four(book: RateBook) -> None:
    # cn/guizhou/bijie 2025: everyone 400 (jiusongjiankang, low); subsidy 670 (cn 2025).
    r = price(book, "毕节", 2025, "45", "42:female", "12:student", "70", income=14000)
    assert r.region == "cn/guizhou/bijie"
    assert r.policy_year == 2024
    assert paid(r) == [D(400)] * 4
    assert r.total_paid == D(1600)  # 4 x 400
    assert r.total_subsidy == D(2680)  # 4 x 670
    assert r.confidence == "low"
    b = r.burden
    assert b.burden_ratio == D("0.1143")  # 1600 / 14000 = 0.114285...
    assert b.months_of_income == D("1.37")  # 0.1142857 x 12 = 1.3714
    assert b.days_of_work == D("28.57")  # 0.1142857 x 250 = 28.571
    assert b.income_per_capita == D(3500)  # 14000 / 4
    assert [c.exceeded for c in b.thresholds] == [True, True]  # > 5% and > 10%


def test_bijie_2025_late_enrollment_pays_full_funding(book: RateBook) -> None:
    # Bijie 2025 late window 2025-03-01..12-31: the full 1070 (400 + 670), no subsidy.
    r = price(book, "cn/guizhou/bijie", 2025, "45", "42:female", late=True)
    assert paid(r) == [D(1070), D(1070)]
    assert r.total_paid == D(2140)
    assert all(m.status == "late" and m.subsidy == 0 for m in r.members)


def test_beijing_2025_categories_by_sex_specific_age(book: RateBook) -> None:
    # Beijing 2025 (high): elderly men 60+ / women 50+ 430 (subsidy 4350), students and
    # children 405 (1725), working age 750 (2335).
    r = price(book, "北京", 2025, "62:male", "55:female", "30", "10:student")
    assert [m.category for m in r.members] == ["elderly", "elderly", "working_age", "student_child"]
    assert paid(r) == [D(430), D(430), D(750), D(405)]
    assert r.total_paid == D(2015)  # 430 + 430 + 750 + 405
    assert r.total_subsidy == D(12760)  # 4350 + 4350 + 2335 + 1725
    assert r.confidence == "high"


def test_beijing_sex_needed_only_where_it_matters(book: RateBook) -> None:
    # 45 is below both elderly ages (60/50) and 72 above both: sex is not needed.
    r = price(book, "cn/beijing", 2025, "45", "72")
    assert paid(r) == [D(750), D(430)]
    # 55 is elderly for a woman (50+) but not for a man (60+): ask, never guess.
    with pytest.raises(MissingFactError) as info:
        price(book, "cn/beijing", 2025, "55")
    assert info.value.fact == "sex" and info.value.member == 1


def test_shanghai_2024_four_age_bands(book: RateBook) -> None:
    # 沪医保规〔2023〕10号 (high): 70+ 595, 60-69 765, 19-59 935, students/infants/college 295.
    r = price(book, "上海", 2024, "75", "65", "40", "8", "20:college")
    assert paid(r) == [D(595), D(765), D(935), D(295), D(295)]
    assert r.total_paid == D(2885)  # 595 + 765 + 935 + 295 + 295


def test_shenzhen_2025_percent_of_base(book: RateBook) -> None:
    # Base 6409/month: adult 6409 x 0.7% x 12 = 538.356 -> 538.36; child 6409 x 0.6% x 12
    # = 461.448 -> 461.45 (half-up to the fen, once).
    r = price(book, "深圳", 2025, "30", "10:student")
    assert paid(r) == [D("538.36"), D("461.45")]
    assert r.total_paid == D("999.81")


def test_hangzhou_2026_tiers_default_to_the_cheapest(book: RateBook) -> None:
    # Hangzhou 2026: adults tier 1 800 / tier 2 700 (both incl. 30 LTC), children 340.
    r = price(book, "杭州", 2026, "40", "38:female", "10")
    assert r.tier == "tier2"
    assert paid(r) == [D(700), D(700), D(340)]  # total 1740
    assert r.members[0].components == {"ltc": D(30)}
    r1 = price(book, "杭州", 2026, "40", "38:female", "10", tier="tier1")
    assert r1.total_paid == D(1940)  # 800 + 800 + 340


def test_hangzhou_2026_college_students_by_birth_date(book: RateBook) -> None:
    # Born before 2008-01-01: 130 (incl. 30 LTC); on or after: 100.
    r = price(book, "cn/zhejiang/hangzhou", 2026, "2006-05-01:college", "2008-03-01:college")
    assert paid(r) == [D(130), D(100)]
    # Age 19 on 2026-01-01 means born 2006-01-02..2007-01-01: before the cut-off.
    assert paid(price(book, "cn/zhejiang/hangzhou", 2026, "19:college")) == [D(130)]
    # Age 18 may be born on 2008-01-01 or earlier: the birth date is needed.
    with pytest.raises(MissingFactError) as info:
        price(book, "cn/zhejiang/hangzhou", 2026, "18:college")
    assert info.value.fact == "birth date"


def test_guangyuan_2024_assisted_groups(book: RateBook) -> None:
    # Guangyuan 2024 (cngy.gov.cn Q&A, medium): standard 380; 特困 0; 低保 95;
    # 稳定脱贫 285; grade 3-4 disability 280.
    r = price(
        book, "广元", 2024, "50:tekun", "48:dibao", "20:poverty_exit", "70:disabled3", "30"
    )
    assert paid(r) == [D(0), D(95), D(285), D(280), D(380)]
    assert r.total_gross == D(1900)  # 5 x 380
    assert r.total_paid == D(1040)  # 0 + 95 + 285 + 280 + 380
    assert r.total_assistance == D(860)  # 1900 - 1040
    assert [m.assisted_rule for m in r.members][:4] == [
        "full",
        "dibao_monitored",
        "poverty_exit",
        "disability_3_4",
    ]


def test_multiple_identities_take_the_most_generous_rule(book: RateBook) -> None:
    # Guangyuan 2024: dibao (95) and poverty_exit (285) -> 95; dibao + grade-2 disability -> 0.
    r = price(book, "cn/sichuan/guangyuan", 2024, "40:dibao,poverty_exit", "40:dibao,disabled2")
    assert paid(r) == [D(95), D(0)]


def test_hunan_2026_employee_member_and_threshold_edge(book: RateBook) -> None:
    # Hunan 2026 (high): 400; 低保 200; a member with employee insurance pays no resident
    # premium. 200 + 400 + 400 = 1000 of 20000 = exactly 5%: not above the 5% threshold.
    r = price(book, "湖南", 2026, "60:dibao", "35", "10:student", "40:employee", income=20000)
    assert paid(r) == [D(200), D(400), D(400), D(0)]
    assert r.members[3].status == "employee"
    assert r.burden_ratio == D("0.0500")
    assert [c.exceeded for c in r.burden.thresholds] == [False, False]
    assert r.burden.paid_per_member == D("333.33")  # 1000 / 3 enrollees
    assert r.burden.income_per_capita == D(5000)  # 20000 / 4 members


def test_hunan_2026_late_enrollee_but_assisted_member_keeps_assistance(book: RateBook) -> None:
    # Outside the window: 1100 (400 + 700, no subsidy); the 低保 member still pays 200.
    r = price(book, "cn/hunan", 2026, "35", "60:dibao", late=True)
    assert paid(r) == [D(1100), D(200)]


def test_chengdu_2026_optional_tier(book: RateBook) -> None:
    # Chengdu 2026 (high): adults 400 (low tier) or 550 (high tier); students/children 400.
    assert price(book, "成都", 2026, "40", "10:student").total_paid == D(800)
    r = price(book, "成都", 2026, "40", "10:student", tier="tier2")
    assert paid(r) == [D(550), D(400)]
    with pytest.raises(HouseholdError, match="unknown tier 'gold'"):
        price(book, "成都", 2026, "40", tier="gold")


def test_gansu_2025_classified_assistance(book: RateBook) -> None:
    # Gansu 2025 (兰州本地宝, medium): dibao class 1-2 pays 90, class 3-4 / monitored 150,
    # dibao-edge 300, ordinary 400.
    r = price(book, "甘肃", 2025, "30:dibao", "30:monitored", "30:dibao_edge", "30")
    assert paid(r) == [D(90), D(150), D(300), D(400)]


def test_kunming_low_income_rule_only_for_elderly_and_minors(book: RateBook) -> None:
    # Kunming 2025: 低收入家庭 members aged 60+ or under 18 pay 280; a 30-year-old pays 400.
    r = price(book, "昆明", 2025, "70:low_income", "30:low_income", "12:low_income,student")
    assert paid(r) == [D(280), D(400), D(280)]


def test_national_minimum_2004_farmer(book: RateBook) -> None:
    # cn coverage 2004 = policy 2003 (NCMS): 10 yuan. Against 2003 rural net income
    # 2622.2: 10 / 2622.2 = 0.0038136 -> 0.0038.
    r = price(book, "cn", 2004, "40")
    assert r.total_paid == D(10)
    assert r.policy_year == 2003
    assert r.burden.statistic is not None
    assert r.burden.statistic.measure == "net" and r.burden.statistic.year == 2003
    assert r.burden.burden_ratio == D("0.0038")


def test_burden_against_statistic_names_it(book: RateBook) -> None:
    # No income given: rural per-capita disposable income of the year the 2025 premium is paid
    # in (2024). Bijie has none of its own; Guizhou has no 2024 figure but one of 2023 (a
    # regional figure may be one year old): 14817 x 4 = 59268; 1600 / 59268 = 0.026996 -> 0.0270.
    r = price(book, "毕节", 2025, "45", "42:female", "12:student", "70")
    b = r.burden
    assert b.income_basis == "statistic"
    assert b.statistic is not None and b.statistic.value == D(14817)
    assert b.statistic.year == 2023 and b.statistic.region == "cn/guizhou"
    assert b.statistic.for_region == "cn/guizhou/bijie" and not b.statistic.stands_in
    assert b.income == D(59268)
    assert b.burden_ratio == D("0.0270")
    assert any("no rural income figure of Bijie: that of Guizhou is used" in note for note in b.notes)
    assert any("used 2023" in note for note in b.notes)
    assert "（贵州省）" in b.statistic.label("zh") and "(Guizhou)" in b.statistic.label("en")


def test_zero_income_is_not_computable(book: RateBook) -> None:
    r = price(book, "cn", 2025, "40", income=0)
    assert r.burden_ratio is None
    assert r.burden.computable is False
    assert "zero" in (r.burden.reason or "")


def test_missing_amount_is_an_error_not_a_guess(book: RateBook) -> None:
    # Shanghai 2008 gives no amount for ages 60-69; cn 2027 has no national individual yet.
    with pytest.raises(DataMissingError, match="age_60_69"):
        price(book, "cn/shanghai", 2008, "65")
    with pytest.raises(DataMissingError):
        price(book, "cn", 2027, "40")


def test_inherited_national_subsidy_is_marked_as_a_minimum(book: RateBook) -> None:
    # Shenzhen sets no fiscal subsidy of its own: the national 670 (不低于) is inherited and
    # marked as a floor; Beijing's own 2335 is not.
    shenzhen = price(book, "深圳", 2025, "30")
    assert shenzhen.members[0].subsidy == D(670)
    assert shenzhen.members[0].subsidy_is_national_minimum
    assert shenzhen.subsidy_is_national_minimum
    beijing = price(book, "北京", 2025, "30")
    assert not beijing.members[0].subsidy_is_national_minimum


def test_tibet_2025_elderly_paid_by_assistance(book: RateBook) -> None:
    # Tibet 2025 (拉萨市医保局, high): registered women 60+ / men 65+ pay nothing; a man of 62
    # pays the cheapest tier, 220. The woman's gross stays a premium (220) paid by assistance.
    r = price(book, "西藏", 2025, "70:female", "62:male")
    assert [m.assisted_rule for m in r.members] == ["elderly_registered", None]
    assert paid(r) == [D(0), D(220)]
    assert r.members[0].assistance == D(220)
