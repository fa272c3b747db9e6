"""One household or more per province, worked out by hand from the rate files' sources.

Every province with data has at least one case (city-pooled provinces through their capital
city); Hainan, which has no sourced amount, is tested for saying so. Each expected value has
its arithmetic beside it, citing the rate file and the reference row behind it
(P = ../shared/reference/rates/regional_provinces.csv, R = regional.csv, by line number).
Everything goes through the public API (``from premium_calc import ...``).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from typer.testing import CliRunner

from premium_calc import (
    Assessment,
    DataMissingError,
    RateBook,
    YearNotCoveredError,
    assess,
    build_household,
    calculate,
)
from premium_calc.cli import app

INCOME = 30000  # a household income, so no income statistic is looked up


def price(
    book: RateBook,
    region: str,
    year: int,
    *members: str,
    tier: str | None = None,
    late: bool = False,
) -> Assessment:
    return assess(book, region, year, build_household(members, INCOME), tier=tier, late=late)


def paid(result: Assessment) -> list[D]:
    return [m.paid for m in result.members]


# --- North ----------------------------------------------------------------------------


def test_beijing_2026_three_categories(book: RateBook) -> None:
    # rates/cn/beijing.toml 2026 (R5-R7, 北京市医保局 2025-12-08, medium):
    # elderly (men 60+) 460, working age 795, students and children 435.
    r = price(book, "北京", 2026, "62:male", "30", "10:student")
    assert paid(r) == [D(460), D(795), D(435)]
    assert r.total_paid == D(1690)  # 460 + 795 + 435
    assert r.confidence == "medium"


def test_tianjin_2025_tiers_default_to_the_low_one(book: RateBook) -> None:
    # rates/cn/tianjin.toml 2025 (P2-P4, three summaries, medium): adults low 400 / high 1030;
    # students and minors 400 whatever the tier.
    low = price(book, "天津", 2025, "40", "10:student")
    assert low.tier == "low"  # the cheapest tier is the default
    assert paid(low) == [D(400), D(400)]
    assert low.total_paid == D(800)  # 400 + 400
    high = price(book, "天津", 2025, "40", "10:student", tier="high")
    assert paid(high) == [D(1030), D(400)]
    assert high.total_paid == D(1430)  # 1030 + 400


def test_tianjin_2025_fixed_assistance_is_90_percent_of_the_low_tier(book: RateBook) -> None:
    # P6: 低保/低保边缘/重残 get a fixed 360 (90% of the low-tier 400): low tier 400 - 360 = 40;
    # high tier 1030 - 360 = 670. P5: 特困 pay 0.
    low = price(book, "天津", 2025, "40:dibao", "70:tekun")
    assert paid(low) == [D(40), D(0)]  # 400 - 360; full subsidy
    high = price(book, "天津", 2025, "40:dibao", "45:dibao_edge", tier="high")
    assert paid(high) == [D(670), D(670)]  # 1030 - 360 each
    assert high.members[0].assistance == D(360)


def test_tianjin_2024_tiers(book: RateBook) -> None:
    # rates/cn/tianjin.toml 2024 (P7-P9, jiusongjiankang 4502477, low): adults 380 / 1010.
    assert price(book, "cn/tianjin", 2024, "40").total_paid == D(380)
    r = price(book, "cn/tianjin", 2024, "40", tier="high")
    assert r.total_paid == D(1010)
    assert r.confidence == "low"


def test_hebei_2025_assisted_groups(book: RateBook) -> None:
    # rates/cn/hebei.toml 2025 (P12-P15, jiusongjiankang, low): 400; 特困 0; 低保 90% subsidy
    # -> 40; 其他脱贫人口 60% -> 160.
    r = price(book, "河北", 2025, "45", "70:tekun", "50:dibao", "40:poverty_exit")
    assert paid(r) == [D(400), D(0), D(40), D(160)]
    assert r.total_paid == D(600)  # 400 + 0 + 40 + 160
    assert r.total_subsidy == D(2680)  # 4 x 670


def test_hebei_2026_dibao_at_most_160(book: RateBook) -> None:
    # rates/cn/hebei.toml 2026 (P16 window, R87-R89 冀医保发〔2025〕6号): 400; 低保 >= 60% subsidy
    # -> at most 160 (low); 孤儿 0.
    r = price(book, "cn/hebei", 2026, "45", "50:dibao", "10:orphan")
    assert paid(r) == [D(400), D(160), D(0)]
    assert r.confidence == "low"  # the 160 rule is low confidence


def test_shijiazhuang_2024_ltc_pilot_adds_10(book: RateBook) -> None:
    # rates/cn/hebei/shijiazhuang/ltc_pilot.toml (P11, 燕赵晚报 2023-10-10, medium): 390 incl.
    # 10 long-term care; 大中专学生 380 with no LTC. Elsewhere in the city (shijiazhuang) 380.
    r = price(book, "鹿泉区", 2024, "45", "20:college")
    assert paid(r) == [D(390), D(380)]
    assert r.members[0].components == {"ltc": D(10)}
    assert r.members[1].components == {}
    assert price(book, "石家庄", 2024, "45").total_paid == D(380)


def test_shanxi_2025(book: RateBook) -> None:
    # rates/cn/shanxi.toml 2025 (P17, jiusongjiankang, low): 400 each, fiscal 670.
    r = price(book, "山西", 2025, "45", "43")
    assert r.total_paid == D(800)  # 2 x 400
    assert r.total_subsidy == D(1340)  # 2 x 670
    assert r.confidence == "low"


def test_inner_mongolia_2026_and_hohhot_assisted(book: RateBook) -> None:
    # rates/cn/neimenggu.toml 2026 (P19-P20, high / medium): 400; 特困/孤儿 0.
    r = price(book, "内蒙古", 2026, "45", "70:tekun")
    assert paid(r) == [D(400), D(0)]
    # rates/cn/neimenggu/hohhot.toml 2026 (P21-P22, high): 低保 etc. pay 200 (city pays 200);
    # the region-wide 特困/孤儿 0 is inherited and is the cheapest rule.
    h = price(book, "呼和浩特", 2026, "45", "50:dibao", "60:low_income", "70:tekun")
    assert paid(h) == [D(400), D(200), D(200), D(0)]
    assert h.total_paid == D(800)  # 400 + 200 + 200 + 0
    with pytest.raises(DataMissingError):  # 大中专学生 are excluded from the 400: no amount
        price(book, "呼和浩特", 2026, "19:college")


def test_shenyang_2026_near_dibao_pays_40_percent(book: RateBook) -> None:
    # rates/cn/liaoning/shenyang.toml 2026 (P23-P27, 中新网 2025-10-22, medium): adults 460,
    # students/minors 400; 低保边缘 60% subsidy: 460 x 40% = 184, 400 x 40% = 160; 低保 0.
    r = price(book, "沈阳", 2026, "40", "12:student", "45:dibao_edge", "10:dibao_edge", "50:dibao")
    assert paid(r) == [D(460), D(400), D(184), D(160), D(0)]
    assert r.total_paid == D(1204)  # 460 + 400 + 184 + 160 + 0


def test_shenyang_2025_same_amounts(book: RateBook) -> None:
    # P28-P31 (medium; the full-subsidy list low): 460 / 400; 优抚 0; 低保边缘 adult 184.
    r = price(book, "cn/liaoning/shenyang", 2025, "40", "70:youfu", "45:dibao_edge")
    assert paid(r) == [D(460), D(0), D(184)]  # 460 x 40% = 184
    assert r.confidence == "low"


def test_jilin_2025_ltc_is_a_separate_component(book: RateBook) -> None:
    # rates/cn/jilin.toml 2025 (P32-P34, low): 410 incl. 10 长期护理保险; 特困/孤儿 pay only the
    # 10 LTC; 低保/返贫 pay 260 (incl. 10 LTC).
    r = price(book, "吉林省", 2025, "45", "70:tekun", "50:dibao")
    assert paid(r) == [D(410), D(10), D(260)]
    assert r.members[0].components == {"ltc": D(10)}  # 400 medical + 10 LTC
    assert r.total_paid == D(680)  # 410 + 10 + 260


def test_jilin_city_2024_and_2025(book: RateBook) -> None:
    # rates/cn/jilin/jilin.toml 2024 (P35-P37, 吉林市人民政府, medium): 390 incl. 10 LTC;
    # 特困 10; 低保/监测 240. 2025 has no amounts of its own: the province's 410 applies.
    r = price(book, "吉林市", 2024, "45", "70:tekun", "50:monitored")
    assert paid(r) == [D(390), D(10), D(240)]
    assert r.members[0].components == {"ltc": D(10)}
    assert price(book, "吉林市", 2025, "45").total_paid == D(410)


def test_harbin_late_enrollment(book: RateBook) -> None:
    # rates/cn/heilongjiang/harbin.toml (P38-P39, low): 2025 400, late (after 2025-07-01) the
    # full 1070 = 400 + 670; 2024 380, late 1020 = 380 + 640.
    assert price(book, "哈尔滨", 2025, "45").total_paid == D(400)
    late = price(book, "哈尔滨", 2025, "45", "43", late=True)
    assert paid(late) == [D(1070), D(1070)]
    assert late.total_subsidy == D(0)  # no fiscal subsidy for late enrollees
    assert price(book, "哈尔滨", 2024, "45", late=True).total_paid == D(1020)


# --- East -----------------------------------------------------------------------------


def test_shanghai_2026_four_bands(book: RateBook) -> None:
    # rates/cn/shanghai.toml 2026 (R35-R41, medium): 70+ 700, 60-69 870, 19-59 1040,
    # students/infants/college 400.
    r = price(book, "上海", 2026, "75", "65", "40", "8:student")
    assert paid(r) == [D(700), D(870), D(1040), D(400)]
    assert r.total_paid == D(3010)  # 700 + 870 + 1040 + 400


def test_nanjing_2025_four_categories(book: RateBook) -> None:
    # rates/cn/jiangsu/nanjing.toml 2025 (P40-P43, 南京日报, high; supersedes R68-R71):
    # elderly 560 (fiscal 1300), other 660 (1220), students/children 320 (1190), college 270 (740).
    r = price(book, "南京", 2025, "65:male", "40", "10:student", "20:college")
    assert paid(r) == [D(560), D(660), D(320), D(270)]
    assert r.total_paid == D(1810)  # 560 + 660 + 320 + 270
    assert r.total_subsidy == D(4450)  # 1300 + 1220 + 1190 + 740
    assert r.confidence == "high"


def test_hangzhou_2026_tiers_ltc_and_college_birth_dates(book: RateBook) -> None:
    # rates/cn/zhejiang/hangzhou.toml 2026 (R53-R58, medium): adults tier 1 800 / tier 2 700,
    # both incl. 30 LTC; children 340; college born before 2008-01-01 130 (incl. 30 LTC), born
    # 2008-01-01 or later 100.
    r = price(book, "杭州", 2026, "40", "10:student", "2007-05-01:college", "2008-03-01:college")
    assert r.tier == "tier2"  # the cheapest adult tier
    assert paid(r) == [D(700), D(340), D(130), D(100)]
    assert r.members[0].components == {"ltc": D(30)}  # 700 includes 30 long-term care
    assert r.members[2].components == {"ltc": D(30)}
    assert r.total_paid == D(1270)  # 700 + 340 + 130 + 100
    t1 = price(book, "杭州", 2026, "40", tier="tier1")
    assert t1.total_paid == D(800)
    assert t1.members[0].components == {"ltc": D(30)}
    # R58: certified hardship groups pay nothing.
    assert price(book, "杭州", 2026, "40:dibao_edge").total_paid == D(0)


def test_anhui_2026_and_hefei_2025(book: RateBook) -> None:
    # rates/cn/anhui.toml 2026 (P51, 芜湖/滁州 notices, medium): 400, fiscal 700.
    a = price(book, "安徽", 2026, "45")
    assert a.total_paid == D(400) and a.total_subsidy == D(700)
    # rates/cn/anhui/hefei.toml 2025 (P45-P50, 合肥市医保局, high): college 350 (400 - 50 paid by
    # the city); 低保 40; 低保边缘 elderly (60+) 40, younger ones not covered (400); 返贫致贫 80;
    # 监测 200.
    r = price(book, "合肥", 2025, "20:college", "50:dibao", "65:dibao_edge", "40:dibao_edge",
              "45:returned_poverty", "45:monitored")
    assert paid(r) == [D(350), D(40), D(40), D(400), D(80), D(200)]
    assert r.total_paid == D(1110)  # 350 + 40 + 40 + 400 + 80 + 200


def test_fuzhou_2025_dibao_and_late(book: RateBook) -> None:
    # rates/cn/fujian/fuzhou.toml 2025 (P52 high, P53 low): 450, fiscal 800; 低保/监测 pay 10%
    # of 450 = 45; from 2025-07-01 late enrollees pay 450 + 800 = 1250.
    r = price(book, "福州", 2025, "45", "50:dibao")
    assert paid(r) == [D(450), D(45)]
    assert r.total_subsidy == D(1600)  # 2 x 800
    assert price(book, "福州", 2025, "45", late=True).total_paid == D(1250)


def test_jiangxi_2026(book: RateBook) -> None:
    # rates/cn/jiangxi.toml 2026 (P55-P58, medium): 400; 省内大学生 200; 低保 80 (assistance 320);
    # full-subsidy groups 0.
    r = price(book, "江西", 2026, "45", "20:college", "50:dibao", "70:tekun")
    assert paid(r) == [D(400), D(200), D(80), D(0)]
    assert r.total_paid == D(680)  # 400 + 200 + 80 + 0


def test_jinan_2025_adult_child_college(book: RateBook) -> None:
    # rates/cn/shandong/jinan.toml 2025 (P61-P63): adults 440, under-18s 390 (medium), 驻济高校
    # 大学生 240 (low).
    r = price(book, "济南", 2025, "40", "10", "20:college")
    assert paid(r) == [D(440), D(390), D(240)]
    assert r.total_paid == D(1070)  # 440 + 390 + 240
    assert r.confidence == "low"  # the college amount is low confidence


def test_jinan_2024_full_subsidy(book: RateBook) -> None:
    # P64-P65 (low): adults 420, children 360; the government pays the whole premium of 低保 etc.
    r = price(book, "济南", 2024, "40", "10", "70:dibao")
    assert paid(r) == [D(420), D(360), D(0)]


# --- Centre and south -------------------------------------------------------------------


def test_henan_2026(book: RateBook) -> None:
    # rates/cn/henan.toml 2026 (P66, 洛阳网 from 河南税务, high): 400, fiscal 700.
    r = price(book, "河南", 2026, "45", "42:female", "12:student")
    assert r.total_paid == D(1200)  # 3 x 400
    assert r.total_subsidy == D(2100)  # 3 x 700
    assert r.confidence == "high"


def test_hubei_2026_and_wuhan_2024(book: RateBook) -> None:
    # rates/cn/hubei.toml 2026 (P69, 咸宁 notice, medium): 400.
    assert price(book, "湖北", 2026, "45", "12:student").total_paid == D(800)  # 2 x 400
    # rates/cn/hubei/wuhan.toml 2024 (P67, 武汉市医保局 告示, medium): 380.
    assert price(book, "武汉", 2024, "45").total_paid == D(380)


def test_hunan_2026_assisted_and_late(book: RateBook) -> None:
    # rates/cn/hunan.toml 2026 (P70-P73, 湖南省7部门, high): 400; 特困/1-2级残疾/孤儿 0;
    # 低保/监测/低保边缘 200 (50%); outside the window 400 + 700 = 1100, no subsidy.
    r = price(book, "湖南", 2026, "45", "70:tekun", "50:dibao", "30:disabled2")
    assert paid(r) == [D(400), D(0), D(200), D(0)]
    late = price(book, "湖南", 2026, "45", "43", late=True)
    assert paid(late) == [D(1100), D(1100)]
    assert [m.status for m in late.members] == ["late", "late"]
    assert late.total_subsidy == D(0)


def test_hunan_2024_half_assistance(book: RateBook) -> None:
    # R79-R81 (medium): 380; 低保 etc. pay 190 (assistance 190); 重度残疾 0.
    r = price(book, "湖南", 2024, "45", "50:monitored", "40:disabled1")
    assert paid(r) == [D(380), D(190), D(0)]


def test_guangzhou_2025_and_shenzhen_percent_of_base(book: RateBook) -> None:
    # rates/cn/guangdong/guangzhou.toml 2025 (R42-R43, medium): students 413 (fiscal 956),
    # others 549 (fiscal 820).
    g = price(book, "广州", 2025, "40", "10:student")
    assert paid(g) == [D(549), D(413)]
    assert g.total_subsidy == D(1776)  # 820 + 956
    # rates/cn/guangdong/shenzhen.toml 2025 (R48-R49, medium): adults 6409 x 0.7% x 12 =
    # 538.356 -> 538.36; children 6409 x 0.6% x 12 = 461.448 -> 461.45 (half-up, once).
    s = price(book, "深圳", 2025, "30", "10:student")
    assert paid(s) == [D("538.36"), D("461.45")]
    assert s.total_paid == D("999.81")  # 538.36 + 461.45
    # 2026 (R50-R51): 6760 x 0.7% x 12 = 567.84; 6760 x 0.6% x 12 = 486.72.
    assert paid(price(book, "深圳", 2026, "30", "10:student")) == [D("567.84"), D("486.72")]


def test_guangxi_2025_and_nanning(book: RateBook) -> None:
    # rates/cn/guangxi.toml 2025 (P74 medium, P75 low): 400; enrolled after 2025-06-30: 400 +
    # 670 = 1070.
    assert price(book, "广西", 2025, "45").total_paid == D(400)
    assert price(book, "广西", 2025, "45", late=True).total_paid == D(1070)
    # rates/cn/guangxi/nanning.toml 2025 (P76-P78, 南宁日报, medium): 监测 60% subsidy -> 160;
    # 低保边缘 aged 60+ or minors 0, aged 18-59 not covered (400).
    r = price(book, "南宁", 2025, "45:monitored", "65:dibao_edge", "40:dibao_edge", "10:dibao_edge")
    assert paid(r) == [D(160), D(0), D(400), D(0)]


def test_hainan_has_no_year_and_says_so(book: RateBook) -> None:
    # rates/cn/hainan.toml: no sourced amount for 2024-2026 (reference README 'Gaps').
    with pytest.raises(YearNotCoveredError) as info:
        book.schedule("海南", 2025)
    assert info.value.available == ()
    assert "years available: none" in str(info.value)


def test_hainan_cli_exit_2() -> None:
    result = CliRunner().invoke(app, ["calc", "-r", "海南", "-y", "2025", "-m", "45", "--income", "20000"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cn/hainan has no rates for coverage year 2025;")
    assert "years available: none" in result.stderr
    assert "Traceback" not in result.output


# --- South-west -------------------------------------------------------------------------


def test_chongqing_tiers(book: RateBook) -> None:
    # rates/cn/chongqing.toml 2025 (P82-P84, low): tier 1 400 / tier 2 775; college 380 / 755.
    r = price(book, "重庆", 2025, "45", "20:college")
    assert r.tier == "tier1"
    assert paid(r) == [D(400), D(380)]
    t2 = price(book, "重庆", 2025, "45", "20:college", tier="tier2")
    assert paid(t2) == [D(775), D(755)]
    assert t2.total_paid == D(1530)  # 775 + 755
    # 2024 (P79-P81, medium): 380 / 755; 2026 draft (P85-P86, low): 400 / 775.
    assert price(book, "重庆", 2024, "45", tier="tier2").total_paid == D(755)
    assert price(book, "重庆", 2026, "45", tier="tier2").total_paid == D(775)


def test_sichuan_2026_and_chengdu_tiers(book: RateBook) -> None:
    # rates/cn/sichuan.toml 2026 (P87-P89, 达州日报, medium): 400; 低保/监测 100 (subsidy 300);
    # 特困 0.
    s = price(book, "四川", 2026, "45", "50:dibao", "70:tekun")
    assert paid(s) == [D(400), D(100), D(0)]
    # rates/cn/sichuan/chengdu.toml 2026 (P91-P93, high): adults 400 / 550, students and
    # children (incl. college) 400 whatever the tier.
    c = price(book, "成都", 2026, "40", "10:student", "20:college")
    assert paid(c) == [D(400), D(400), D(400)]
    c2 = price(book, "成都", 2026, "40", "10:student", tier="tier2")
    assert paid(c2) == [D(550), D(400)]
    assert c2.total_paid == D(950)  # 550 + 400
    # 2025 (R91-R92, low): adults 400 / 520.
    assert price(book, "成都", 2025, "40", tier="tier2").total_paid == D(520)


def test_guangyuan_2024_assisted(book: RateBook) -> None:
    # rates/cn/sichuan/guangyuan.toml 2024 (R93-R97, 广元市人民政府网, medium): 380; 低保/监测
    # 95 (subsidy 285); 稳定脱贫 285 (subsidy 95); grade 3-4 disability 280 (subsidy 100);
    # grade 1-2 and 特困 0.
    r = price(book, "广元", 2024, "45", "50:dibao", "40:poverty_exit", "30:disabled3", "30:disabled1")
    assert paid(r) == [D(380), D(95), D(285), D(280), D(0)]
    assert r.total_paid == D(1040)  # 380 + 95 + 285 + 280 + 0


def test_aba_2025(book: RateBook) -> None:
    # rates/cn/sichuan/aba.toml 2025 (R98-R100, 阿坝州医保局, medium): 400; 低保 100; 优抚 0.
    assert paid(price(book, "阿坝", 2025, "45", "50:dibao", "70:youfu")) == [D(400), D(100), D(0)]


def test_guizhou_2025_late_pays_full_funding(book: RateBook) -> None:
    # rates/cn/guizhou.toml 2025 (P94-P96, low): 400; 零星征缴期 late enrollees 400 + 670 = 1070;
    # 特困/孤儿/计生 0 (even when late: the assisted rule applies).
    assert price(book, "贵州", 2025, "45").total_paid == D(400)
    late = price(book, "贵州", 2025, "45", "10:orphan", late=True)
    assert paid(late) == [D(1070), D(0)]


def test_guizhou_2024_family_planning(book: RateBook) -> None:
    # R72 + assistance.md (medium): 380; 计生两户/特殊家庭 paid in full by the county.
    assert paid(price(book, "贵州", 2024, "45", "45:family_planning")) == [D(380), D(0)]


def test_yunnan_2026_assisted(book: RateBook) -> None:
    # rates/cn/yunnan.toml 2026 (P100-P103, 红塔区 notice, medium): 400; 监测 220 (subsidy 180);
    # 低保 280 (subsidy 120); 低收入 60+ or minors 280, other ages not covered; 特困 0.
    r = price(book, "云南", 2026, "45", "45:monitored", "50:dibao", "65:low_income", "40:low_income",
              "70:tekun")
    assert paid(r) == [D(400), D(220), D(280), D(280), D(400), D(0)]
    assert r.total_paid == D(1580)  # 400 + 220 + 280 + 280 + 400 + 0


def test_yunnan_2025_late_and_kunming(book: RateBook) -> None:
    # rates/cn/yunnan.toml 2025 (P97 high, P98 low): 400; late from 2025-07-01: 400 + 670 = 1070.
    assert price(book, "云南", 2025, "45", late=True).total_paid == D(1070)
    # rates/cn/yunnan/kunming.toml 2025 (R105-R110, low): 边境村民 330; 未纳入监测的脱贫户 355.
    assert paid(price(book, "昆明", 2025, "45:border", "45:poverty_exit")) == [D(330), D(355)]


def test_tibet_2025_tiers_and_assistance(book: RateBook) -> None:
    # rates/cn/xizang.toml 2025 (P104-P108, 拉萨市医保局 + 西藏日报, high): tiers low 220 /
    # high 400, default the cheapest; registered women 60+ pay nothing; 低保 etc. pay 40 (360
    # from medical assistance); low-income 脱贫人口 160 (60% of 400 subsidised).
    r = price(book, "西藏", 2025, "40", "66:female", "45:dibao", "50:poverty_exit")
    assert r.tier == "low"
    assert paid(r) == [D(220), D(0), D(40), D(160)]
    assert r.total_paid == D(420)  # 220 + 0 + 40 + 160
    assert r.total_subsidy == D(2820)  # 4 x 705
    high = price(book, "西藏", 2025, "40", "62:male", tier="high")
    assert paid(high) == [D(400), D(400)]  # men pay until 65
    assert r.confidence == "high"


def test_tibet_2026_tiers(book: RateBook) -> None:
    # P109-P110 (札达县医保局, high): low 240 / high 400.
    assert price(book, "西藏", 2026, "40").total_paid == D(240)
    assert price(book, "西藏", 2026, "40", tier="high").total_paid == D(400)


# --- North-west -------------------------------------------------------------------------


def test_shaanxi_assisted(book: RateBook) -> None:
    # rates/cn/shaanxi.toml 2026 (P114-P116, medium): 400; 低保/监测/返贫 110; 特困/孤儿 0.
    r = price(book, "陕西", 2026, "45", "50:returned_poverty", "10:orphan")
    assert paid(r) == [D(400), D(110), D(0)]
    # 2024 (P111 high, P112 medium): 380; 低保 at most 50% of 380 = 190.
    assert paid(price(book, "陕西", 2024, "45", "50:dibao")) == [D(380), D(190)]


def test_gansu_classified_assistance(book: RateBook) -> None:
    # rates/cn/gansu.toml 2025 (R85 low; P122-P125 兰州本地宝, medium): 400; class 1-2 低保 90
    # (subsidy 310); class 3-4 低保 / 监测 150 (subsidy 250); 低保边缘/脱贫 300 (subsidy 100);
    # 特困 0.
    r = price(book, "甘肃", 2025, "45", "50:dibao", "50:monitored", "40:dibao_edge", "70:tekun")
    assert paid(r) == [D(400), D(90), D(150), D(300), D(0)]
    assert r.total_paid == D(940)  # 400 + 90 + 150 + 300 + 0
    # 2024 (P117-P121, 甘肃省医保局, high): 380; 70 / 130 / 280.
    r24 = price(book, "甘肃", 2024, "45", "50:dibao", "50:monitored", "40:poverty_exit")
    assert paid(r24) == [D(380), D(70), D(130), D(280)]
    assert r24.confidence == "high"


def test_qinghai_2026_late_enrollment(book: RateBook) -> None:
    # rates/cn/qinghai.toml 2026 (P127-P128, 青海省医保局, high): 400, fiscal 700; from
    # 2026-07-01 the person pays 700 + 400 = 1100, no subsidy.
    r = price(book, "青海", 2026, "45", "12:student")
    assert r.total_paid == D(800)  # 2 x 400
    assert r.total_subsidy == D(1400)  # 2 x 700
    late = price(book, "青海", 2026, "45", "12:student", late=True)
    assert paid(late) == [D(1100), D(1100)]
    assert late.total_paid == D(2200)
    assert late.confidence == "high"
    # 2025 (P126, 西宁市城中区, high): 400 (the national standard).
    assert price(book, "青海", 2025, "45").total_paid == D(400)


def test_ningxia_2024_assisted(book: RateBook) -> None:
    # rates/cn/ningxia.toml 2024 (P130-P134, 有家健康网, low): 380; 低保/重点优抚/监测 75;
    # grade 3 disability 110; 未纳入监测的脱贫人口 200; 特困 0.
    r = price(book, "宁夏", 2024, "45", "50:dibao", "40:disabled3", "40:poverty_exit", "70:tekun")
    assert paid(r) == [D(380), D(75), D(110), D(200), D(0)]
    assert r.total_paid == D(765)  # 380 + 75 + 110 + 200 + 0
    assert price(book, "宁夏", 2025, "45").total_paid == D(400)  # P129


def test_xinjiang_2024_and_urumqi_ltc(book: RateBook) -> None:
    # rates/cn/xinjiang.toml 2024 (R101-R104, low): 380; 低保/监测/稳定脱贫 95 (75%); grade 3-4
    # disability 190 (50%).
    x = price(book, "新疆", 2024, "45", "50:dibao", "40:disabled4")
    assert paid(x) == [D(380), D(95), D(190)]
    # rates/cn/xinjiang/urumqi.toml 2025 (P136, low): 440 incl. 40 长期护理保险; 特困 0.
    u = price(book, "乌鲁木齐", 2025, "45", "70:tekun")
    assert paid(u) == [D(440), D(0)]
    assert u.members[0].components == {"ltc": D(40)}  # 400 medical + 40 LTC
    # 2024 (P135): 420 incl. 40 LTC; 低保 84 (incl. 8 LTC); 稳定脱贫 210 (incl. 20 LTC).
    u24 = price(book, "乌鲁木齐", 2024, "45", "50:dibao", "40:poverty_exit")
    assert paid(u24) == [D(420), D(84), D(210)]


def test_calculate_on_a_schedule_matches_assess(book: RateBook) -> None:
    # The household-independent schedule priced directly: Hunan 2026, 2 x 400 = 800.
    result = calculate(book.schedule("cn/hunan", 2026), build_household(["45", "12:student"]))
    assert result.total_paid == D(800)
    assert result.collection_start is not None and result.collection_start.isoformat() == "2025-09-01"


def test_thirty_of_thirty_one_provinces_have_rates(book: RateBook) -> None:
    # Every province-level file has a year in itself or in a city under it, except Hainan.
    provinces = [r for r in book.region_ids() if book.region(r).data.region.level == "province"]
    assert len(provinces) == 31
    without = [
        p
        for p in provinces
        if not any(book.years(r) for r in book.region_ids() if r == p or r.startswith(p + "/"))
    ]
    assert without == ["cn/hainan"]
