"""Benefit files (``rates/benefits/**/*.toml``) and their resolution by the :class:`BenefitBook`:
every bundled file parses, the national figures are the bulletins', sections are inherited child
first (a city without its own rule gets the province's or the national one, and says so), and a
bad file is a RateFileError naming its file and line.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from premium_calc.errors import OptionError, RateFileError
from premium_calc.ratebook.benefits import BenefitBook, Resolved, load_benefit_file, path_chain
from premium_calc.ratefiles.benefit_model import SECTIONS, BenefitFile, InpatientSection
from premium_calc.ratefiles.model import Source, english
from premium_calc.ratefiles.reading import BENEFITS_DIR, bundled_rates_dir

D = Decimal
BENEFITS = bundled_rates_dir() / BENEFITS_DIR
GUIZHOU_CITY = ["cn", "cn/guizhou", "cn/guizhou/liupanshui"]  # a city without a benefit file
BIJIE = ["cn", "cn/guizhou", "cn/guizhou/bijie"]


@pytest.fixture(scope="module")
def bb() -> BenefitBook:
    return BenefitBook()


def _line(path: Path, text: str, *, after: str) -> int:
    """The number of the first line that is ``text``, after the first line that is ``after``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(after)
    return lines.index(text, start) + 1


def _sources(value: object) -> list[Source]:
    from premium_calc.ratebook.benefits import _sources as walk

    return list(walk(value))


# --- every bundled file ------------------------------------------------------------------------


def test_the_bundled_tree_has_the_regions_of_the_reference(bb: BenefitBook) -> None:
    assert {
        "cn",
        "cn/beijing",
        "cn/shanghai",
        "cn/zhejiang/hangzhou",
        "cn/guangdong/shenzhen",
        "cn/henan/zhengzhou",
        "cn/sichuan",
        "cn/sichuan/chengdu",
        "cn/guizhou",
        "cn/guizhou/guiyang",
        "cn/guizhou/bijie",
    } <= set(bb.region_ids())


@pytest.mark.parametrize(
    "path", sorted(BENEFITS.rglob("*.toml")), ids=lambda p: p.relative_to(BENEFITS).as_posix()
)
def test_every_bundled_benefit_file_parses(path: Path) -> None:
    region = path.relative_to(BENEFITS).with_suffix("").as_posix()
    parsed = load_benefit_file(path, region)
    assert isinstance(parsed, BenefitFile) and parsed.year
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# rates/benefits/{region}.toml: "), "a comment header naming the file"
    assert "# Sources:" in text and "Missing" in text, "the header lists the sources and what is missing"
    cites_folder = re.search(r"shared/reference|/work/|\.csv\b", text, re.IGNORECASE)
    assert not cites_folder, "cite the sources, not the reference folder"
    for entry in parsed.year:
        for name in SECTIONS:
            section = entry.section(name)
            if section is None:
                continue
            if section.missing is not None:
                assert english(section.missing).strip()
                continue
            assert section.source or entry.source, (region, entry.coverage, name)


def test_compilation_rows_are_low_and_say_so(bb: BenefitBook) -> None:
    """Rows from the CityInsuranceData compilation are low confidence, with a warning note."""
    seen = 0
    for region in bb.region_ids():
        data = bb.file(region)
        assert data is not None
        for source in _sources(data):
            if "CityInsuranceData" in source.title:
                seen += 1
                assert source.confidence == "low", region
                assert source.note is not None and "Low-quality compilation" in english(source.note), region
                assert source.url is None, "the compilation's 'official URLs' are placeholders"
    assert seen >= 8


def test_guiyang_is_not_bijie(bb: BenefitBook) -> None:
    bijie = bb.file("cn/guizhou/bijie")
    assert bijie is not None
    for entry in bijie.year:
        for name in SECTIONS:
            section = entry.section(name)
            assert section is None or section.missing is not None, "Bijie has no sourced value"
    rules = bb.rules(BIJIE, 2025)
    for resolved in rules.sections().values():
        assert resolved.origin is None or resolved.origin.region != "cn/guizhou/guiyang"
    guiyang = bb.rules(["cn", "cn/guizhou", "cn/guizhou/guiyang"], 2025).inpatient
    assert guiyang.origin is not None and guiyang.origin.region == "cn/guizhou/guiyang"
    assert guiyang.value is not None
    assert [r.deductible for r in guiyang.value.rules_for("tertiary")] == [800, 1400]


