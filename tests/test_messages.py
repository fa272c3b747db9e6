"""The message catalog: one text per key in each language, compiled catalogs up to date, every key
the code names present, and the fallbacks (Chinese -> English, never the bare key)."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest

from premium_calc.messages import LANGUAGES, LOCALE_DIR, Note, has, pick, tr, uses_cjk
from premium_calc.ratefiles.model import Name

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PACKAGE = Path(__file__).resolve().parent.parent / "premium_calc"


def _po(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "premium_calc.po").open("rb") as f:
        return read_po(f, locale=lang)


CATALOGS = {lang: _po(lang) for lang in LANGUAGES}
KEYS = {m.id for m in CATALOGS["en"] if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(lang: str) -> None:
    """After editing a .po file: pybabel compile -d premium_calc/messages/locale -D premium_calc."""
    buffer = io.BytesIO()
    write_mo(buffer, CATALOGS[lang])
    compiled = (LOCALE_DIR / lang / "LC_MESSAGES" / "premium_calc.mo").read_bytes()
    assert compiled == buffer.getvalue(), f"{lang}: the .mo file is stale; run pybabel compile"


def test_both_languages_have_the_same_keys_and_english_is_complete() -> None:
    zh = {m.id for m in CATALOGS["zh"] if m.id}
    assert zh == KEYS
    assert not [m.id for m in CATALOGS["en"] if m.id and not m.string], "English texts are the fallback"
    assert not CATALOGS["zh"].fuzzy and not CATALOGS["en"].fuzzy, "a fuzzy catalog is not compiled"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_formats(lang: str) -> None:
    """Each text is a valid str.format template, filled from the fields of both languages."""
    for message in CATALOGS[lang]:
        if not message.id or not message.string:
            continue
        english = CATALOGS["en"][message.id].string
        fields = {f: "x" for f in _fields(message.string) | _fields(english)}
        message.string.format(**fields)


def test_every_key_the_code_names_exists() -> None:
    """Keys written as literals in tr(...) and Note(...) calls (Babel's extractor reads them)."""
    found = {
        (filename, lineno, msg)
        for filename, lineno, msg, _, _ in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords={"tr": None, "Note": None}
        )
        if isinstance(msg, str)
    }
    assert len(found) > 60
    missing = sorted((f, n, m) for f, n, m in found if m not in KEYS)
    assert not missing, f"keys not in the catalog: {missing}"


def test_lookup_falls_back_to_english_not_to_the_key() -> None:
    assert tr("calc.member", "zh") == "成员"
    assert tr("calc.member", "en") == "member"
    # A key with no Chinese text yet is shown in English in Chinese output.
    untranslated = [m.id for m in CATALOGS["zh"] if m.id and not m.string]
    for key in untranslated[:5]:
        assert tr(key, "zh") == tr(key, "en") != key
    assert has("calc.member") and not has("no.such.key")


def test_fields_and_nested_notes_are_shown_in_the_language_asked() -> None:
    assert tr("chart.national_min", "zh", amount=400) == "国家最低标准 400 元"
    note = Note("statistic.label", name=Note("statistic.rural"), where="", year=2024)
    assert note.text("zh") == "2024年农村居民人均可支配收入"
    assert str(note) == "per-capita disposable income, rural residents, 2024"
    assert note == Note("statistic.label", name=Note("statistic.rural"), where="", year=2024)
    assert note != Note("statistic.label", name=Note("statistic.urban"), where="", year=2024)


def test_bilingual_names_and_scripts() -> None:
    name = Name(zh="毕节市", en="Bijie")
    assert (pick(name, "zh"), pick(name, "en")) == ("毕节市", "Bijie")
    assert uses_cjk("zh") and not uses_cjk("en")
