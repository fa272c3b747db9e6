"""One household under a reform: the Bijie family of four (coverage 2025, 14,000 yuan) under
every shipped example, hand-worked; ReformedBook through ``assess`` and population pricing;
origins and sources of reformed values; assistance; unknown income; exemptions."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from premium_calc import RateBook, assess, build_household
from premium_calc.analyses.reform import ReformedBook, assess_reform, find_reform, load_reform
from premium_calc.analyses.reform.loading import settings_reform
from premium_calc.errors import ReformFileError

FAMILY = ["45", "42:female", "12:student", "70"]
D = Decimal

#: Bijie 2025: every member pays 400 (subsidy 670); income 14,000, 3,500 per capita; 3 adults
#: (45, 42, 70) and a child (12). Baseline: paid 1,600, subsidy 2,680, burden 1600/14000 = 11.43%.
#: (reform id, paid per member, total paid, total subsidy, burden ratio, arithmetic)
CASES = [
    ("subsidy_724", ["400"] * 4, "1600", "2776", "0.1143", "670 + 24 = 694; x 4 = 2776; paid the same"),
    ("shenzhen_style_share", ["24.50"] * 4, "98.00", "2680", "0.0070", "3500 x 0.7% = 24.50; x 4 = 98"),
    (
        "wang_household_income_share", ["105.00"] * 4, "420.00", "2680", "0.0300",
        "14000 x 3% = 420 (above the 100 floor) split by 4 = 105; 420/14000",
    ),
    ("japan_style_reductions", ["120.00"] * 4, "480.00", "2680", "0.0343", "3500 < 4000: 400 x 30% = 120"),
    (
        "income_brackets", ["200.00", "200.00", "0", "200.00"], "600.00", "2680", "0.0429",
        "3500 < 5000: 200 a payer; at most 3 payers, adults first: the child pays 0; 600/14000",
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def family():  # type: ignore[no-untyped-def]
    return build_household(FAMILY, income=14000)


@pytest.mark.parametrize(("reform_id", "each", "total", "subsidy", "burden", "why"), CASES)
def test_bijie_family_under_each_example(
    book: RateBook, family, reform_id: str, each: list[str], total: str, subsidy: str, burden: str, why: str
) -> None:  # type: ignore[no-untyped-def]
    reform = load_reform(find_reform(reform_id))
    result = assess_reform(book, "毕节", 2025, family, reform)
    assert result.baseline.total_paid == D(1600) and result.baseline.burden_ratio == D("0.1143"), why
    assert result.baseline_fiscal_cost == D(2680)
    assert [m.paid for m in result.reform.members] == [D(x) for x in each], why
    assert result.reform.total_paid == D(total), why
    assert result.reform.total_subsidy == D(subsidy), why
    assert result.reform.burden_ratio == D(burden), why
    assert result.change.total_paid == D(total) - D(1600)
    assert result.change.fiscal_cost == D(subsidy) - D(2680)  # no assistance in this family
    assert result.reform_fiscal_cost == D(subsidy)
    info = result.reform_info
    assert info.id == reform_id and info.scenario and info.confidence == "scenario"
    assert info.illustrative == (reform_id != "subsidy_724")
    # The reform side never presents the notice's source first, nor its confidence as fact.
    assert "Reform scenario" in result.reform.sources[0].title
    assert result.reform.notes[0].key == "note.reform_scenario"


def test_cliff_is_reported(book: RateBook, family) -> None:  # type: ignore[no-untyped-def]
    result = assess_reform(book, "毕节", 2025, family, load_reform(find_reform("income_brackets")))
    assert result.reform_info.cliffs == [[D(5000), D(200), D(150)]]
    cliff = [n for n in result.notes if n.key == "note.reform_cliff"]
    assert cliff and "5000" in str(cliff[0]) and "150" in str(cliff[0])
    assert [m.contribution for m in result.change.members] == ["charged", "charged", "beyond_cap", "charged"]


def test_reformed_book_works_through_assess(book: RateBook, family) -> None:  # type: ignore[no-untyped-def]
    reform = load_reform(find_reform("subsidy_724"))
    reformed = ReformedBook(book, reform)
    result = assess(reformed, "毕节", 2025, family)
    assert result.total_subsidy == D(2776) and result.total_paid == D(1600)
    schedule = reformed.standard("毕节", 2025)
    origin = schedule.subsidy_origin
    assert origin is not None and origin.file == reform.file and origin.key_text == "change[0].value"
    assert "Reform scenario" in origin.source.title and origin.source.confidence == "low"
    assert schedule.categories[0].subsidy == D(694)
    assert book.standard("毕节", 2025).subsidy == D(670)  # the base book is untouched
    assert reformed.changed_keys("毕节", 2025) == ["subsidy"]
    again = pickle.loads(pickle.dumps(reformed))
    assert again.standard("毕节", 2025).subsidy == D(694)


def test_quick_settings_and_category_keys(book: RateBook, family) -> None:  # type: ignore[no-untyped-def]
    result = assess(ReformedBook(book, settings_reform(["individual=300"])), "毕节", 2025, family)
    assert result.total_paid == D(1200)
    # -10% of 400 = 360; the member's amount has the reform as its source
    reformed = ReformedBook(book, settings_reform(["category.resident.individual=-10%", "subsidy=+100"]))
    result = assess(reformed, "毕节", 2025, family)
    assert result.total_paid == D(1440) and result.total_subsidy == D(3080)  # 4 x 360; 4 x 770
    assert "Reform scenario" in result.sources[result.members[0].source or 0].title
    with pytest.raises(ReformFileError, match="no category 'nope'"):
        ReformedBook(book, settings_reform(["category.nope.individual=1"])).standard("毕节", 2025)


def test_years_and_regions_limit_a_change(book: RateBook, family) -> None:  # type: ignore[no-untyped-def]
    from premium_calc.analyses.reform.model import ChangeEntry

    base = settings_reform(["subsidy=+24"])
    only_2027 = base.model_copy(update={"change": (ChangeEntry(key="subsidy", value="+24", years=(2027,)),)})
    assert ReformedBook(book, only_2027).standard("毕节", 2025).subsidy == D(670)
    henan = base.model_copy(update={"change": (ChangeEntry(region="cn/henan", key="subsidy", value="+24"),)})
    assert ReformedBook(book, henan).standard("毕节", 2025).subsidy == D(670)
    guizhou = base.model_copy(
        update={"change": (ChangeEntry(region="cn/guizhou", key="subsidy", value="+24"),)}
    )
    assert ReformedBook(book, guizhou).standard("毕节", 2025).subsidy == D(694)


def test_assistance_rule_change_and_contribution(book: RateBook) -> None:
    """Bijie 2025 leaves dibao's amount unknown (missing); a reform that sets it to pay 50%."""
    home = build_household(["45", "40:dibao"], income=10000)
    base = assess(book, "毕节", 2025, home)
    assert base.members[1].unknown == "assistance" and base.total_paid is None
    reform = settings_reform(["assisted.partial_unknown.pays_share=50%"])
    result = assess_reform(book, "毕节", 2025, home, reform)
    assert [m.paid for m in result.reform.members] == [D(400), D(200)]
    assert result.reform.total_assistance == D(200)
    assert result.reform_fiscal_cost == D(670 * 2 + 200)  # subsidy + assistance
    assert result.baseline_fiscal_cost is None and result.change.fiscal_cost is None  # unknown before
    # and with an income share on top: 10000 x 3% = 300 split by 2 = 150; dibao pays 50% of it
    wang = load_reform(find_reform("wang_household_income_share"))
    both = wang.model_copy(update={"change": reform.change})
    result = assess_reform(book, "毕节", 2025, home, both)
    assert [m.gross for m in result.reform.members] == [D(150), D(150)]
    assert [m.paid for m in result.reform.members] == [D(150), D(75)]


