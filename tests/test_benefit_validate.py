"""``rates validate`` on benefit files (``benefits/**/*.toml``) and ``rates schema --benefits``.

Fixtures are temporary rate directories: the national rate file of the rate-file tests and the
benefit files under test. A bad benefit file is reported like a bad rate file: every schema
problem of the file in one run, each as ``file:line:col: key.path: what is wrong``, exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app
from premium_calc.ratebook.book import RateBook
from premium_calc.ratefiles.benefit_model import SECTIONS
from premium_calc.ratefiles.json_schema import benefit_file_schema, rate_file_schema
from premium_calc.ratefiles.reading import BENEFITS_DIR, bundled_rates_dir, read_toml
from premium_calc.upkeep.problems import errors
from premium_calc.upkeep.validate import count_files, validate

from .fixtures import NATIONAL

runner = CliRunner()

GOOD = """\
# rates/benefits/cn/test.toml: a test file
[[year]]
coverage = 2025
source = { title = "test notice", url = "https://example.org/b", confidence = "high" }

  [year.inpatient]
  annual_cap = 100000

    [[year.inpatient.rule]]
    level = "primary"
    deductible = 100
    ratio = 0.8
"""

#: Three schema errors in one file: an unknown kind (line 8), an unknown level (line 11) and a
#: ratio above 1 (line 13).
BROKEN = (
    GOOD.replace("ratio = 0.8", "ratio = 1.5")
    .replace('level = "primary"', 'level = "township"')
    .replace("annual_cap = 100000", 'annual_cap = 100000\n  kind = "law"')
)


def make(tmp_path: Path, benefits: dict[str, str]) -> RateBook:
    """A rate directory with the national rate file and ``benefits`` (path under benefits/ -> text)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "cn.toml").write_text(NATIONAL, encoding="utf-8")
    for name, text in benefits.items():
        path = tmp_path / BENEFITS_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return RateBook([tmp_path], include_bundled=False, use_env=False)


def rendered(tmp_path: Path, book: RateBook, paths: list[Path] | None = None) -> list[str]:
    """The problems as ``file:line:col: ...`` with paths relative to ``tmp_path``."""
    out = []
    for p in validate(book, paths):
        out.append(p.render(Path(p.file).relative_to(tmp_path).as_posix()))
    return out


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- validate ------------------------------------------------------------------------------------


def test_a_clean_benefit_file_has_no_problems(tmp_path: Path) -> None:
    book = make(tmp_path, {"cn/test.toml": GOOD})
    assert validate(book) == []
    assert count_files(book, None) == 2  # cn.toml and the benefit file


def test_every_schema_error_of_a_benefit_file_in_one_run(tmp_path: Path) -> None:
    book = make(tmp_path, {"cn/test.toml": BROKEN})
    found = validate(book)
    assert [p.rule for p in found] == ["schema", "schema", "schema"]
    assert rendered(tmp_path, book) == [
        "benefits/cn/test.toml:8:3: year[0].inpatient.kind: 'law': should be one of: 'rule', 'floor',"
        " 'target'",
        "benefits/cn/test.toml:11:5: year[0].inpatient.rule[0].level: 'township': should be one of:"
        " 'primary', 'secondary', 'tertiary'",
        "benefits/cn/test.toml:13:5: year[0].inpatient.rule[0].ratio: '1.5': should be at most 1",
    ]
    assert [p.key_path for p in found][1:] == [
        ("year", 0, "inpatient", "rule", 0, "level"),
        ("year", 0, "inpatient", "rule", 0, "ratio"),
    ]


def test_a_section_with_missing_and_values(tmp_path: Path) -> None:
    book = make(
        tmp_path, {"cn/test.toml": GOOD.replace("annual_cap = 100000", 'annual_cap = 1\n  missing = "?"')}
    )
    assert rendered(tmp_path, book) == [
        "benefits/cn/test.toml:6:9: year[0].inpatient: a section with missing has no values (got rule,"
        " annual_cap): say what is known in a note",
    ]


