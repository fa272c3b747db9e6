"""Plausibility warnings of ``rates validate`` (:mod:`premium_calc.upkeep.plausibility`): each rule
fires on a fixture with its exact message, stays quiet inside its band, and the shipped data
gives exactly the reviewed warnings.

Fixtures build on the test national file (380 / subsidy 640 for coverage 2024, 400 / 670 for
2025, the real national figures).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.ratebook.book import RateBook
from premium_calc.upkeep.validate import validate

from .fixtures import NATIONAL

RULES = {"change-band", "subsidy-minimum", "province-band", "policy-same-year", "window-inside"}
SOURCE = 'source = { title = "notice", url = "https://example.org/n", confidence = "high" }'


def head(level: str = "province", parent: str = "cn") -> str:
    return f'[region]\nname = {{ zh = "某地", en = "Place" }}\nparent = "{parent}"\nlevel = "{level}"\n'


def year(coverage: int, amount: str = "400", extra: str = "", category: str = "") -> str:
    cat = category or f'\n  [[year.category]]\n  id = "resident"\n  individual = {amount}\n'
    return f"\n[[year]]\ncoverage = {coverage}\n{SOURCE}\n{extra}{cat}"


def found(tmp_path: Path, files: dict[str, str], target: str = "cn/p.toml", lang: str = "en") -> list[str]:
    """The plausibility warnings of ``target``, rendered with the path under the fixture root."""
    for name, text in {"cn.toml": NATIONAL, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    book = RateBook([tmp_path], include_bundled=False, use_env=False)
    out = []
    for p in validate(book, [tmp_path / target]):
        if p.rule in RULES:
            assert p.severity == "warning"
            out.append(f"{p.rule} " + p.render(target, lang=lang))
    return out


# --- change-band -------------------------------------------------------------------------


def test_a_rise_beyond_30_percent_is_flagged_at_the_value(tmp_path: Path) -> None:
    files = {"cn/p.toml": head() + year(2024, "380") + year(2025, "4000")}
    assert found(tmp_path, files) == [
        "change-band cn/p.toml:20:3: year[1].category[0].individual: category 'resident': 4,000 in coverage"
        " year 2025, +953% on 380 in 2024 (expected a rise of at most 30% from one year to the next;"
        " check the figure and its year)"
    ]
    assert found(tmp_path, files, lang="zh") == [
        "change-band cn/p.toml:20:3: year[1].category[0].individual: 类别 'resident'：2025年度是 4,000 元，"
        "比2024年度的 380 元变了 +953%（一年一般涨不到30%；请核对这个数和它的年度）"
    ]


def test_a_subsidy_rise_is_flagged_and_a_rise_inside_the_band_is_not(tmp_path: Path) -> None:
    files = {
        "cn/p.toml": head()
        + year(2024, "380", "subsidy = 640\n")
        + year(2025, "480", "subsidy = 6700\n")  # 380 -> 480 is +26%: inside the band
    }
    assert found(tmp_path, files) == [
        "change-band cn/p.toml:18:1: year[1].subsidy: the fiscal subsidy: 6,700 in coverage year 2025,"
        " +947% on 640 in 2024 (expected a rise of at most 30% from one year to the next;"
        " check the figure and its year)"
    ]


def test_a_small_step_in_yuan_is_not_flagged_however_large_in_percent(tmp_path: Path) -> None:
    def college(amount: int) -> str:
        return f'\n  [[year.category]]\n  id = "college"\n  individual = {amount}\n  below_minimum = true\n'

    files = {"cn/p.toml": head() + year(2024, category=college(100)) + year(2025, category=college(150))}
    assert found(tmp_path, files) == []  # +50%, but 50 yuan (under the 100-yuan floor)


def test_any_fall_is_flagged(tmp_path: Path) -> None:
    files = {"cn/p.toml": head() + year(2024, "500") + year(2025, "450")}
    assert found(tmp_path, files) == [
        "change-band cn/p.toml:20:3: year[1].category[0].individual: category 'resident': 450 in coverage"
        " year 2025, -10% on 500 in 2024 (expected no fall: premiums and subsidies rarely go down;"
        " check the figure and its year)"
    ]


def test_only_against_the_year_before_and_not_against_a_national_stand_in(tmp_path: Path) -> None:
    # 2023 -> 2025 is not year to year; the city's 2024 subsidy is the national 640 standing in.
    files = {
        "cn/p.toml": head() + year(2024, "380") + year(2025, "400"),
        "cn/p/c.toml": head("city", "cn/p") + year(2024, "380") + year(2025, "420", "subsidy = 956\n"),
    }
    assert found(tmp_path, files, "cn/p/c.toml") == []


# --- subsidy-minimum ---------------------------------------------------------------------


def test_a_subsidy_below_the_national_one_is_flagged(tmp_path: Path) -> None:
    files = {"cn/p.toml": head() + year(2025, "400", "subsidy = 600\n")}
    assert found(tmp_path, files) == [
        "subsidy-minimum cn/p.toml:9:1: year[0].subsidy: the fiscal subsidy is 600, below the national"
        " subsidy 670 for coverage year 2025 (expected at least 670 per person;"
        " check the figure and its year)"
    ]
    assert found(tmp_path, files, lang="zh") == [
        "subsidy-minimum cn/p.toml:9:1: year[0].subsidy: 财政补助是 600 元，"
        "低于2025年度国家规定的人均财政补助 670 元（应不少于 670 元；请核对这个数和它的年度）"
    ]


def test_a_category_subsidy_below_it_counts_only_when_no_category_reaches_it(tmp_path: Path) -> None:
    def cats(college: int, other: int) -> str:
        return (
            f'\n  [[year.category]]\n  id = "college"\n  when = {{ college = true }}\n  individual = 400\n'
            f"  subsidy = {college}\n"
            f'\n  [[year.category]]\n  id = "resident"\n  individual = 400\n  subsidy = {other}\n'
        )

    assert found(tmp_path, {"cn/p.toml": head() + year(2025, category=cats(330, 750))}) == []
    assert found(tmp_path, {"cn/p.toml": head() + year(2025, category=cats(330, 600))}) == [
        "subsidy-minimum cn/p.toml:14:3: year[0].category[0].subsidy: the fiscal subsidy of category"
        " 'college' is 330, below the national subsidy 670 for coverage year 2025 (expected at least 670"
        " per person; check the figure and its year)",
        "subsidy-minimum cn/p.toml:19:3: year[0].category[1].subsidy: the fiscal subsidy of category"
        " 'resident' is 600, below the national subsidy 670 for coverage year 2025 (expected at least 670"
        " per person; check the figure and its year)",
    ]


# --- province-band -----------------------------------------------------------------------


def test_a_city_amount_far_from_its_province_is_flagged(tmp_path: Path) -> None:
    province = {"cn/p.toml": head() + year(2025, "400")}
    high = {**province, "cn/p/c.toml": head("city", "cn/p") + year(2025, "900")}
    assert found(tmp_path, high, "cn/p/c.toml") == [
        "province-band cn/p/c.toml:12:3: year[0].category[0].individual: category 'resident' pays 900, more"
        " than 2 times the 400 of Place for coverage year 2025 (expected at most 2x the province's amount;"
        " check for a digit too many)"
    ]
    low = {**province, "cn/p/c.toml": head("city", "cn/p") + year(2025, "40")}
    assert [p.split(": ", 2)[1] for p in found(tmp_path, low, "cn/p/c.toml")] == [
        "year[0].category[0].individual"
    ]
    assert found(tmp_path, low, "cn/p/c.toml", lang="zh")[0].endswith(
        "类别 'resident'：个人缴费 40 元，不到某地2025年度 400 元的0.5倍"
        "（一般不低于全省标准的0.5倍；请看看是不是少写了一位数）"
    )
    inside = {**province, "cn/p/c.toml": head("city", "cn/p") + year(2025, "790")}
    assert found(tmp_path, inside, "cn/p/c.toml") == []


def test_no_province_band_where_the_province_has_no_entry_for_the_year(tmp_path: Path) -> None:
    files = {
        "cn/p.toml": head() + year(2024, "380"),
        "cn/p/c.toml": head("city", "cn/p") + year(2025, "1000"),  # against cn's 400: a floor
    }
    assert found(tmp_path, files, "cn/p/c.toml") == []


# --- policy-same-year, window-inside ----------------------------------------------------


def test_policy_equal_to_coverage_is_flagged(tmp_path: Path) -> None:
    files = {"cn/p.toml": head() + year(2025, extra="policy = 2025\n")}
    assert found(tmp_path, files) == [
        "policy-same-year cn/p.toml:9:1: year[0].policy: notice year 2025 is the coverage year itself"
        " (expected policy = 2024: a notice of year N sets what people pay for coverage year N+1)"
    ]
    assert found(tmp_path, {"cn/p.toml": head() + year(2025, extra="policy = 2024\n")}) == []


def test_a_window_of_the_next_year_is_flagged_and_usual_windows_are_not(tmp_path: Path) -> None:
    def window(start: str, end: str) -> dict[str, str]:
        return {"cn/p.toml": head() + year(2025, extra=f"collection = {{ start = {start}, end = {end} }}\n")}

    assert found(tmp_path, window("2025-09-01", "2025-12-31")) == [
        "window-inside cn/p.toml:9:16: year[0].collection.start: the collection window 2025-09-01 to"
        " 2025-12-31 lies inside coverage year 2025 and runs into its second half (expected a window before"
        " or at the start of 2025; is it the window of coverage year 2026?)"
    ]
    assert found(tmp_path, window("2024-09-01", "2025-03-31")) == []  # into the first months: normal
    assert found(tmp_path, window("2025-02-01", "2025-06-30")) == []  # inside, but the first half only


# --- the command and the shipped data ----------------------------------------------------


def test_warnings_do_not_change_the_exit_status(tmp_path: Path) -> None:
    for name, text in {
        "cn.toml": NATIONAL,
        "cn/p.toml": head() + year(2025, extra="policy = 2025\n"),
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["rates", "validate", str(tmp_path / "cn" / "p.toml")])
    assert result.exit_code == 0, result.stdout
    assert "year[0].policy: notice year 2025 is the coverage year itself" in result.stdout
    assert "errors: 0; warnings: 1" in result.stdout


def test_the_shipped_data_gives_exactly_the_reviewed_warnings() -> None:
    book = RateBook(include_bundled=True, use_env=False)
    shipped = book.dirs[-1]
    got = [
        (p.rule, str(Path(p.file).relative_to(shipped)), p.line, p.key)
        for p in validate(book)
        if p.rule in RULES
    ]
    # Shenzhen 2024: the children's window (September 2024) of the school year 2024-09..2025-08,
    # entered as coverage 2024; the file's note says so.
    assert got == [("window-inside", "cn/guangdong/shenzhen.toml", 35, "year[0].collection.start")]