def test_exempt_members_pay_nothing(book: RateBook) -> None:
    home = build_household(["45", "80:tekun"], income=8000)
    wang = load_reform(find_reform("wang_household_income_share"))
    result = assess_reform(book, "毕节", 2025, home, wang)
    # 8000 x 3% = 240, all paid by the one payer; the tekun member is exempt (gross 0)
    assert [m.gross for m in result.reform.members] == [D(240), D(0)]
    assert [m.contribution for m in result.change.members] == ["charged", "exempt"]


def test_unknown_income_uses_the_statistic_and_says_so(book: RateBook) -> None:
    home = build_household(FAMILY)
    reform = load_reform(find_reform("shenzhen_style_share"))
    result = assess_reform(book, "毕节", 2025, home, reform)
    figure = result.baseline.burden.statistic
    assert figure is not None
    each = (figure.value * D("0.007")).quantize(D("0.01"))
    assert [m.paid for m in result.reform.members] == [each] * 4
    assert result.reform_info.contribution_basis == "statistic"
    assert any(n.key == "note.reform_income_statistic" for n in result.notes)


def test_population_pricing_uses_a_reformed_book(book: RateBook) -> None:
    from premium_calc.analyses.population.columns import from_columns
    from premium_calc.analyses.population.pricing import price_population

    population = from_columns({"household": [1, 1, 2], "age": [45, 42, 70]}, region="毕节", year=2025)
    reformed = ReformedBook(book, settings_reform(["individual=300", "subsidy=+24"]))
    before = price_population(book, population)
    after = price_population(reformed, population)
    assert before.paid_fen.tolist() == [80000, 40000]
    assert after.paid_fen.tolist() == [60000, 30000]
    assert after.subsidy_fen.tolist() == [2 * 69400, 69400]