def test_errors_in_several_benefit_files(tmp_path: Path) -> None:
    book = make(
        tmp_path,
        {
            "cn/a.toml": GOOD.replace("ratio = 0.8", "ratio = 1.5"),
            "cn/b.toml": GOOD.replace("deductible = 100", "deductable = 100"),
            "cn/c.toml": "[[year]\n",
        },
    )
    assert rendered(tmp_path, book) == [
        "benefits/cn/a.toml:12:5: year[0].inpatient.rule[0].ratio: '1.5': should be at most 1",
        "benefits/cn/b.toml:11:5: year[0].inpatient.rule[0].deductable: unknown key `deductable`: did"
        " you mean `deductible`? (expected one of: level, label, group, when, deductible, deductible_per,"
        " ratio, source, note)",
        "benefits/cn/c.toml:1:7: year: Expected ']]' at the end of an array declaration"
        " (expected valid TOML)",
    ]
    assert [p.rule for p in validate(book)] == ["schema", "schema", "toml"]


def test_national_figures_in_a_regional_file_are_an_error(tmp_path: Path) -> None:
    text = GOOD + "\n  [year.national]\n  stays_per_100 = { value = 20.7 }\n"
    book = make(tmp_path, {"cn/test.toml": text, "cn.toml": text})
    assert rendered(tmp_path, book) == [
        "benefits/cn/test.toml:14:9: year[0].national: national figures belong in the national file"
        " (benefits/cn.toml), not in cn/test",
    ]


def test_a_benefit_file_whose_path_is_not_a_region_id(tmp_path: Path) -> None:
    book = make(tmp_path, {"cn/Gui-zhou.toml": GOOD, "cn/guizhou.toml": GOOD})
    (found,) = validate(book)
    assert found.rule == "benefit-region" and found.is_error
    assert found.line is None and found.key == ""
    assert found.render("benefits/cn/Gui-zhou.toml") == (
        "benefits/cn/Gui-zhou.toml: benefit file of cn/Gui-zhou, which is not a region id, so the"
        " benefit rules skip it (expected a path under benefits/ of lower-case pinyin, digits and _,"
        " one folder per level, such as cn/guizhou.toml)"
    )
    assert found.text("zh").startswith("这个待遇文件对应 cn/Gui-zhou，它不是有效的地区编号")
    assert "cn/Gui-zhou" not in book.benefit_book().region_ids()  # skipped, hence the error


def test_a_skipped_file_is_still_checked_for_schema_errors(tmp_path: Path) -> None:
    book = make(tmp_path, {"cn/Bad.toml": BROKEN})
    assert [p.rule for p in validate(book)] == ["benefit-region", "schema", "schema", "schema"]


def test_a_user_benefit_file_is_checked_and_the_bundled_one_it_replaces_is_not(tmp_path: Path) -> None:
    (tmp_path / BENEFITS_DIR / "cn").mkdir(parents=True)
    (tmp_path / BENEFITS_DIR / "cn" / "guizhou.toml").write_text(BROKEN, encoding="utf-8")
    book = RateBook([tmp_path], use_env=False)  # overlays the bundled tree
    found = errors(validate(book))
    assert {Path(p.file) for p in found} == {tmp_path / BENEFITS_DIR / "cn" / "guizhou.toml"}
    assert len(found) == 3
    bundled = bundled_rates_dir() / BENEFITS_DIR
    assert count_files(book, None) == len(book.region_ids()) + len(list(bundled.rglob("*.toml")))


def test_a_benefit_file_given_as_a_path(tmp_path: Path) -> None:
    book = make(tmp_path, {"cn/test.toml": BROKEN, "cn/ok.toml": GOOD})
    path = tmp_path / BENEFITS_DIR / "cn" / "test.toml"
    assert len(validate(book, [path])) == 3
    assert validate(book, [tmp_path / BENEFITS_DIR / "cn" / "ok.toml"]) == []
    # A directory: the rate directory or its benefits folder.
    for folder in (tmp_path, tmp_path / BENEFITS_DIR):
        assert {Path(p.file) for p in validate(book, [folder])} == {path}
    assert count_files(book, [tmp_path]) == 3
    assert count_files(book, [tmp_path / BENEFITS_DIR]) == 2


def test_a_benefit_file_outside_the_book_given_as_a_path(tmp_path: Path) -> None:
    """A benefit folder that is no rate directory of the book: the id is the path below ``benefits``."""
    book = make(tmp_path / "book", {})
    path = tmp_path / "elsewhere" / BENEFITS_DIR / "cn" / "test.toml"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD + "\n  [year.national]\n  stays_per_100 = { value = 20.7 }\n", encoding="utf-8")
    (found,) = validate(book, [path])
    assert found.rule == "schema" and found.message.endswith("not in cn/test")
    assert [p.rule for p in validate(book, [tmp_path / "elsewhere"])] == ["schema"]


