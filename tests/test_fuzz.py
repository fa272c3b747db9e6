"""Fuzzing what people type and the files they give: only PremiumCalcError, in one line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premium_calc import PremiumCalcError, build_household, load_household_file
from premium_calc.analyses.population.columns import from_columns
from premium_calc.household.amounts import parse_yuan
from premium_calc.household.survey import read_survey_csv
from premium_calc.ratefiles.reading import bundled_rates_dir

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["45", "0", "130", "131", "-1", ":", ",", "female", "男", "dibao", "低保", "student", "disabled2",
          "残疾二级", "1960-01-01", "0001-01-01", "x", "1e9", "٣", "４５", " ", "\n"]  # fmt: skip
pieces = st.sampled_from(PIECES)
specs = st.lists(pieces, max_size=6).map("".join) | st.text(max_size=40)


def _one_line(exc: PremiumCalcError) -> None:
    text = str(exc)
    assert "\n" not in text and len(text) < 1000


@FAST
@given(members=st.lists(specs, min_size=1, max_size=4))
def test_member_specs(members: list[str]) -> None:
    try:
        build_household(members)
    except PremiumCalcError as exc:
        _one_line(exc)


@FAST
@given(text=st.text(max_size=30) | st.sampled_from(["1e400", "nan", "inf", "9" * 40, "1.2万", "¥8,000.005"]))
def test_amounts(text: str) -> None:
    try:
        parse_yuan(text)
    except PremiumCalcError as exc:
        _one_line(exc)


TOML_BITS = [
    'region = "cn/hunan"\n', "[[members]]\n", "age = 40\n", "age = true\n", 'birth_date = "1960-01-01"\n',
    "income = 1e400\n", "income = -5\n", "[", "{", 'sex = "x"\n', "assisted = [1]\n", "\x00", "age = 4_0\n",
    "a.b.c = 1\n",
]  # fmt: skip
toml_bits = st.sampled_from(TOML_BITS)


@FAST
@given(parts=st.lists(toml_bits, max_size=8), json=st.booleans())
def test_household_files(parts: list[str], json: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("h.json" if json else "h.toml")
        path.write_text("".join(parts), encoding="utf-8")
        try:
            load_household_file(path).household()
        except PremiumCalcError as exc:
            _one_line(exc)


cells = st.sampled_from(["", "1", "A", "45", "abc", "-3", "200", "1e17", "inf", "低保", "student;dibo", "男",
                         "1960-02-30", '"', "a,b", "9" * 30])  # fmt: skip


@FAST
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=6), max_size=6))
def test_survey_rows(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csv"
        body = "\n".join(",".join(r) for r in rows)
        path.write_text("household,age,sex,flags,income\n" + body + "\n", encoding="utf-8")
        try:
            read_survey_csv(str(path), 2026)
        except PremiumCalcError as exc:
            _one_line(exc)
        columns = {"household": [r[0] for r in rows], "age": [r[1] if len(r) > 1 else "" for r in rows],
                   "income": [r[-1] for r in rows]}  # fmt: skip
        try:
            from_columns(columns, year=2026, region="cn/hunan")
        except PremiumCalcError as exc:
            _one_line(exc)


_HUNAN = (bundled_rates_dir() / "cn" / "hunan.toml").read_text(encoding="utf-8")
_LINES = _HUNAN.splitlines()
VALUES = ["1e400", "9e999999", "-1", "nan", "inf", '"1e-999999999"', '"abc"', "0", "100000.01", "2026",
          '""', "[]", "{}", "true", "1979-05-27", '"150%"', "[[[[1]]]]", "1e30"]  # fmt: skip
KINDS = ["value", "delete", "duplicate", "garbage"]
mutation = st.tuples(st.sampled_from(KINDS), st.integers(0, len(_LINES) - 1), st.sampled_from(VALUES))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_rate_files(changes: list[tuple[str, int, str]]) -> None:
    """A shipped rate file, changed the ways a hand edit goes wrong (a value replaced, a line
    lost or doubled, stray text): the book, a calculation and validate either work or say
    why in one line; validate never raises."""
    from premium_calc import RateBook, assess
    from premium_calc.upkeep.validate import validate

    lines = list(_LINES)
    for kind, at, value in changes:
        at = min(at, len(lines) - 1)
        if kind == "value" and " = " in lines[at]:
            key = lines[at].split(" = ", 1)[0]
            lines[at] = f"{key} = {value}"
        elif kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "garbage":
            lines.insert(at, value)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cn").mkdir()
        (Path(tmp) / "cn" / "hunan.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        book = RateBook([tmp], use_env=False)
        for year in (2024, 2026):
            try:
                assess(book, "cn/hunan", year, build_household(["45", "70:dibao"], income="20000"))
            except PremiumCalcError as exc:
                _one_line(exc)
        for problem in validate(book, [Path(tmp) / "cn" / "hunan.toml"]):
            assert "\n" not in problem.render("hunan.toml")
