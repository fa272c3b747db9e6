"""Hints of ``rates validate`` for the common mistakes: an unknown key with the closest allowed one
(``did you mean `individual`?``), a date without leading zeros, a full-width symbol of a Chinese
input method; each at ``file:line:col: key.path: what is wrong (expected ...)``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.errors import RateFileError
from premium_calc.ratefiles.benefit_model import BenefitFile
from premium_calc.ratefiles.keypaths import key_at
from premium_calc.ratefiles.model import RateFile
from premium_calc.ratefiles.pydantic_errors import allowed_keys, suggest_key
from premium_calc.ratefiles.reading import bundled_rates_dir, load_rate_file

HUNAN = (bundled_rates_dir() / "cn" / "hunan.toml").read_text(encoding="utf-8")
CATEGORY_KEYS = "id, name, when, individual, tiers, subsidy, includes, below_minimum, missing, source, note"


def hunan(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cn" / "hunan.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def validate(path: Path, lang: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["rates", "validate", str(path), "--lang", lang])
    return result.exit_code, [
        line.removeprefix(f"{path}:") for line in result.stdout.splitlines() if str(path) in line
    ]


def test_every_schema_mistake_of_the_file_in_one_run_in_both_languages(tmp_path: Path) -> None:
    text = (
        HUNAN.replace("  individual = 380\n", "  indiviual = 380\n", 1)
        .replace("subsidy = 640\n", 'subsidy = "abc"\n', 1)
        .replace("  pays = 190\n", "  pays = -5\n", 1)
    )
    path = hunan(tmp_path, text)
    assert validate(path, "en") == (
        1,
        [
            "23:1: year[0].subsidy: 'abc': should be a number (expected a number without quotes, such as 400"
            " or 538.36)",
            "29:3: year[0].category[0].indiviual: unknown key `indiviual`: did you mean `individual`?"
            f" (expected one of: {CATEGORY_KEYS})",
            "43:3: year[0].assisted[1].pays: -5: should be at least 0",
        ],
    )
    assert validate(path, "zh") == (
        1,
        [
            "23:1: year[0].subsidy: 'abc': 应为数字（写数字时不加引号，例如 400 或 538.36）",
            "29:3: year[0].category[0].indiviual: 不认识的项 `indiviual`：是不是想写 `individual`？"
            f"（这里能用的项：{CATEGORY_KEYS}）",
            "43:3: year[0].assisted[1].pays: -5: 不能小于 0",
        ],
    )


def test_a_date_without_leading_zeros_says_how_to_write_it(tmp_path: Path) -> None:
    text = HUNAN.replace(
        "[[year]]\ncoverage = 2025\n",
        "[[year]]\ncoverage = 2025\ncollection = { start = 2024-9-1, end = 2024-12-31 }\n",
        1,
    )
    path = hunan(tmp_path, text)
    assert validate(path, "en") == (
        1,
        [
            "48:24: year[1].collection.start: the date 2024-9-1 must be written YYYY-MM-DD, with a two-digit"
            " month and day (expected 2024-09-01)"
        ],
    )
    assert validate(path, "zh")[1] == [
        "48:24: year[1].collection.start: 日期 2024-9-1 要按“年-月-日”写成 YYYY-MM-DD，"
        "月和日都写两位数（应写成 2024-09-01）"
    ]
    # The calculation path raises the same error.
    with pytest.raises(RateFileError) as caught:
        load_rate_file(path)
    assert (caught.value.line, caught.value.column, caught.value.key) == (48, 24, "year[1].collection.start")
    assert caught.value.rule == "toml"


def test_a_date_with_slashes_is_named_too(tmp_path: Path) -> None:
    path = hunan(tmp_path, HUNAN.replace("start = 2025-09-01", "start = 2025/09/01", 1))
    code, lines = validate(path, "en")
    assert code == 1
    assert lines == [
        "74:24: year[2].collection.start: the date 2025/09/01 must be written YYYY-MM-DD, with a two-digit"
        " month and day (expected 2025-09-01)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "where", "char", "ascii_form"),
    [
        ('"湖南", "湘"', '"湖南"，"湘"', "18:16: region.aliases", "，", ","),
        ('code = "430000"', 'code ＝ "430000"', "17:6: region.code", "＝", "="),
        ("coverage = 2024", "coverage：2024", "21:9: year[0]", "：", ":"),
        ('aliases = ["湖南"', 'aliases = ［"湖南"', "18:11: region.aliases", "［", "["),
        ('code = "430000"', "code = “430000”", "17:8: region.code", "“", '"'),
    ],
)
def test_a_full_width_symbol_outside_strings_is_named(
    tmp_path: Path, old: str, new: str, where: str, char: str, ascii_form: str
) -> None:
    assert old in HUNAN
    path = hunan(tmp_path, HUNAN.replace(old, new, 1))
    assert validate(path, "en") == (
        1,
        [
            f"{where}: '{char}' is a full-width symbol of a Chinese input method (expected the half-width"
            f" '{ascii_form}': outside quotes only half-width symbols are allowed)"
        ],
    )
    assert validate(path, "zh")[1] == [
        f"{where}: “{char}”是中文输入法打出的全角符号（请改成半角“{ascii_form}”：引号外面只能用半角符号）"
    ]


def test_full_width_text_inside_strings_and_comments_is_not_blamed(tmp_path: Path) -> None:
    # The file has Chinese punctuation in strings and comments; the real mistake is a missing value.
    text = HUNAN.replace("coverage = 2024\n", "coverage = \n", 1)
    assert "，" in text and "（" in text
    path = hunan(tmp_path, text)
    assert validate(path, "en") == (1, ["21:12: year[0].coverage: Invalid value (expected valid TOML)"])


def test_allowed_keys_follow_the_schema() -> None:
    assert ", ".join(allowed_keys(RateFile, ("year", 0, "category", 0))) == CATEGORY_KEYS
    assert allowed_keys(RateFile, ("year", 0, "category", 0, "when")) == [
        "min_age",
        "max_age",
        "sex",
        "student",
        "college",
        "born_before",
        "born_on_or_after",
    ]
    assert allowed_keys(RateFile, ("year", 0, "category", 0, "when", 1)) == allowed_keys(
        RateFile, ("year", 0, "category", 0, "when")
    )
    assert allowed_keys(RateFile, ("year", 0, "category", 0, "individual")) == ["base", "rate", "months"]
    assert allowed_keys(RateFile, ("year", 0, "category", 0, "tiers", "tier1")) == ["base", "rate", "months"]
    assert allowed_keys(RateFile, ("year", 0, "collection")) == ["start", "end", "source", "note"]
    assert allowed_keys(RateFile, ("year", 0, "subsidy")) == []
    assert "inpatient" in allowed_keys(BenefitFile, ("year", 0))


def test_suggestions_are_close_keys_only() -> None:
    keys = allowed_keys(RateFile, ("year", 0))
    assert suggest_key("colection", keys) == "collection"
    assert suggest_key("Subsidy", keys) == "subsidy"
    assert suggest_key("subsidy_src", keys) == "subsidy_source"
    assert suggest_key("fee", keys) is None


def test_unknown_key_without_a_close_one_lists_the_allowed_keys(tmp_path: Path) -> None:
    path = hunan(tmp_path, HUNAN.replace("  individual = 380\n", "  individual = 380\n  colour = 1\n", 1))
    assert validate(path, "en")[1] == [
        f"30:3: year[0].category[0].colour: unknown key `colour` (expected one of: {CATEGORY_KEYS})"
    ]


def test_key_at_picks_the_key_at_the_column() -> None:
    text = "a = 1\n[[year]]\ncollection = { start = 2024-9-1, end = 2024-12-31 }\n"
    assert key_at(text, 3, 28) == ("year", 0, "collection", "start")
    assert key_at(text, 3, 40) == ("year", 0, "collection", "end")
    assert key_at(text, 3, None) == ("year", 0, "collection")
    assert key_at(text, 2, 1) == ("year", 0)
    assert key_at(text, 1, 5) == ("a",)
    assert key_at(text, 9, 1) is None


def test_the_full_width_table_is_the_one_of_household_files() -> None:
    from premium_calc.household.parsing import _LOOKALIKES
    from premium_calc.ratefiles.reading import FULL_WIDTH

    assert FULL_WIDTH == _LOOKALIKES
    assert (FULL_WIDTH["，"], FULL_WIDTH["："], FULL_WIDTH["＝"], FULL_WIDTH["”"]) == (",", ":", "=", '"')