# --- the national file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "stored", "rounded", "spending", "enrollees"),
    [(2024, "1125.7", 1126, "10661.49", "94713.73"), (2025, "1133.5", 1133, "10678.63", "94213.27")],
)
def test_national_fund_spending_per_enrollee(
    bb: BenefitBook, year: int, stored: str, rounded: int, spending: str, enrollees: str
) -> None:
    national = bb.rules(["cn"], year).national
    assert national.origin is not None and (national.origin.region, national.origin.coverage) == ("cn", year)
    assert national.national_floor
    figures = national.value
    assert figures is not None
    assert figures.spending_per_enrollee is not None and figures.spending_per_enrollee.derived
    assert figures.spending_per_enrollee.value == D(stored)
    assert figures.fund_spending is not None and figures.fund_spending.value == D(spending)
    assert figures.enrollees is not None and figures.enrollees.value == D(enrollees)
    # 亿元 / 万人 -> 元 per enrollee: the bulletins' totals give the stored figure to 0.1 yuan and the
    # whole yuan of the published table (1133.46 is 1133, although the stored 1133.5 would round up).
    exact = figures.fund_spending.value * 10_000 / figures.enrollees.value
    assert exact.quantize(D("0.1"), ROUND_HALF_UP) == D(stored)
    assert exact.quantize(D(1), ROUND_HALF_UP) == rounded


def test_national_figures_of_the_bulletins(bb: BenefitBook) -> None:
    n2023 = bb.rules(["cn"], 2023).national.value
    assert n2023 is not None
    assert n2023.stays_per_100 is not None and n2023.stays_per_100.value == D("20.7")
    assert n2023.cost_per_stay is not None and n2023.cost_per_stay.value == 7674
    assert n2023.realised_ratio is not None and n2023.realised_ratio.value == D("0.681")
    by_level = n2023.realised_ratio_by_level
    assert by_level is not None
    assert {k: v.value for k, v in by_level.items()} == {
        "tertiary": D("0.632"),
        "secondary": D("0.724"),
        "primary": D("0.808"),
    }
    later = bb.rules(["cn"], 2030).national  # the latest year at or before the one asked
    assert later.origin is not None and later.origin.coverage == 2025
    assert later.value is not None and later.value.cost_per_stay is not None
    assert later.value.cost_per_stay.value == 7339
    assert later.confidence == "low"  # the weakest figure inside (level 3 ratio, overall share)


def test_national_rules(bb: BenefitBook) -> None:
    rules = bb.rules(["cn"], 2026)
    waiting = rules.waiting.value
    assert waiting is not None and (waiting.base_months, waiting.months_per_break_year) == (3, 1)
    assert rules.waiting.confidence == "high"
    inpatient = rules.inpatient.value
    assert inpatient is not None and inpatient.kind == "target"
    assert [r.ratio for r in inpatient.rule] == [D("0.70")]
    critical = rules.critical_illness.value
    assert critical is not None and critical.kind == "floor"
    assert critical.deductible_income_share == D("0.5") and critical.bands[0].ratio == D("0.6")
    assert critical.incentive is not None and critical.incentive.per_continuous_year == 1000
    (tilt,) = critical.assisted
    assert (tilt.deductible_cut, tilt.ratio_points, tilt.no_cap) == (D("0.5"), D("0.05"), True)
    assert bb.rules(["cn"], 2025).inpatient.found is False  # the target starts in 2026


# --- inheritance --------------------------------------------------------------------------------


