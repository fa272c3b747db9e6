"""Inputs the way people write them: Chinese member flags and dates, full-width digits and
punctuation, amounts such as ``8,000``, ``1.2万`` and ``￥8,000``, and the errors (in both
languages) for what cannot be read."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import HouseholdError
from premium_calc.household.amounts import LIMIT, check_yuan, looks_like_yuan, parse_yuan
from premium_calc.household.members import MEMBER_FLAGS, Member
from premium_calc.household.parsing import (
    FLAG_ALIASES,
    build_household,
    load_household_file,
    parse_member,
)
from premium_calc.ratefiles.model import ASSISTED_GROUPS

FULL_WIDTH_DIGITS = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _error(call: object, *args: object) -> HouseholdError:
    with pytest.raises(HouseholdError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


# -- member flags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("68:低保", Member(age=68, assisted=("dibao",))),
        ("72:女", Member(age=72, sex="female")),
        ("10:学生", Member(age=10, student=True)),
        ("20:大学生", Member(age=20, college=True)),
        ("45:男,特困", Member(age=45, sex="male", assisted=("tekun",))),
        ("30:职工医保", Member(age=30, employee=True)),
        ("30:职工", Member(age=30, employee=True)),
        ("40:残疾二级", Member(age=40, disability=2)),
        ("40:二级残疾", Member(age=40, disability=2)),
        ("40:残疾2级", Member(age=40, disability=2)),
        ("40:残疾四级", Member(age=40, disability=4)),
        ("６８：低保", Member(age=68, assisted=("dibao",))),
        ("68岁:低保", Member(age=68, assisted=("dibao",))),
        ("45：男，特困", Member(age=45, sex="male", assisted=("tekun",))),
        ("45:女、低保、残疾一级", Member(age=45, sex="female", assisted=("dibao",), disability=1)),
        ("45:女;低保；残疾1级", Member(age=45, sex="female", assisted=("dibao",), disability=1)),
        ("45:女 低保", Member(age=45, sex="female", assisted=("dibao",))),
        ("45:低保,低保户", Member(age=45, assisted=("dibao",))),  # one group, named twice
        ("72:female,dibao", Member(age=72, sex="female", assisted=("dibao",))),
        ("72:F,DIBAO", Member(age=72, sex="female", assisted=("dibao",))),
        ("60:dibao-edge", Member(age=60, assisted=("dibao_edge",))),
        ("2026-03-15", Member(birth_date=dt.date(2026, 3, 15))),
        ("2026年3月15日", Member(birth_date=dt.date(2026, 3, 15))),
        ("2026年3月15", Member(birth_date=dt.date(2026, 3, 15))),
        ("2026.3.15", Member(birth_date=dt.date(2026, 3, 15))),
        ("2026/3/15", Member(birth_date=dt.date(2026, 3, 15))),
        ("２０２６／３／１５：女", Member(birth_date=dt.date(2026, 3, 15), sex="female")),
        ("1956年03月02日:男,优抚", Member(birth_date=dt.date(1956, 3, 2), sex="male", assisted=("youfu",))),
    ],
)
def test_member_forms(spec: str, expected: Member) -> None:
    assert parse_member(spec) == expected


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("特困", "tekun"), ("特困人员", "tekun"), ("孤儿", "orphan"), ("事实无人抚养儿童", "orphan"),
        ("低保", "dibao"), ("低保户", "dibao"), ("最低生活保障对象", "dibao"),
        ("低保边缘", "dibao_edge"), ("低保边缘家庭成员", "dibao_edge"),
        ("监测对象", "monitored"), ("防返贫监测", "monitored"), ("防止返贫监测对象", "monitored"),
        ("返贫致贫", "returned_poverty"), ("返贫致贫人口", "returned_poverty"),
        ("脱贫户", "poverty_exit"), ("脱贫人口", "poverty_exit"),
        ("低收入", "low_income"), ("低收入家庭成员", "low_income"),
        ("优抚", "youfu"), ("优抚对象", "youfu"), ("计生特殊家庭", "family_planning"),
        ("边境村民", "border"), ("dibao", "dibao"), ("tekun", "tekun"), ("youfu", "youfu"),
    ],
)
def test_assisted_groups_by_chinese_name(name: str, group: str) -> None:
    assert parse_member(f"50:{name}").assisted == (group,)


def test_every_group_by_its_official_name_and_every_flag_by_its_id() -> None:
    for group, (zh, _) in ASSISTED_GROUPS.items():
        assert parse_member(f"50:{zh}").assisted == (group,)  # "最低生活保障对象(低保)" too
        assert parse_member(f"50:{zh.split('(')[0]}").assisted == (group,)
    for flag in MEMBER_FLAGS:
        assert FLAG_ALIASES[flag] == flag
    assert set(FLAG_ALIASES.values()) == set(MEMBER_FLAGS)


def test_conflicting_and_impossible_members() -> None:
    err = _error(parse_member, "40:男,女")
    assert "both male and female" in err.text("en") and "男" in err.text("zh")
    err = _error(parse_member, "40:残疾一级,残疾二级")
    assert "two disability grades given (1 and 2" in err.text("en")
    assert "两个残疾等级" in err.text("zh")
    err = _error(parse_member, "40:残疾")
    assert "'残疾' needs a grade" in err.text("en") and "要写明等级" in err.text("zh")
    err = _error(parse_member, "2026-02-30")
    assert "'2026-02-30' is not a date" in err.text("en") and "不是日期" in err.text("zh")
    err = _error(parse_member, "2026年13月1日")
    assert "is not a date" in err.text("en")
    err = _error(parse_member, "四十")
    assert "'四十' is not an age" in err.text("en") and "不是年龄" in err.text("zh")
    assert "age 150 is impossible" in _error(parse_member, "150:女").text("en")


@pytest.mark.parametrize(
    ("spec", "flag", "suggestion"),
    [
        ("40:dibo", "'dibo'", "dibao"),
        ("40:femal", "'femal'", "female"),
        ("40:tekum", "'tekum'", "tekun"),
        ("40:底保", "'底保'", "低保"),  # a homophone from the input method
        ("40:特因", "'特因'", "特困"),
        ("40:大学", "'大学'", "大学生"),
    ],
)
def test_unknown_flags_suggest_the_closest(spec: str, flag: str, suggestion: str) -> None:
    err = _error(parse_member, spec)
    en, zh = err.text("en"), err.text("zh")
    assert f"unknown flag {flag} (did you mean {suggestion}?)" in en
    assert f"不认识的标记 {flag}（是不是 {suggestion}？）" in zh
    # the accepted flags, in the user's language
    assert "expected one of male, female, student" in en and "低保" not in en.split(";")[1]
    assert "可用的标记：男、女、学生" in zh and "低保" in zh
    assert en.count("\n") == zh.count("\n") == 0


def test_unknown_flag_far_from_any_has_no_suggestion() -> None:
    err = _error(parse_member, "40:xyz")
    assert "unknown flag 'xyz'; expected one of" in err.text("en")
    assert "是不是" not in err.text("zh")
    assert "did you mean" not in _error(parse_member, "40:老人").text("en")
    assert "did you mean m?" not in _error(parse_member, "40:m2").text("en")


# -- amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("8000", "8000"), ("8,000", "8000"), ("8，000", "8000"), ("８０００", "8000"),
        ("８，０００", "8000"), ("1.2万", "12000"), ("1.2万元", "12000"), ("1.2 万", "12000"),
        ("12000元", "12000"), ("8000块", "8000"), ("¥8000", "8000"), ("￥8,000", "8000"),
        ("¥1.2万", "12000"), ("RMB 8000", "8000"), ("3千", "3000"), ("3千万", "30000000"),
        ("2亿", "200000000"), ("8000.5", "8000.5"), ("8000.05", "8000.05"), ("0", "0"),
        ("-0", "0"), ("+8000", "8000"), ("1,234,567.89", "1234567.89"),
        ("1.23456万", "12345.6"), ("  8000 ", "8000"), ("999999999999.99", "999999999999.99"),
    ],
)
def test_amount_forms(text: str, yuan: str) -> None:
    value = parse_yuan(text)
    assert value == Decimal(yuan)
    assert str(value) == yuan  # no trailing zeros, whatever the form


def test_integral_amounts_have_no_decimals() -> None:
    assert str(parse_yuan("1.2万")) == "12000"  # exact: 1.2 x 10000, not a float product
    assert str(parse_yuan("8000.00")) == "8000"
    assert str(parse_yuan("８０００．５０")) == "8000.5"


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("-5", "'-5' is negative", "是负数"),
        ("－5", "is negative", "是负数"),
        ("¥-8000", "is negative", "是负数"),
        ("负8000", "is negative", "是负数"),
        ("nan", "'nan' is not an amount in yuan", "不是金额"),
        ("inf", "'inf' is not an amount", "不是金额"),
        ("Infinity", "is not an amount", "不是金额"),
        ("1e5", "'1e5' uses an exponent", "科学计数法"),
        ("1E+5", "uses an exponent", "科学计数法"),
        ("8,5", "commas may only separate thousands", "逗号只能用作千位分隔"),
        ("1,2000", "commas may only separate thousands", "千位分隔"),
        ("1000000000000", "is too large", "太大了"),
        ("1万亿", "is too large", "太大了"),
        ("8000.123", "'8000.123' has more than 2 decimals", "小数超过两位"),
        ("1.2345678万", "'1.2345678万' (= 12345.678 yuan) has more than 2 decimals", "（即 12345.678 元）"),
        ("1.00000000000000000000000000001万", "more than 2 decimals", "小数超过两位"),
        ("", "is not an amount", "不是金额"),
        ("1万2千", "is not an amount", "不是金额"),
        ("abc", "'abc' is not an amount", "不是金额"),
    ],
)
def test_amount_errors(text: str, en: str, zh: str) -> None:
    err = _error(parse_yuan, text)
    assert en in err.text("en")
    assert zh in err.text("zh")
    assert err.field is None
    assert _error(lambda t: parse_yuan(t, field="income"), text).text("en").startswith("income: ")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=int(LIMIT) - 1), st.sampled_from(["plain", "comma", "wide", "wan"]))
def test_any_whole_amount_in_any_form_parses_back(n: int, form: str) -> None:
    text = {
        "plain": str(n),
        "comma": f"{n:,}",
        "wide": f"{n:,}".translate(FULL_WIDTH_DIGITS),
        "wan": format(Decimal(n) / 10000, "f") + "万",
    }[form]
    assert parse_yuan(text) == n
    assert parse_yuan(f"￥{text}元") == n


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2))
def test_any_amount_in_fen_parses_exactly(value: Decimal) -> None:
    assert parse_yuan(format(value, "f")) == value
    assert parse_yuan(format(value, ",f")) == value
    assert parse_yuan(format(value / 10000, "f") + "万") == value


def test_amounts_given_as_numbers_and_names() -> None:
    assert check_yuan(Decimal("14000.0")) == Decimal(14000)
    assert "is negative" in _error(check_yuan, Decimal(-1)).text("en")
    assert "is not an amount" in _error(check_yuan, Decimal("NaN")).text("en")
    assert looks_like_yuan("1.2万") and looks_like_yuan("￥8,000") and looks_like_yuan("-5")
    assert not looks_like_yuan("rural") and not looks_like_yuan("q1")


def test_household_income_as_text() -> None:
    assert build_household(["40"], "1.2万").income == Decimal(12000)
    assert build_household(["40"], "８,０００元").income == Decimal(8000)
    assert build_household(["40"], 14000).income == Decimal(14000)
    err = _error(build_household, ["40"], "-5")
    assert err.field == "income"
    assert err.text("en") == "income: '-5' is negative (expected an amount of at least 0 yuan)"
    assert err.text("zh") == "income: '-5' 是负数（金额应大于或等于 0 元）"


# -- household files ----------------------------------------------------------------------


def test_household_file_amounts_and_chinese_values(tmp_path: Path) -> None:
    toml = tmp_path / "h.toml"
    toml.write_text(
        '[[members]]\nage = 40\nsex = "女"\nassisted = ["低保户", "tekun"]\nincome = "1.2万"\n'
        '[[members]]\nage = 12\nincome = "8,000元"\n',
        encoding="utf-8",
    )
    household = load_household_file(toml).household()
    assert household.members[0] == Member(
        age=40, sex="female", assisted=("dibao", "tekun"), income=Decimal(12000)
    )
    assert household.annual_income == Decimal(20000)
    data = {"income": "￥1.5万", "members": [{"age": 40}]}
    (tmp_path / "h.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_household_file(tmp_path / "h.json").income == Decimal(15000)
    toml.write_text('[[members]]\nage = 40\nincome = "1e5"\n', encoding="utf-8")
    err = _error(load_household_file, toml)
    assert err.file == str(toml) and err.field == "members[0].income"
    assert err.text("en") == (
        f"{toml}: members[0].income: '1e5' uses an exponent"
        " (expected the amount written out, e.g. 100000 or 10万)"
    )


@pytest.mark.parametrize(
    ("name", "text", "line", "char", "ascii"),
    [
        ("a.toml", 'region = "cn"\nyear = 2025\nincome ＝ 8000\n', 3, "＝", "="),
        ("b.json", '{"members": [{"age"：40}]}', 1, "：", ":"),
        ("c.json", '{\n"members": [\n  {"age": 40}，\n  {"age": 3}\n]}\n', 3, "，", ","),
        ("d.toml", 'description = "贵州，一家人"  # 注释：全角可以\n[[members]]\nsex = “女”\n', 3, "“", '"'),
        ("e.toml", "members = ［{age = 40}］\n", 1, "［", "["),
        ("f.json", "｛\"members\": []}", 1, "｛", "{"),
        ("g.toml", 'label = "张三”\n', 1, "”", '"'),  # a string closed with a curly quote
        ("h.toml", "[[members]]\nａｇｅ = 40\n", 2, "ａ", "a"),
    ],
)
def test_full_width_symbols_in_household_files(
    tmp_path: Path, name: str, text: str, line: int, char: str, ascii: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    err = _error(load_household_file, path)
    assert err.file == str(path)
    assert err.text("zh") == f"{path}: 第{line}行用了全角符号“{char}”，请改成半角“{ascii}”"
    assert err.text("en") == (
        f"{path}: line {line} uses the full-width symbol '{char}' (expected the half-width '{ascii}')"
    )
    assert path.read_text(encoding="utf-8") == text  # the file is not rewritten


def test_full_width_text_inside_strings_is_not_blamed(tmp_path: Path) -> None:
    path = tmp_path / "h.toml"
    path.write_text('description = "贵州，一家人：四口"\nyear = \n', encoding="utf-8")
    err = _error(load_household_file, path)
    assert "expected valid TOML" in err.text("en") and "全角" not in err.text("zh")


def test_survey_rows_take_the_same_forms(tmp_path: Path) -> None:
    from premium_calc.household.survey import read_survey_csv

    path = tmp_path / "survey.csv"
    path.write_text(
        'household,age,sex,flags,income\nA,68,女,低保;残疾二级,1.2万\nA,40,男,,"8,000"\n'
        "B,2020/3/15,,学生,￥500\n",
        encoding="utf-8",
    )
    survey = read_survey_csv(str(path), 2025)
    assert survey.income_fen.tolist() == [2_000_000, 50_000]
    assert survey.table.disability.tolist() == [2, 0, 0]
    path.write_text("household,age,income\nA,40,1e5\n", encoding="utf-8")
    err = _error(read_survey_csv, str(path), 2025)
    assert err.text("en").startswith(f"{path}:2: income: '1e5' uses an exponent (expected")
    assert err.text("zh").startswith(f"{path}:2: income: '1e5' 用了科学计数法")
    path.write_text("household,age,income\nA,40,inf\n", encoding="utf-8")
    assert "'inf' is not an amount" in _error(read_survey_csv, str(path), 2025).text("en")


# -- the command line ---------------------------------------------------------------------

runner = CliRunner()


def test_cli_calc_with_chinese_members_and_income() -> None:
    args = ["calc", "--region", "cn/guizhou", "--year", "2025", "--member", "68:低保", "--member", "40:女"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert [m["member"] for m in data["members"]] == ["68:dibao", "40:female"]
    result = runner.invoke(app, [*args, "--income", "1.2万", "--json"])
    assert result.exit_code == 0, result.stderr
    assert Decimal(json.loads(result.stdout)["income"]) == 12000
    result = runner.invoke(app, [*args, "--lang", "zh"])
    assert result.exit_code == 0 and "贵州" in result.stdout


def test_cli_errors_name_the_flag_and_the_amount() -> None:
    base = ["calc", "-r", "cn", "-y", "2025"]
    result = runner.invoke(app, [*base, "-m", "40:底保", "--lang", "zh"])
    assert result.exit_code == 2
    assert "不认识的标记 '底保'（是不是 低保？）" in result.stderr and result.stderr.count("\n") == 1
    result = runner.invoke(app, [*base, "-m", "40", "--income", "1e5"])
    assert result.exit_code == 2 and "income: '1e5' uses an exponent" in result.stderr
