"""One syntax for changes (``rates set`` and ``--bump``), values that follow them, notes to
review, confidence, formula parts; and an official's whole update of a province, as a test."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc import RateBook
from premium_calc.cli import app
from premium_calc.errors import EditError
from premium_calc.ratefiles.reading import bundled_rates_dir
from premium_calc.upkeep.changes import parse_change
from premium_calc.upkeep.new_year import new_year, parse_bumps
from premium_calc.upkeep.set_value import set_value

URL = "https://example.org/notice-2027"
runner = CliRunner()


@pytest.fixture
def rates(tmp_path: Path) -> Path:
    """A writable copy of the shipped rates (the copy overlays the bundled files)."""
    root = tmp_path / "rates"
    shutil.copytree(bundled_rates_dir() / "cn", root / "cn")
    return root


def book_of(root: Path) -> RateBook:
    return RateBook([root], use_env=False)


def keys(result: object) -> list[str]:
    return [getattr(n, "key", "") for n in getattr(result, "notes", ())]


# --- the syntax -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode", "amount"),
    [("730", "set", None), ("+30", "add", "30"), ("-30", "add", "-30"), ("+5%", "percent", "5"),
     ("-2.5%", "percent", "-2.5"), (" + 30 ", "add", "30")],
)  # fmt: skip
def test_amount_changes(text: str, mode: str, amount: str | None) -> None:
    change = parse_change(text, "money", "subsidy")
    assert change.mode == mode
    assert change.amount == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [("5%", "money", "5% is ambiguous: write +5% or -5%"),
     ("+10%", "rate", "ambiguous for a share"),
     ("+1", "date", "is a relative change, which this key does not take"),
     ("-1", "bool", "is a relative change"),
     ("+1.234", "money", "not an amount")],
)  # fmt: skip
def test_ambiguous_or_impossible_changes_are_refused(text: str, kind: str, message: str) -> None:
    with pytest.raises(EditError, match=message.replace("+", r"\+")):
        parse_change(text, kind, "key")


@given(
    old=st.decimals(min_value=0, max_value=10_000, places=2),
    delta=st.decimals(min_value=0, max_value=1_000, places=2),
)
def test_relative_changes_are_exact(old: Decimal, delta: Decimal) -> None:
    assert parse_change(f"+{delta}", "money", "k").apply(old, "k") == old + delta
    if delta <= old:
        assert parse_change(f"-{delta}", "money", "k").apply(old, "k") == old - delta
    share = min(delta, Decimal(100))
    pct = parse_change(f"+{share}%", "money", "k").apply(old, "k")
    assert pct == pct.quantize(Decimal("0.01"))  # rounded once, to the fen
    assert abs(pct - old * (1 + share / 100)) <= Decimal("0.005")


def test_a_change_below_zero_is_refused() -> None:
    with pytest.raises(EditError, match="would become -10"):
        parse_change("-50", "money", "subsidy").apply(Decimal(40), "subsidy")


def test_a_bump_given_twice_is_refused() -> None:
    with pytest.raises(EditError, match=r"--bump individual is given twice \(\+20 and \+30\)"):
        parse_bumps(["individual=+20", "individual=+30"])
    assert parse_bumps(["individual = +20", "subsidy=-5%"]) == {"individual": "+20", "subsidy": "-5%"}


# --- rates set: relative to the value in force ------------------------------------------


def test_set_plus_30_is_30_more_than_the_value_in_force(rates: Path) -> None:
    """湖南 2026: subsidy 700, late amount 1100 = 400 + 700 (the notice's definition)."""
    result = set_value(book_of(rates), "cn/hunan", 2026, "subsidy", "+30", source_url=URL, dry_run=True)
    assert result.label == "subsidy = 730 (700 +30)"
    assert "subsidy = 730\n" in result.new_text
    assert "late = { amount = 1130," in result.new_text  # 400 + 730
    assert "edit.late_recomputed_sum" in keys(result)
    review = [n for n in result.notes if getattr(n, "key", "") == "edit.note_review"]
    assert [n.fields["key"] for n in review] == ["note", "late.note"]  # both quote 700 and 1100
    # The new value's source is medium (the default) in a high-confidence year: it says so.
    assert result.notes[-1] == (
        "confidence of coverage year 2026: high -> medium (the year shows the lowest confidence of"
        " its values; give --confidence to state the new value's)"
    )
    stated = set_value(
        book_of(rates), "cn/hunan", 2026, "subsidy", "+30", source_url=URL, confidence="high", dry_run=True
    )
    assert stated.notes[-1] == "confidence of coverage year 2026: high (unchanged)"


def test_setting_the_late_amount_itself_is_not_recomputed(rates: Path) -> None:
    result = set_value(book_of(rates), "cn/hunan", 2026, "late.amount", "-100", source_url=URL, dry_run=True)
    assert "late = { amount = 1000," in result.new_text
    assert "edit.late_recomputed_sum" not in keys(result)


def test_a_relative_change_needs_a_value_in_force(rates: Path) -> None:
    # 湖南 2025: no late amount is known (own or inherited).
    assert book_of(rates).schedule("cn/hunan", 2025).late is None
    with pytest.raises(EditError, match="there is no value in force to change by \\+30"):
        set_value(book_of(rates), "cn/hunan", 2025, "late.amount", "+30", source_url=URL)


# --- formula amounts by their parts -----------------------------------------------------


def test_formula_parts_are_editable(rates: Path) -> None:
    """深圳 2026 adult: 6760 x 0.7% x 12 = 567.84."""
    book = book_of(rates)
    result = set_value(
        book, "cn/guangdong/shenzhen", 2026, "category.adult.individual.base", "+3%", source_url=URL
    )
    assert 'individual = { base = 6962.8, rate = "0.7%", months = 12 }' in result.new_text
    cat = next(
        c for c in book_of(rates).schedule("cn/guangdong/shenzhen", 2026).categories if c.id == "adult"
    )
    assert cat.individual == Decimal("584.88")  # 6962.8 x 0.007 x 12 = 584.8752 -> 584.88
    set_value(
        book_of(rates),
        "cn/guangdong/shenzhen",
        2026,
        "category.adult.individual.rate",
        "0.8%",
        source_url=URL,
    )
    cat = next(
        c for c in book_of(rates).schedule("cn/guangdong/shenzhen", 2026).categories if c.id == "adult"
    )
    assert cat.individual == Decimal("668.43")  # 6962.8 x 0.008 x 12 = 668.4288


def test_a_flat_bump_of_a_formula_names_its_parts(rates: Path) -> None:
    with pytest.raises(
        EditError, match=r"base x rate x months: change its parts, e.g. --bump individual.base"
    ):
        new_year(book_of(rates), "cn/guangdong/shenzhen", 2026, 2027, {"individual": "+20"}, dry_run=True)
    result = new_year(
        book_of(rates), "cn/guangdong/shenzhen", 2026, 2027, {"individual.base": "7000"}, dry_run=True
    )
    assert result.new_text.count("individual = { base = 7000,") == 2


def test_a_part_of_a_flat_amount_is_refused(rates: Path) -> None:
    with pytest.raises(EditError, match="is not written as base x rate x months"):
        set_value(book_of(rates), "cn/hunan", 2026, "category.resident.individual.base", "5", source_url=URL)


# --- new-year: dependent values and notes -----------------------------------------------


def test_new_year_bumps_carry_the_late_amount_and_flag_fixed_assistance(rates: Path) -> None:
    result = new_year(
        book_of(rates), "cn/hunan", 2026, 2027, parse_bumps(["individual=+20", "subsidy=+30"]), dry_run=True
    )
    assert "late = { amount = 1150," in result.new_text  # 420 + 730
    assert "edit.late_recomputed_sum" in keys(result)
    fixed = [n for n in result.notes if getattr(n, "key", "") == "edit.assistance_fixed"]
    assert [n.fields["key"] for n in fixed] == ["assisted.half.pays"]  # 200 was half of 400
    review = {
        n.fields["key"]: n.fields["mentions"]
        for n in result.notes
        if getattr(n, "key", "") == "edit.note_review"
    }
    assert review == {"late.note": "1100, 400, 700", "assisted.full.note": "400"}
    assert result.label == "new coverage year 2027 from 2026, bumps individual +20, subsidy +30"


def test_new_year_note_is_written_in_both_languages(rates: Path) -> None:
    result = new_year(book_of(rates), "cn/hunan", 2026, 2027, dry_run=True)
    assert 'note = { zh = "由 premium-calc rates new-year 从 2026 年度复制。' in result.new_text
    assert 'title_zh = "草稿：由 premium-calc rates new-year 从 2026 年度复制' in result.new_text
    assert "edit.late_recomputed_sum" not in keys(result)  # no bumps: nothing follows


# --- an official's update, through the command line -------------------------------------


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_officials_update_of_a_province(rates: Path) -> None:
    """湖南's 2027 notice (hypothetical figures): individual 420, subsidy 730, late amount the
    sum, 低保 pays half. The official copies 2026 with the two changes, follows the command's
    notes (the 50% rule was written as a fixed 200), validates, and prices a family."""
    where = ["--rates-dir", str(rates), "--lang", "en"]
    code, out, err = cli(
        "rates", "new-year", "湖南", "--from", "2026", "--year", "2027", "--bump", "individual=+20",
        "--bump", "subsidy=+30", "--source", URL, "--confidence", "high", *where,
    )  # fmt: skip
    assert code == 0, err
    assert "late.amount 1100 -> 1150 (= individual 420 + subsidy 730)" in out
    assert "assisted.half.pays = 200 is a fixed amount and did not follow the changed premium" in out
    assert "coverage year 2027 will have confidence: high" in out
    code, out, err = cli(
        "rates", "set", "cn/hunan", "2027", "assisted.half.pays_share", "50%", "--source", URL,
        "--confidence", "high", *where,
    )  # fmt: skip
    assert code == 0, err
    assert "assisted.half.pays removed (a rule gives its amount one way only)" in out
    code, out, err = cli("rates", "validate", str(rates / "cn" / "hunan.toml"), *where)
    assert code == 0, out
    code, out, err = cli(
        "calc", "--region", "湖南", "--year", "2027", "--member", "40", "--member", "70:dibao",
        "--member", "12:tekun", "--json", *where,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    paid = [Decimal(m["paid"]) for m in data["members"]]
    assert paid == [Decimal(420), Decimal(210), Decimal(0)]
