"""One message catalog for every text a user sees, in Chinese and English.

Texts are looked up by a stable key (``calc.member``, ``note.statistic_from_ancestor``,
``error.unknown_region``) in gettext catalogs, one per language::

    premium_calc/messages/locale/<lang>/LC_MESSAGES/premium_calc.po   # edit these
    premium_calc/messages/locale/<lang>/LC_MESSAGES/premium_calc.mo   # compiled, shipped

A key without a Chinese text falls back to the English one, never to the key itself. Texts may
hold ``{name}`` fields, filled from keyword arguments (``str.format`` rules). After editing a
``.po`` file, compile the catalogs with Babel::

    pybabel compile -d premium_calc/messages/locale -D premium_calc

(``tests/test_messages.py`` checks that the ``.mo`` files match the ``.po`` files, that both
languages have the same keys and that every key the code names exists.)

The library below the renderers never chooses a language: it returns codes and fields
(:class:`Note`, :class:`~premium_calc.errors.PremiumCalcError`); ``str()`` of those is English,
and renderers ask for the language the user chose.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Protocol

#: The languages there are catalogs for; the first is the language of the project.
LANGUAGES: tuple[str, ...] = ("zh", "en")
#: The language of ``str()`` of notes and errors.
DEFAULT_LANGUAGE = "en"
DOMAIN = "premium_calc"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    english = gettext.translation(DOMAIN, LOCALE_DIR, languages=["en"], fallback=True)
    if lang == "en":
        return english
    catalog = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    catalog.add_fallback(english)
    return catalog


def tr(key: str, lang: str, /, **fields: object) -> str:
    """The text of ``key`` in ``lang`` (English if there is no text in that language), with
    ``{name}`` fields filled in (a field that is itself a :class:`Note` is shown in ``lang``)."""
    code = _code(lang)
    template = _catalog(code).gettext(key)
    if not fields:
        return template
    shown = {k: v.text(code) if isinstance(v, Note) else v for k, v in fields.items()}
    return template.format(**shown)


def _code(lang: str) -> str:
    """``"zh"`` for ``"zh"`` or an enum member whose value is ``"zh"``."""
    value = getattr(lang, "value", lang)
    return value if isinstance(value, str) else str(value)


def has(key: str) -> bool:
    """Whether the catalog has a text for ``key``."""
    return _catalog("en").gettext(key) != key


class Bilingual(Protocol):
    """A name that data gives in both languages (a region, a category, a tier)."""

    @property
    def zh(self) -> str: ...

    @property
    def en(self) -> str: ...


def pick(name: Bilingual, lang: str) -> str:
    """The ``lang`` form of a name the data gives in both languages."""
    return name.zh if _code(lang) == "zh" else name.en


def uses_cjk(lang: str) -> bool:
    """Whether text in ``lang`` is written in CJK characters (wide cells, no initials)."""
    return _code(lang) == "zh"


class Note:
    """A note the library attaches to a result: a catalog key and its fields.

    ``str(note)`` is the English text; renderers call :meth:`text` with the user's language.
    Notes compare equal by key and fields.
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        self.fields: Mapping[str, object] = fields

    def text(self, lang: str) -> str:
        return tr(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        return f"Note({self.key!r}, {dict(self.fields)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Note):
            return (self.key, dict(self.fields)) == (other.key, dict(other.fields))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.fields.items(), key=lambda kv: kv[0]))))


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Note", "has", "pick", "tr", "uses_cjk"]
