"""Chinese first: the words a Chinese reader sees (summary line, ratios, thresholds, multiples,
confidence, levels, category names), checked on hand-worked households."""

from __future__ import annotations

from typer.testing import CliRunner

from premium_calc.cli import app

runner = CliRunner()
BIJIE = ["calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "42:female",
         "--member", "12:student", "--member", "70", "--income", "14000"]


def _out(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_calc_opens_with_one_plain_sentence() -> None:
    # 4 x 400 = 1,600 paid; 1600 / 14000 = 11.43%; x 250 working days = 28.57 days;
    # subsidy 4 x 670 = 2,680 (Guizhou 2025, low confidence: the sentence carries the mark).
    first = _out(*BIJIE, "--lang", "zh").splitlines()[0]
    assert first == (
        "您家4口人2025年度共需个人缴纳1,600元（每人400元），约占家庭年收入的11.43%，"
        "相当于28.57个工作日的收入；政府为您家补助2,680元。 †"
    )
    english = _out(*BIJIE).splitlines()[0]
    assert english.startswith("Your household of 4 pays 1,600 yuan for coverage year 2025 (400 per person)")


def test_ratios_and_thresholds_read_naturally() -> None:
    out = _out(*BIJIE, "--lang", "zh")
    assert "11.43%（相当于1.37个月的收入，也就是28.57个工作日的收入）" in out  # 0.1143 x 12 = 1.37
    assert "负担线：5%（已超过）；10%（已超过）" in out
    assert "（可信度：低†）" in out


def test_without_income_the_statistic_basis_is_said() -> None:
    out = _out("calc", "--region", "cn/hunan", "--year", "2026", "--member", "35", "--lang", "zh")
    # The sentence names the statistic, its year and its region: Hunan's 2023 rural income.
    assert "约占按2023年农村居民人均可支配收入（湖南省）估算的家庭年收入的" in "".join(out.splitlines()[:3])


def test_history_multiples_in_chinese() -> None:
    out = _out("history", "--region", "cn", "--from", "2004", "--to", "2026", "--lang", "zh")
    assert "10 -> 400 (2004->2026): 40倍" in out  # 400 / 10
    assert "缴费 4.44倍" in out  # 400 / 90 = 4.4444 -> 4.44


def test_regions_and_compare_in_chinese() -> None:
    regions = _out("regions", "--lang", "zh")
    assert "省级" in regions and "province" not in regions
    compare = _out("compare", "--year", "2025", "--all", "--lang", "zh")
    assert "cn/beijing: 城乡老年人 430, 学生儿童 405, *劳动年龄内居民 750" in compare


def test_wan_writes_large_amounts_in_wan() -> None:
    # Guizhou's 2023 rural income: 29,634 = 14,817 x 2 -> 2.96万 (half-up to two decimals);
    # 800 stays 800.
    out = _out("calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "70",
               "--lang", "zh", "--wan")
    assert "= 14,817元 x 2 = 2.96万元" in out and "个人缴纳800元" in out
    assert "29,634" in _out("calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "70",
                            "--lang", "zh")