def test_the_bundled_benefit_files_validate_clean() -> None:
    book = RateBook(use_env=False)
    bundled = sorted((bundled_rates_dir() / BENEFITS_DIR).rglob("*.toml"))
    assert bundled
    assert errors(validate(book)) == []
    assert validate(book, bundled) == []
    assert count_files(book, None) == len(book.region_ids()) + len(bundled)


# --- the command ---------------------------------------------------------------------------------


def test_validate_command_reports_benefit_errors_with_file_and_line(tmp_path: Path) -> None:
    make(tmp_path, {"cn/test.toml": BROKEN})
    code, out, _ = run("rates", "validate", "--rates-dir", str(tmp_path))
    assert code == 1
    lines = out.splitlines()
    shown = [line for line in lines if "benefits/cn/test.toml:" in line]
    assert [line.split("benefits/cn/test.toml:")[1].split(":")[0] for line in shown] == ["8", "11", "13"]
    assert lines[0].startswith("errors (3")
    assert lines[-1].startswith("files checked: ") and "errors: 3;" in lines[-1]


def test_validate_command_json_gives_the_benefit_rules(tmp_path: Path) -> None:
    make(tmp_path, {"cn/Bad.toml": GOOD, "cn/test.toml": GOOD.replace("ratio = 0.8", "ratio = 1.5")})
    code, out, _ = run("rates", "validate", str(tmp_path / BENEFITS_DIR), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["files"] == 2 and data["warnings"] == []
    assert [(Path(e["file"]).name, e["rule"], e["line"]) for e in data["errors"]] == [
        ("Bad.toml", "benefit-region", None),
        ("test.toml", "schema", 12),
    ]


def test_validate_command_on_the_bundled_tree_exits_0() -> None:
    code, out, _ = run("rates", "validate", str(bundled_rates_dir() / BENEFITS_DIR))
    assert code == 0
    files = len(list((bundled_rates_dir() / BENEFITS_DIR).rglob("*.toml")))
    assert out.splitlines()[-1] == f"files checked: {files}; errors: 0; warnings: 0"
    code, out, _ = run("rates", "validate")
    assert code == 0 and "errors: 0;" in out.splitlines()[-1]


def test_validate_command_in_chinese(tmp_path: Path) -> None:
    make(tmp_path, {"cn/test.toml": GOOD.replace("ratio = 0.8", "ratio = 1.5")})
    code, out, _ = run("rates", "validate", str(tmp_path / BENEFITS_DIR), "--lang", "zh")
    assert code == 1
    assert out.splitlines()[0] == "错误 (1):"
    assert "test.toml:12:5: year[0].inpatient.rule[0].ratio: '1.5': 不能大于 1" in out


# --- schema --------------------------------------------------------------------------------------


def test_schema_command_prints_the_benefit_schema(tmp_path: Path) -> None:
    code, out, _ = run("rates", "schema", "--benefits")
    assert code == 0
    schema = json.loads(out)
    assert schema == benefit_file_schema() != rate_file_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["title"] == "BenefitFile" and "year" in schema["properties"]
    year = schema["definitions"]["BenefitYear"]["properties"]
    assert set(SECTIONS) <= set(year)
    assert "%" in str(schema["definitions"]["CostRule"]["properties"]["ratio"])  # "80%" is a ratio
    target = tmp_path / "benefits.schema.json"
    code, out, _ = run("rates", "schema", "--benefits", "-o", str(target))
    assert code == 0 and json.loads(target.read_text(encoding="utf-8")) == schema


def test_library_and_command_give_one_benefit_schema() -> None:
    import premium_calc

    assert premium_calc.benefit_file_json_schema() == benefit_file_schema()


def _as_json(value: object) -> object:
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_the_benefit_schema_accepts_the_bundled_files_and_rejects_a_bad_one(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(benefit_file_schema())
    for path in sorted((bundled_rates_dir() / BENEFITS_DIR).rglob("*.toml")):
        found = [e.message for e in validator.iter_errors(_as_json(read_toml(path)))]
        assert found == [], path
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('level = "primary"', 'level = "township"'), encoding="utf-8")
    assert not validator.is_valid(_as_json(read_toml(bad)))
    percent = tmp_path / "percent.toml"
    percent.write_text(GOOD.replace("ratio = 0.8", 'ratio = "80%"'), encoding="utf-8")
    assert validator.is_valid(_as_json(read_toml(percent)))
