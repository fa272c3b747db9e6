"""Bad input gets one clear line and exit 2, never a traceback, a hang or a huge read."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from premium_calc import HouseholdError, load_household_file

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "PREMIUM_CALC_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "premium_calc", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["calc", "--bogus"], "error: python -m premium_calc calc: No such option: --bogus (see -h)"),
        (["calc", "-y", "abc"], "'--year' / '-y': expected a whole number (see -h)"),
        (["calc", "-y", "abc", "--lang", "zh"], "'--year' / '-y' 的值不对：应为整数"),
        (["calc", "--bogus", "--lang=zh"], "没有这个选项：--bogus"),
        (["calc", "--member"], "requires an argument"),
        (
            ["calc", "-r", "湖南", "-y", "2026", "--member", "40", "--thresholds", "nan"],
            "'nan' is not a number",
        ),
        (
            ["calc", "-r", "湖南", "-y", "2026", "--member", "40", "--thresholds", "5%,NaN"],
            "'NaN' is not a number",
        ),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], expected: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert "Traceback" not in result.stderr


def test_a_negative_value_is_a_value_not_an_option(tmp_path: Path) -> None:
    result = cli("rates", "set", "cn/hunan", "2026", "subsidy", "-5", "--rates-dir", str(tmp_path))
    assert result.returncode == 2  # read as the change "5 less", which needs its source
    assert "subsidy: a value needs its source" in result.stderr


def test_household_files_that_are_not_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (2 * 2**20))
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    cases = [
        (fifo, "is not a regular file"),
        (Path("/dev/zero"), "is not a regular file"),
        (tmp_path, "is a directory"),
        (huge, "more than the 1048576 bytes allowed"),
        (nested, "nested too deeply"),
    ]
    for path, message in cases:
        with pytest.raises(HouseholdError, match=message):
            load_household_file(path)
    result = cli("calc", "-y", "2026", "--household", str(fifo), timeout=20)  # returns: never blocks
    assert result.returncode == 2 and "is not a regular file" in result.stderr


def _overlay(tmp_path: Path, old: str, new: str) -> Path:
    from premium_calc.ratefiles.reading import bundled_rates_dir

    (tmp_path / "cn").mkdir()
    text = (bundled_rates_dir() / "cn" / "hunan.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "cn" / "hunan.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("value", ["1e30", "9e999999", "100000.01", "1e400"])
def test_implausible_amounts_in_rate_files_are_refused_with_their_line(tmp_path: Path, value: str) -> None:
    rates = _overlay(tmp_path, "individual = 400", f"individual = {value}")
    result = cli("calc", "-r", "湖南", "-y", "2026", "--member", "40", "--rates-dir", str(rates))
    assert result.returncode == 2
    assert "hunan.toml:" in result.stderr and "should be at most 100000" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "cn/hunan", "2026", "subsidy", "1e30"], "not an amount (expected yuan from 0 to 100000"),
        (["set", "cn/hunan", "2026", "subsidy", "1" * 40], "not an amount"),
        (["new-year", "cn/hunan", "--from", "2026", "--year", "12026"], "--year 12026: expected a coverage"),
        (["new-year", "cn/hunan", "--from", "2026", "--year", "2027", "--bump", "subsidy=+" + "9" * 31 + "%"],
         "larger than the plausible limit"),
    ],
)  # fmt: skip
def test_implausible_edits_are_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    rates = _overlay(tmp_path, "individual = 400", "individual = 400")
    before = (rates / "cn" / "hunan.toml").read_bytes()
    result = cli("rates", *args, "--rates-dir", str(rates), "--source", "https://example.cn/notice")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (rates / "cn" / "hunan.toml").read_bytes() == before


def test_batch_reads_gbk_skips_bad_rows_and_never_loses_the_input(tmp_path: Path) -> None:
    survey = tmp_path / "调查.csv"
    survey.write_bytes(
        "household,age,flags,income\n甲,45,,8000\n乙,abc,,\n丙,30,低保,\n丁,40,,5000\n".encode("gbk")
    )
    before = survey.read_bytes()
    rejects = tmp_path / "rejects.csv"
    out = tmp_path / "out.csv"
    result = cli(
        "batch", str(survey), "-r", "湖南", "-y", "2026", "--out", str(out), "--rejects", str(rejects)
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8").splitlines()[1:]] == [
        "甲",
        "丙",
        "丁",
    ]
    assert "1 rows of" in result.stderr and ":3: 'abc' is not an age" in result.stderr
    assert rejects.read_text(encoding="utf-8").splitlines()[1].startswith(f"{survey},3,")
    same = cli("batch", str(survey), "-r", "湖南", "-y", "2026", "--out", str(survey))
    assert same.returncode == 2 and "is the survey file itself" in same.stderr
    assert survey.read_bytes() == before
    stop = cli("batch", str(survey), "-r", "湖南", "-y", "2026", "--on-error", "stop")
    assert stop.returncode == 2 and stop.stderr.count("\n") == 1


def test_batch_huge_field_and_devices(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("household,age\nA," + "9" * 200_000 + "\n", encoding="utf-8")
    result = cli("batch", str(big), "-r", "湖南", "-y", "2026")
    assert result.returncode == 2 and "big.csv:2: not a readable CSV row" in result.stderr
    assert len(result.stderr) < 400
    result = cli("batch", "/dev/zero", "-r", "湖南", "-y", "2026", timeout=20)
    assert result.returncode == 2 and "is not a regular file" in result.stderr


def test_wrong_library_calls_raise_premium_calc_errors() -> None:
    import premium_calc as pc

    book = pc.RateBook(use_env=False)
    home = pc.build_household(["45"])
    calls = [
        (lambda: pc.RateBook(extra_dirs=[""]), "rate directory not found"),
        (lambda: pc.build_household("45"), "members: expected a list of members"),
        (lambda: pc.build_household([45]), "members[0]: expected a member"),
        (lambda: pc.assess(book, None, 2025, home), "region: expected a region id"),  # type: ignore[arg-type]
        (lambda: pc.assess(book, "cn", True, home), "year: expected a coverage year"),
        (lambda: pc.assess(book, "cn", 2025, ["45"]), "household: expected a Household"),  # type: ignore[arg-type]
        (lambda: pc.calculate(None, home), "schedule: expected a Schedule"),  # type: ignore[arg-type]
        (lambda: book.schedule("cn", "2025"), "year: expected a coverage year"),  # type: ignore[arg-type]
        (lambda: book.standard(None, 2025), "region: expected a region id"),  # type: ignore[arg-type]
        (lambda: book.find(None), "query: expected a region id"),  # type: ignore[arg-type]
        (lambda: book.chain("nope"), "unknown region 'nope'"),
        (lambda: pc.assess(book, "cn", 2025, home, thresholds=[Decimal("NaN")]), "not a number"),
        (lambda: pc.assess(book, "cn", 2025, home, thresholds=[-1]), "expected a share between 0 and 1"),
        (lambda: pc.assess(book, "cn", 2025, home, thresholds=None), "thresholds: expected a list"),  # type: ignore[arg-type]
        (lambda: pc.assess(book, "cn", 2025, home, statistic="bogus"), "unknown income statistic"),
        (lambda: pc.Member(age=-1), "age: -1: should be at least 0"),
        (lambda: pc.Household(members=[]), "members: should have at least 1 item"),
        (lambda: pc.Household(members=[{"age": 5, "x": 1}]), r"members[0].x: 1: unknown key"),  # type: ignore[list-item]
        (lambda: pc.load_household_file(None), "path: expected a household file"),  # type: ignore[arg-type]
        (lambda: pc.parse_member(45), "spec: expected a member spec"),  # type: ignore[arg-type]
        (lambda: pc.MemberTable.from_households([home], None), "year: expected a coverage year"),  # type: ignore[arg-type]
        (lambda: pc.IncomeStats(dirs=5), "dirs: expected a list"),  # type: ignore[arg-type]
        (lambda: pc.data_version(Path("/nonexistent")), "rate directory not found"),
    ]
    for call, message in calls:
        with pytest.raises(pc.PremiumCalcError, match=message.replace("[", r"\[")):
            call()


def test_validate_checks_the_statistics_files(tmp_path: Path) -> None:
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "broken.toml").write_text(
        'note = "x"\n[[income]]\nyear = 2020\nmeasure = "disposable"\nregion = "cn"\nrural = "abc"\n'
        'source = { title = "t", confidence = "low" }\n',
        encoding="utf-8",
    )
    result = cli("rates", "validate", "--rates-dir", str(tmp_path))
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "broken.toml:6: income[0].rural: 'abc': should be a number" in said


def test_impossible_members_are_refused(tmp_path: Path) -> None:
    import premium_calc as pc

    for spec, message in ((["0001-01-01"], "should be at least 1890-01-01"),
                          (["40:disabled1,disabled2"], "two disability grades"),
                          (["70:student"], "a member aged 70 cannot be flagged student"),
                          (["5:employee"], r"expected ages 16-130 for employee")):  # fmt: skip
        with pytest.raises(pc.HouseholdError, match=message):
            pc.build_household(spec)
    path = tmp_path / "h.toml"
    path.write_text('region = "cn/hunan"\n[[members]]\nage = true\n', encoding="utf-8")
    with pytest.raises(pc.HouseholdError, match=r"members\[0\]\.age: True: should be a whole number"):
        pc.load_household_file(path)


def test_long_inputs_are_cut_in_messages() -> None:
    result = cli("calc", "-r", "x" * 10_000, "-y", "2026", "--member", "40")
    assert result.returncode == 2
    assert "(10000 characters)" in result.stderr and len(result.stderr) < 400
    result = cli("calc", "-r", "湖南", "-y", "2026", "--member", "4" * 100_000)
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr) < 400


def test_a_share_with_a_huge_negative_exponent_is_refused(tmp_path: Path) -> None:
    from pydantic import TypeAdapter, ValidationError

    from premium_calc.ratefiles.model import Rate

    with pytest.raises(ValidationError, match="6 decimal"):  # our check, or pydantic 2.14+'s own
        TypeAdapter(Rate).validate_python("1e-999999999")  # it made batch loop for ever


def test_an_overlay_that_reuses_a_bundled_name_is_ambiguous_and_validate_warns(tmp_path: Path) -> None:
    from premium_calc.ratefiles.reading import bundled_rates_dir

    (tmp_path / "aa").mkdir()
    text = (bundled_rates_dir() / "cn" / "hunan.toml").read_text(encoding="utf-8")
    fake = text.replace("individual = 400", "individual = 999")
    (tmp_path / "aa" / "fake.toml").write_text(fake, encoding="utf-8")
    result = cli("calc", "-r", "湖南", "-m", "40", "--rates-dir", str(tmp_path), "--lang", "zh")
    assert result.returncode == 2
    assert result.stderr == (
        "错误：'湖南'对应多个费率地区：湖南省 (aa/fake); 湖南省 (cn/hunan)（请用地区编号，如 cn/hunan）\n"
    )
    checked = cli("rates", "validate", "--rates-dir", str(tmp_path))
    shared = [line for line in checked.stdout.splitlines() if "also a name of" in line]
    assert shared == [
        f"{tmp_path}/aa/fake.toml:13:2: region: '湖南省', 'Hunan', '湖南', '湘', 'Hunan Province':"
        " also a name of cn/hunan, so looking it up asks which region is meant"
        " (expected each name and alias in one rate file only; to replace a bundled region,"
        " give the file its id, e.g. cn/hunan.toml)"
    ]


def test_a_year_whose_categories_reach_nobody_fails_validation(tmp_path: Path) -> None:
    rates = _overlay(tmp_path, 'coverage = 2026\n', 'coverage = 2026\n')
    path = rates / "cn" / "hunan.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("coverage = 2026")
    at = text.index('  id = "resident"\n', start) + len('  id = "resident"\n')
    path.write_text(text[:at] + "  when = { min_age = 100 }\n" + text[at:], encoding="utf-8")
    checked = cli("rates", "validate", "--rates-dir", str(rates))
    assert "residents aged 0-99 find no category" in checked.stdout
    path.write_text(text[:at] + "  when = { student = true }\n" + text[at:], encoding="utf-8")
    checked = cli("rates", "validate", "--rates-dir", str(rates))
    assert checked.returncode == 1
    assert "no resident of any age finds a category in coverage year 2026" in checked.stdout


def test_validate_reports_every_schema_error_of_a_file_in_one_run(tmp_path: Path) -> None:
    rates = _overlay(tmp_path, "subsidy = 640", 'subsidy = "abc"')
    path = rates / "cn" / "hunan.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("individual = 380", "individul = 380", 1).replace("pays = 190", "pays = -5")
    path.write_text(text.replace('confidence = "medium"', 'confidence = "sure"', 1), encoding="utf-8")
    checked = cli("rates", "validate", "--rates-dir", str(rates), "--lang", "zh")
    mine = [line.removeprefix(f"{path}:") for line in checked.stdout.splitlines() if str(path) in line]
    assert mine == [
        "22:227: year[0].source.confidence: 'sure': 应为其中之一：'high', 'medium', 'low'",
        "23:1: year[0].subsidy: 'abc': 应为数字（写数字时不加引号，例如 400 或 538.36）",
        "29:3: year[0].category[0].individul: 不认识的项 `individul`：是不是想写 `individual`？"
        "（这里能用的项：id, name, when, individual, tiers, subsidy, includes, below_minimum, missing,"
        " source, note）",
        "43:3: year[0].assisted[1].pays: -5: 不能小于 0",
    ]
    # A value that fails every member of a union is reported inside the table, not as "a number".
    from premium_calc.ratefiles.reading import bundled_rates_dir

    rates = tmp_path / "sz"
    shenzhen = rates / "cn" / "guangdong" / "shenzhen.toml"
    shenzhen.parent.mkdir(parents=True)

    original = (bundled_rates_dir() / "cn" / "guangdong" / "shenzhen.toml").read_text(encoding="utf-8")
    changed = original.replace('rate = "0.6%", months = 12', 'rate = "0.6%", months = 0', 1)
    shenzhen.write_text(changed, encoding="utf-8")
    result = cli("calc", "-r", "深圳", "-y", "2025", "-m", "40", "--rates-dir", str(rates))
    assert result.stderr.endswith(":60: year[1].category[0].individual.months: 0: should be at least 1\n")


def test_population_writes_the_rows_it_left_out_to_a_reject_file(tmp_path: Path) -> None:
    survey = tmp_path / "p.csv"
    survey.write_text("household,age,income\n1,45,20000\n2,abc,1000\n3,40\n4,30,5000,9\n5,200,100\n")
    rejects = tmp_path / "rejects.csv"
    result = cli("population", str(survey), "-r", "湖南", "--rejects", str(rejects), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert f"有 4 行没有算进去，已列在 {rejects}" in result.stderr
    assert rejects.read_text(encoding="utf-8").splitlines() == [
        '"file","line","column","value","reason"',
        f'"{survey}",3,"age","abc","应为整数"',
        f'"{survey}",4,"","3,40","有 2 个字段而不是 3 个；已跳过该行"',
        f'"{survey}",5,"","4,30,5000,9","有 4 个字段而不是 3 个；已跳过该行"',
        f'"{survey}",6,"age","200","应为 0 到 130 之间的数"',
    ]
    said = "".join(result.stdout.split())  # the console wraps long lines
    assert f"{survey}:4：有2个字段而不是3个" in said  # the summary names the line too
    same = cli("population", str(survey), "-r", "湖南", "--rejects", str(survey))
    assert same.returncode == 2 and "is the survey file itself" in same.stderr


def test_population_refuses_implausible_flags_and_ages_that_contradict_birth_dates() -> None:
    from premium_calc.analyses.population.columns import from_columns

    columns = {
        "household": [1, 2, 3, 4],
        "age": ["70", "10", "5", "40"],
        "birth_date": ["", "", "", "2000-01-01"],
        "flags": ["学生", "学生", "职工医保", ""],
    }
    pop = from_columns(columns, year=2026, skip_bad=True)
    assert pop.households == 1 and pop.dropped_rows == 3
    assert [s.note.text("zh") for s in pop.skipped] == [
        "row 3：age 列“40”：年龄和出生日期对不上（只填一个，或两者一致）",
        "row 0：flags 列“学生”：这个年龄不能是 中小学生（中小学生 应在 3 到 30 岁之间）",
        "row 2：flags 列“职工医保”：这个年龄不能是 职工医保（职工医保 应在 16 到 130 岁之间）",
    ]


def test_validate_finds_a_statistic_given_twice_in_one_file(tmp_path: Path) -> None:
    from premium_calc.ratefiles.reading import bundled_rates_dir

    text = (bundled_rates_dir() / "stats" / "income.toml").read_text(encoding="utf-8")
    start = text.index("\n[[income]]") + 1
    end = text.index("\n[[income]]", start) + 1
    (tmp_path / "stats").mkdir()
    twice = text[:end] + text[start:end] + text[end:]
    (tmp_path / "stats" / "income.toml").write_text(twice, encoding="utf-8")
    checked = cli("rates", "validate", "--rates-dir", str(tmp_path), "--lang", "zh")
    assert checked.returncode == 1
    assert "stats/income.toml:72:1: income[1].rural: income[0] 已经给了这个数" in checked.stdout


def test_empty_options_and_duplicate_columns_are_mistakes(tmp_path: Path) -> None:
    assert cli("history", "--no-chart", "-r", "").stderr == (
        "error: --region: is empty (expected a value, or leave the option out)\n"
    )
    survey = tmp_path / "d.csv"
    survey.write_text("household,age,age\n1,45,30\n", encoding="utf-8")
    result = cli("batch", str(survey), "-r", "湖南")
    assert result.returncode == 2
    assert result.stderr.endswith("the header has age more than once (expected each column once)\n")
