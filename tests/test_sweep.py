"""The income sweep (``premium-calc sweep``, :mod:`premium_calc.analyses.sweep`): a household's
burden across incomes, the crossing of each threshold, bounds where the premium is unknown."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.analyses import sweep as sweep_module
from premium_calc.analyses.sweep import (
    MAX_SWEEP_POINTS,
    crossing_income,
    income_range,
    income_sweep,
    parse_income_range,
)
from premium_calc.cli import app
from premium_calc.errors import OptionError, PremiumCalcError
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook
from premium_calc.render.sweep import crossing_text, summary_lines, sweep_rows

runner = CliRunner()
D = Decimal
#: The Bijie family of the README: 45, 42, a pupil of 12 and a grandparent of 70.
FAMILY = ("45", "42", "12:student", "70")
BIJIE = ("--region", "毕节", "--year", "2026")
CLI_FAMILY = ("--member", "45", "--member", "42", "--member", "12:student", "--member", "70")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- the hand-worked case --------------------------------------------------------------------


def test_bijie_family_by_hand(book: RateBook) -> None:
    # Bijie 2026 (Guizhou's province-wide standard): every resident pays 400 yuan; none of the
    # four is in an assisted group, so the household pays 4 x 400 = 1,600 at every income.
    household = build_household(FAMILY)
    result = income_sweep(book, household, "毕节", 2026, [D(14000), D(16000), D(32000), D(40000)])
    assert result.premium.total_paid == D(1600)
    assert [p.paid for p in result.points] == [D(1600)] * 4
    assert result.premium_depends_on_income is False
    assert any(n.key == "note.sweep_flat" for n in result.notes)
    at = {p.income: p for p in result.points}
    # 14,000: 1,600 / 14,000 = 0.114285... -> 0.1143 (11.43%, as calc prints);
    # days of work 0.114285... x 250 = 28.571... -> 28.57; per person 14,000 / 4 = 3,500.
    assert at[D(14000)].burden_ratio == D("0.1143")
    assert at[D(14000)].days_of_work == D("28.57")
    assert at[D(14000)].income_per_capita == D(3500)
    # 1,600 > 5% x 14,000 = 700 and > 10% x 14,000 = 1,400: above both lines.
    assert at[D(14000)].above == [True, True]
    # 16,000: 1,600 / 16,000 = 0.1000 exactly: 1,600 > 1,600 is false, so not above 10%.
    assert at[D(16000)].burden_ratio == D("0.1000")
    assert at[D(16000)].above == [True, False]
    # 32,000: 1,600 / 32,000 = 0.0500: on the 5% line, not above it.
    assert at[D(32000)].above == [False, False]
    # 40,000: 1,600 / 40,000 = 0.04 (4.00%, 10 days of work).
    assert at[D(40000)].burden_ratio == D("0.0400") and at[D(40000)].days_of_work == D(10)
    # Crossings: 1,600 / 0.05 = 32,000 and 1,600 / 0.10 = 16,000 (exact, not the nearest point).
    assert [(c.threshold, c.income) for c in result.crossings] == [
        (D("0.05"), D(32000)),
        (D("0.10"), D(16000)),
    ]


def test_crossing_is_exact_not_the_nearest_point(book: RateBook) -> None:
    # One person, 400 yuan; the sweep's points are 5,000 apart but the crossings are computed:
    # 400 / 0.05 = 8,000 and 400 / 0.075 = 5,333.333... -> rounded up to the fen: 5,333.34.
    result = income_sweep(
        book,
        build_household(["45"]),
        "毕节",
        2026,
        income_range(D(5000), D(20000), D(5000)),
        [D("0.05"), D("0.075")],
    )
    assert [c.income for c in result.crossings] == [D(8000), D("5333.34")]
    # Rounded up, the sentence holds in whole fen: at 5,333.33 the premium is still above 7.5%
    # (0.075 x 5,333.33 = 399.99975 < 400), at 5,333.34 it is not (400.0005 >= 400).
    assert D(400) > D("0.075") * D("5333.33")
    assert not D(400) > D("0.075") * D("5333.34")
    assert crossing_income(D(1600), D("0.03")) == D("53333.34")


def test_household_is_priced_once(book: RateBook, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = sweep_module.calculate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_module, "calculate", counting)
    income_sweep(book, build_household(FAMILY), "毕节", 2026, income_range(D(2000), D(40000), D(2000)))
    assert len(calls) == 1


# --- unknown assistance: bounds, never 0 nor the full price --------------------------------


def test_unknown_assistance_gives_bounds(book: RateBook) -> None:
    # The 42-year-old is on 低保, whose assistance in Guizhou 2026 is not in the data: she pays
    # between 0 and 400, so the household pays between 1,200 and 1,600.
    household = build_household(["45", "42:dibao", "12:student", "70"])
    result = income_sweep(book, household, "毕节", 2026, [D(14000), D(24000), D(40000)])
    assert result.premium.total_paid is None
    at = {p.income: p for p in result.points}
    p = at[D(24000)]
    assert p.paid is None and p.burden_ratio is None and p.days_of_work is None
    assert (p.paid_low, p.paid_high) == (D(1200), D(1600))
    # 1,200 / 24,000 = 0.0500 and 1,600 / 24,000 = 0.0667 (0.06666... half-up).
    assert (p.ratio_low, p.ratio_high) == (D("0.0500"), D("0.0667"))
    # 5%: 1,200 > 1,200 is false but 1,600 > 1,200 is true: not known. 10%: 1,600 <= 2,400: no.
    assert p.above == [None, False]
    assert p.reason is not None and p.reason.key == "note.burden_paid_unknown"
    # 14,000: even 1,200 > 5% x 14,000 = 700: above 5% for sure; 10%: 1,200 <= 1,400 < 1,600: unknown.
    assert at[D(14000)].above == [True, None]
    # Crossings as bounds: 1,200 / 0.05 = 24,000 .. 1,600 / 0.05 = 32,000; 12,000 .. 16,000.
    assert [(c.income, c.income_low, c.income_high) for c in result.crossings] == [
        (None, D(24000), D(32000)),
        (None, D(12000), D(16000)),
    ]
    assert "24,000" in crossing_text(result.crossings[0], "en")
    assert "32,000" in crossing_text(result.crossings[0], "en")
    row = sweep_rows(result)[1]
    assert row["paid"] == "" and row["burden_ratio"] == "" and row["above_5%"] == ""
    assert (row["paid_low"], row["paid_high"]) == (D(1200), D(1600))


def test_no_payment_never_crosses(book: RateBook) -> None:
    # 特困人员 pay nothing everywhere (national policy): 0 / t = 0, never above any line.
    result = income_sweep(book, build_household(["45:tekun"]), "毕节", 2026, [D(0), D(1000)])
    assert [c.income for c in result.crossings] == [D(0), D(0)]
    assert all(a is False for p in result.points for a in p.above)
    assert "never" in crossing_text(result.crossings[0], "en")


def test_zero_income_has_no_burden(book: RateBook) -> None:
    result = income_sweep(book, build_household(["45"]), "毕节", 2026, [D(0), D(8000)])
    zero = result.points[0]
    assert zero.burden_ratio is None and zero.reason is not None
    assert zero.reason.key == "note.burden_zero_income"
    assert zero.above == [True, True]  # 400 > 0: any premium is more than a share of nothing


# --- ranges --------------------------------------------------------------------------------


def test_range_includes_stop_only_on_a_step() -> None:
    assert parse_income_range("5000:20000:5000") == [D(5000), D(10000), D(15000), D(20000)]
    assert parse_income_range("5000:21000:5000") == [D(5000), D(10000), D(15000), D(20000)]
    assert parse_income_range("1万：2万：5千") == [D(10000), D(15000), D(20000)]
    assert parse_income_range("100:100:1") == [D(100)]
    assert parse_income_range("0.5:1.5:0.5") == [D("0.5"), D("1.0"), D("1.5")]


@pytest.mark.parametrize(
    "text",
    [
        "5000:60000",
        "5000:60000:5000:1",
        "::",
        "a:b:c",
        "60000:5000:5000",
        "5000:60000:0",
        "5000:-60000:5000",
        "1e3:2e3:100",
        "0:1000000:1",
    ],
)
def test_bad_ranges_are_option_errors(text: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_income_range(text)
    assert caught.value.option == "--income"
    assert "\n" not in str(caught.value)


def test_the_number_of_points_is_limited(book: RateBook) -> None:
    assert len(income_range(D(1), D(MAX_SWEEP_POINTS), D(1))) == MAX_SWEEP_POINTS
    with pytest.raises(OptionError, match="at most"):
        income_range(D(1), D(MAX_SWEEP_POINTS + 1), D(1))
    with pytest.raises(OptionError):
        income_sweep(book, build_household(["45"]), "毕节", 2026, range(MAX_SWEEP_POINTS + 1))


def test_library_refuses_bad_arguments(book: RateBook) -> None:
    household = build_household(["45"])
    with pytest.raises(PremiumCalcError):
        income_sweep(book, household, "毕节", 2026, [14000.0])  # type: ignore[list-item]
    with pytest.raises(OptionError):
        income_sweep(book, household, "毕节", 2026, [])
    with pytest.raises(OptionError):
        income_sweep(book, household, "毕节", 2026, [D(-1)])
    with pytest.raises(PremiumCalcError):
        income_sweep(book, household, "毕节", 2026, [D(1)], [0.05])  # type: ignore[list-item]
    # Incomes are taken in order, each once.
    result = income_sweep(book, household, "毕节", 2026, [D(9000), D(3000), 3000])
    assert [p.income for p in result.points] == [D(3000), D(9000)]


# --- the command ---------------------------------------------------------------------------


def test_cli_zh_table() -> None:
    code, out, _ = run("sweep", *BIJIE, *CLI_FAMILY, "--income", "2000:40000:2000", "--lang", "zh")
    assert code == 0
    assert "您家4口人2026年度共交1,600元" in out
    assert "全家年收入低于32,000元时，保费超过收入的5%。" in out
    assert "全家年收入低于16,000元时，保费超过收入的10%。" in out
    assert "10%负担线" in out and "11.43%" in out
    assert "保费不看收入高低" in out


def test_cli_csv_and_json() -> None:
    code, out, _ = run("sweep", *BIJIE, *CLI_FAMILY, "--income", "10000:20000:5000", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["income"] for r in rows] == ["10000", "15000", "20000"]
    assert rows[0]["paid"] == "1600" and rows[0]["burden_ratio"] == "0.1600"
    assert rows[1]["above_10%"] == "true" and rows[2]["above_10%"] == "false"
    code, out, _ = run("sweep", *BIJIE, *CLI_FAMILY, "--income", "10000:20000:5000", "--json")
    assert code == 0
    data = json.loads(out)
    assert [D(c["income"]) for c in data["crossings"]] == [D(32000), D(16000)]
    assert data["points"][0]["burden_ratio"] == "0.1600"


@pytest.mark.parametrize(
    "extra",
    [
        ("--income", "5000:60000"),
        ("--income", "60000:5000:5000"),
        ("--income", "0:1000000:1"),
        ("--income", "1:2:1", "--plot", "chart.txt"),
        ("--income", "1:2:1", "--json", "--csv"),
        ("--income", "1:2:1", "--thresholds", "150%"),
        (),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(extra: tuple[str, ...]) -> None:
    code, out, err = run("sweep", *BIJIE, "--member", "45", *extra)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")


def test_cli_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    for name in ("sweep.png", "sweep.svg"):
        target = tmp_path / name
        code, _, err = run(
            "sweep",
            *BIJIE,
            "--member",
            "45",
            "--member",
            "42:dibao",
            "--income",
            "2000:40000:2000",
            "--plot",
            str(target),
            "--lang",
            "zh",
        )
        assert code == 0, err
        assert target.stat().st_size > 1000
    assert (tmp_path / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_chart_size_and_dpi(tmp_path: Path) -> None:
    # --size 6x4 at --dpi 110: a 660 x 440 pixel PNG, like history and compare charts.
    pytest.importorskip("matplotlib")
    from PIL import Image

    target = tmp_path / "small.png"
    code, _, err = run(
        "sweep", *BIJIE, "--member", "45", "--income", "2000:40000:2000",
        "--plot", str(target), "--size", "6x4", "--dpi", "110",
    )  # fmt: skip
    assert code == 0, err
    with Image.open(target) as image:
        assert image.size == (660, 440)
    code, out, err = run(
        "sweep", *BIJIE, "--member", "45", "--income", "2000:40000:2000", "--plot", str(target), "--dpi", "5"
    )
    assert code == 2 and out == "" and "dpi" in err


def test_summary_lines_in_english(book: RateBook) -> None:
    result = income_sweep(book, build_household(FAMILY), "毕节", 2026, [D(14000)])
    lines = summary_lines(result, "en")
    assert lines[0].startswith("Your household of 4 pays 1,600 yuan for coverage year 2026")
    assert lines[1] == "Below a household income of 32,000 a year, the premium is more than 5% of income."


def test_national_minimum_standing_in_is_at_least(book: RateBook) -> None:
    # No Bijie notice for 2016: the national minimum (120 yuan) stands in, so the household pays
    # at least 120 and each crossing is at least 120 / 0.05 = 2,400 (the local premium may be higher).
    result = income_sweep(book, build_household(["45"]), "威宁", 2016, [D(5000)])
    assert result.premium.national_fallback
    assert result.crossings[0].income == D(2400)
    assert "at least 120" in summary_lines(result, "en")[0]
    assert "at least" in summary_lines(result, "en")[1]
