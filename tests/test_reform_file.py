"""Reform files: loading with file:line errors and closest-key suggestions, ``--set``
overrides, the JSON Schema against every shipped example, and the shared change syntax."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from premium_calc.analyses.reform.loading import (
    find_reform,
    load_reform,
    read_reform_data,
    reform_problems,
    reform_schema,
    settings_reform,
    shipped_reforms,
    with_settings,
)
from premium_calc.errors import RateFileError, ReformFileError

HEAD = '[reform]\nid = "t"\nname = { zh = "测试", en = "test" }\nillustrative = true\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_shipped_examples_load_and_fit_the_schema() -> None:
    names = {p.stem for p in shipped_reforms()}
    assert {
        "subsidy_724",
        "shenzhen_style_share",
        "wang_household_income_share",
        "japan_style_reductions",
    } <= names
    validator = jsonschema.Draft7Validator(reform_schema())
    for path in shipped_reforms():
        reform = load_reform(path)
        assert reform.id == path.stem
        assert reform.name.zh and reform.name.en and reform.reform.assumptions
        assert reform_problems(path) == []
        data, _ = read_reform_data(path)
        plain = json.loads(json.dumps(data, default=float))
        assert list(validator.iter_errors(plain)) == [], path.name
    # The schema refuses what the model refuses: an unknown key.
    bad = {"reform": {"id": "x", "name": {"zh": "a", "en": "b"}, "illustrative": True, "nme": 1}}
    assert list(validator.iter_errors(bad))


def test_illustrative_examples_say_so() -> None:
    for stem in (
        "shenzhen_style_share",
        "wang_household_income_share",
        "japan_style_reductions",
        "income_brackets",
    ):
        assert load_reform(find_reform(stem)).illustrative
    sourced = load_reform(find_reform("subsidy_724"))
    assert not sourced.illustrative
    assert any("政府工作报告" in s.title for s in sourced.reform.sources)


def test_unknown_key_names_line_and_closest_key(tmp_path: Path) -> None:
    path = write(tmp_path, '\n[contribution]\nkind = "income_share"\nrate = "3%"\nflor = 100\n')
    with pytest.raises(ReformFileError) as caught:
        load_reform(path)
    err = caught.value
    assert isinstance(err, RateFileError) and err.code == "reform-file"
    assert err.line == 9 and err.key == "contribution.flor"
    assert "did you mean `floor`" in str(err)
    assert f"{path}:9" in str(err)


def test_unknown_change_key_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, '\n[[change]]\nkey = "subsidi"\nvalue = "+3"\n')
    with pytest.raises(ReformFileError, match="did you mean subsidy") as caught:
        load_reform(path)
    assert caught.value.line == 7 and caught.value.key == "change[0].key"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('key = "subsidy"\nvalue = "abc"', "not an amount"),
        ('key = "assisted.dibao.pays_share"\nvalue = "+10%"', "ambiguous for a share"),
        ('key = "individual"\nvalue = "5%"', "5%"),
        ('key = "collection.start"\nvalue = "2025-01-01"', "a reform changes amounts"),
    ],
)
def test_bad_values(tmp_path: Path, change: str, message: str) -> None:
    path = write(tmp_path, f"\n[[change]]\n{change}\n")
    with pytest.raises(ReformFileError, match=message):
        load_reform(path)


def test_missing_file_and_missing_fields(tmp_path: Path) -> None:
    with pytest.raises(ReformFileError, match="no such file"):
        load_reform(tmp_path / "nope.toml")
    path = tmp_path / "r.toml"
    path.write_text(
        '[reform]\nid = "t"\nname = { zh = "a", en = "b" }\n\n[[change]]\nkey = "subsidy"\nvalue = 3\n'
    )
    with pytest.raises(ReformFileError, match="illustrative: this key is required"):
        load_reform(path)
    nothing = write(tmp_path, "")
    with pytest.raises(ReformFileError, match=r"needs a \[\[change\]\] or a \[contribution\]"):
        load_reform(nothing)


def test_bracket_rules(tmp_path: Path) -> None:
    open_middle = '\n[contribution]\nkind = "brackets"\nbrackets = [{ amount = 1 }, { amount = 2 }]\n'
    with pytest.raises(ReformFileError, match="the last leaves it out"):
        load_reform(write(tmp_path, open_middle))
    falling = (
        '\n[contribution]\nkind = "brackets"\n'
        "brackets = [{ below = 9, amount = 1 }, { below = 5, amount = 2 }, { amount = 3 }]\n"
    )
    with pytest.raises(ReformFileError, match="must rise"):
        load_reform(write(tmp_path, falling))


def test_settings_reform() -> None:
    reform = settings_reform(["individual=300", "subsidy=+100"])
    assert reform.illustrative and reform.file == Path("--set")
    assert [(c.key, c.value) for c in reform.change] == [("individual", "300"), ("subsidy", "+100")]
    assert reform.name.en == "settings: individual=300, subsidy=+100"
    with pytest.raises(ReformFileError, match="expected KEY=VALUE"):
        settings_reform(["individual"])
    with pytest.raises(ReformFileError, match="not an amount"):
        settings_reform(["individual=abc"])
    base = load_reform(find_reform("subsidy_724"))
    both = with_settings(base, ["individual=-10%"])
    assert both is not None and len(both.change) == 2 and both.file_changes == 1
    assert both.illustrative and both.settings == ("individual=-10%",)
    assert with_settings(None, []) is None


def test_upkeep_still_parses_changes_the_same_way() -> None:
    """The syntax moved to ratefiles; upkeep re-exports the same objects."""
    from premium_calc.ratefiles import change_keys, changes
    from premium_calc.upkeep import changes as upkeep_changes
    from premium_calc.upkeep import keys as upkeep_keys

    assert upkeep_changes.parse_change is changes.parse_change
    assert upkeep_keys.parse_key is change_keys.parse_key
    assert upkeep_keys.KEY_HELP == change_keys.KEY_HELP


def test_a_change_in_an_unknown_region_is_an_error(tmp_path: Path) -> None:
    from premium_calc import RateBook
    from premium_calc.analyses.reform import ReformedBook

    path = write(tmp_path, '\n[[change]]\nregion = "cn/guizou"\nkey = "subsidy"\nvalue = "+1"\n')
    reform = load_reform(path)
    with pytest.raises(ReformFileError, match="did you mean cn/guizhou") as caught:
        ReformedBook(RateBook(), reform)
    assert caught.value.line == 7 and caught.value.key == "change[0].region"