def test_a_guizhou_city_without_its_own_rules_inherits_them_flagged(bb: BenefitBook) -> None:
    rules = bb.rules(GUIZHOU_CITY, 2025)
    outpatient = rules.outpatient
    assert outpatient.origin is not None
    assert (outpatient.origin.region, outpatient.origin.coverage) == ("cn/guizhou", 2024)
    assert not outpatient.national_floor and outpatient.confidence == "low"
    assert outpatient.value is not None and outpatient.value.annual_cap == 500
    assert [r.ratio for r in outpatient.value.rules_for("primary")] == [D("0.90"), D("0.85")]
    critical = rules.critical_illness
    assert critical.origin is not None and critical.origin.region == "cn" and critical.national_floor
    # Guizhou says its local inpatient rule is unknown: no rule in 2025, the reason is kept ...
    assert not rules.inpatient.found and rules.inpatient.missing is not None
    assert [g.origin.region for g in rules.inpatient.gaps] == ["cn/guizhou"]
    assert "省内异地" in english(rules.inpatient.missing)
    # ... and from 2026 the national target answers, flagged, with the province's gap recorded.
    later = bb.rules(GUIZHOU_CITY, 2026).inpatient
    assert later.found and later.national_floor and later.origin is not None
    assert (later.origin.region, later.origin.coverage) == ("cn", 2026)
    assert [g.origin.region for g in later.gaps] == ["cn/guizhou"]
    assert later.missing is None
    # Guizhou's outpatient source vouches for 2024-2025 only.
    assert bb.rules(GUIZHOU_CITY, 2026).outpatient.beyond_source


def test_bijie_records_its_own_gaps_first(bb: BenefitBook) -> None:
    inpatient = bb.rules(BIJIE, 2026).inpatient
    assert inpatient.national_floor
    assert [(g.origin.region, g.origin.coverage) for g in inpatient.gaps] == [
        ("cn/guizhou/bijie", 2022),
        ("cn/guizhou", 2024),
    ]
    early = bb.rules(BIJIE, 2025).inpatient
    assert early.missing is not None and "Bijie" in english(early.missing)


def test_the_nearest_region_wins_over_a_newer_parent(bb: BenefitBook) -> None:
    chengdu = bb.rules(["cn", "cn/sichuan", "cn/sichuan/chengdu"], 2025)
    critical = chengdu.critical_illness
    assert critical.origin is not None and (critical.origin.region, critical.origin.coverage) == (
        "cn/sichuan/chengdu",
        2023,
    )
    assert critical.value is not None and [b.up_to for b in critical.value.bands] == [68000, 118000, None]
    chronic = chengdu.chronic  # the city has none: the province's 两病 floor
    assert chronic.origin is not None and chronic.origin.region == "cn/sichuan"
    assert chronic.value is not None and chronic.value.kind == "floor"
    aba = bb.rules(["cn", "cn/sichuan", "cn/sichuan/aba"], 2025).critical_illness
    assert aba.origin is not None and aba.origin.region == "cn/sichuan"
    assert aba.value is not None and aba.value.cap == 300000


def test_the_latest_year_at_or_before_the_one_asked(bb: BenefitBook) -> None:
    chain = ["cn", "cn/beijing"]

    def inpatient(year: int) -> Resolved[InpatientSection]:
        return bb.rules(chain, year).inpatient

    r2020, r2024 = inpatient(2020), inpatient(2024)
    assert r2020.origin is not None and r2020.origin.coverage == 2018 and r2020.confidence == "low"
    assert r2024.origin is not None and r2024.origin.coverage == 2023 and r2024.confidence == "medium"
    assert r2024.value is not None
    assert sorted(r.deductible for r in r2024.value.rules_for("tertiary") if r.deductible) == [650, 1300]
    assert r2024.origin.key_text == "year[2].inpatient"
    assert r2024.origin.line() == _line(r2024.origin.file, "  [year.inpatient]", after="coverage = 2023")
    before = inpatient(2017)
    assert not before.found and before.origin is None and before.missing is None
    assert path_chain("cn/guizhou/bijie") == tuple(BIJIE)


