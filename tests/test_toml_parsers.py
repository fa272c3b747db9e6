"""The two TOML parsers read the same: ``toml-rs`` (fast, where installed) and tomli (always;
the one that words every error). ``premium_calc.ratefiles.reading.parse_toml`` tries the first
and falls back to the second."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from premium_calc.errors import RateFileError
from premium_calc.ratefiles import reading
from premium_calc.ratefiles.reading import bundled_rates_dir, parse_toml, parse_toml_text

HAS_FAST = importlib.util.find_spec("toml_rs") is not None
needs_fast = pytest.mark.skipif(not HAS_FAST, reason="toml-rs is not installed here")

SHIPPED = sorted(bundled_rates_dir().rglob("*.toml"))


def exact_tomli(text: str) -> dict[str, Any]:
    data: dict[str, Any] = tomli.loads(text, parse_float=Decimal)
    return data


def fast(text: str) -> dict[str, Any]:
    import toml_rs

    data: dict[str, Any] = toml_rs.loads(text, toml_version="1.0.0", parse_float=Decimal)
    return data


@needs_fast
def test_every_shipped_file_reads_the_same_with_both_parsers() -> None:
    assert len(SHIPPED) > 70
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        assert fast(text) == exact_tomli(text), path


@needs_fast
def test_decimals_keep_their_written_scale() -> None:
    data = fast("rate = 0.70\nbig = 1e5\nshare = 0.007\n")
    assert data == {"rate": Decimal("0.70"), "big": Decimal("1E+5"), "share": Decimal("0.007")}
    assert str(data["rate"]) == "0.70"  # as tomli reads it: the scale a file writes is kept


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=6)


def as_toml(doc: dict[str, Any]) -> str:
    """The document written by tomlkit (Decimals as their digits: TOML floats)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return tomlkit.items.Float(float(value), tomlkit.items.Trivia(), format(value, "f"))
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return tomlkit.dumps(plain(doc))


@needs_fast
@settings(max_examples=150, deadline=None)
@given(documents)
def test_any_document_reads_the_same_with_both_parsers(doc: dict[str, Any]) -> None:
    text = as_toml(doc)
    assert fast(text) == exact_tomli(text)


def test_errors_are_tomlis_with_or_without_the_fast_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'name = "x"\n[region]\nlevel = \n'
    shown = []
    for use_fast in (True, False):
        monkeypatch.setattr(reading, "_FAST", None if use_fast else False)
        if not use_fast:
            monkeypatch.setenv("PREMIUM_CALC_TOML", "tomli")
        with pytest.raises(RateFileError) as caught:
            parse_toml_text(Path("bad.toml"), text)
        shown.append(str(caught.value))
    assert shown[0] == shown[1]
    assert "bad.toml:3" in shown[0]


def test_tomli_alone_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "_FAST", None)
    monkeypatch.setenv("PREMIUM_CALC_TOML", "tomli")
    assert reading._fast_toml() is None
    assert parse_toml("a = 1.50", parse_float=Decimal) == {"a": Decimal("1.50")}