def test_a_weaker_row_lowers_the_section_confidence(bb: BenefitBook) -> None:
    outpatient = bb.rules(["cn", "cn/shanghai"], 2024).outpatient
    assert outpatient.origin is not None and outpatient.origin.confidence == "medium"
    assert outpatient.confidence == "low"  # the by-level ratios are the compilation's


def test_rules_refuses_a_chain_given_as_text(bb: BenefitBook) -> None:
    with pytest.raises(OptionError):
        bb.rules("cn/guizhou", 2025)  # a str is a Sequence[str]: refused all the same
    with pytest.raises(OptionError):
        bb.rules(["cn"], "2025")  # type: ignore[arg-type]


# --- bad files ----------------------------------------------------------------------------------

_GOOD = """\
# a test file
[[year]]
coverage = 2025
source = { title = "test", confidence = "low" }

  [year.inpatient]
  annual_cap = 100000

    [[year.inpatient.rule]]
    level = "primary"
    deductible = 100
    ratio = 0.8
"""


def _book(tmp_path: Path, text: str, region: str = "cn/test") -> tuple[BenefitBook, Path]:
    path = tmp_path / BENEFITS_DIR / f"{region}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return BenefitBook([tmp_path]), path


def test_a_good_test_file_resolves(tmp_path: Path) -> None:
    book, _ = _book(tmp_path, _GOOD)
    rules = book.rules(["cn", "cn/test"], 2025)
    assert rules.inpatient.origin is not None and rules.inpatient.origin.region == "cn/test"
    assert not rules.outpatient.found  # no cn.toml in this directory


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "words"),
    [
        ("ratio = 0.8", "ratio = 1.5", 12, "year[0].inpatient.rule[0].ratio", "at most 1"),
        ("deductible = 100", "deductable = 100", 11, "year[0].inpatient.rule[0].deductable", "unknown key"),
        ('level = "primary"', 'level = "township"', 10, "year[0].inpatient.rule[0].level", "'primary'"),
        ("annual_cap = 100000", "annual_cap = 1e8", 7, "year[0].inpatient.annual_cap", "at most"),
        ("ratio = 0.8", "ratio = 0.1234567", 12, "year[0].inpatient.rule[0].ratio", "decimals"),
        ("annual_cap = 100000", 'annual_cap = 1\n  missing = "unknown"', 6, "year[0].inpatient", "missing"),
    ],
)
def test_a_bad_file_names_its_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, key: str, words: str
) -> None:
    assert old in _GOOD
    book, path = _book(tmp_path, _GOOD.replace(old, new))
    with pytest.raises(RateFileError) as info:
        book.rules(["cn", "cn/test"], 2025)
    error = info.value
    assert (error.file, error.line, error.key, error.rule) == (str(path), line, key, "schema")
    assert words in error.detail
    assert f"{path}:{line}" in str(error)


def test_national_figures_only_in_the_national_file(tmp_path: Path) -> None:
    text = _GOOD + "\n  [year.national]\n  stays_per_100 = { value = 20.7 }\n"
    book, path = _book(tmp_path, text)
    with pytest.raises(RateFileError) as info:
        book.file("cn/test")
    assert (info.value.file, info.value.line, info.value.key) == (str(path), 14, "year[0].national")
    cn_book, _ = _book(tmp_path / "other", text, region="cn")
    national = cn_book.rules(["cn"], 2025).national
    assert national.value is not None and national.value.stays_per_100 is not None


def test_a_coverage_year_given_twice_and_a_toml_error(tmp_path: Path) -> None:
    book, path = _book(tmp_path, _GOOD + "\n" + _GOOD.split("\n", 1)[1])
    with pytest.raises(RateFileError) as info:
        book.file("cn/test")
    assert info.value.file == str(path) and "twice" in info.value.detail
    book, path = _book(tmp_path / "toml", _GOOD.replace("ratio = 0.8", "ratio = = 0.8"))
    with pytest.raises(RateFileError) as info:
        book.file("cn/test")
    assert (info.value.file, info.value.line, info.value.rule) == (str(path), 12, "toml")
