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
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pydantic_core import CoreSchema


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
    ``{name}`` fields filled in (a field that is itself a :class:`Note`, or a name given in both
    languages, such as a rate file's bilingual ``note``, is shown in ``lang``)."""
    code = _code(lang)
    template = _catalog(code).gettext(key)
    if not fields:
        return template
    return template.format(**{k: _shown(v, code) for k, v in fields.items()})


def _shown(value: object, lang: str) -> object:
    """A field as shown in ``lang``: a note in that language, a bilingual name in its form."""
    if isinstance(value, Note):
        return value.text(lang)
    if not isinstance(value, str) and isinstance(getattr(value, "zh", None), str) and isinstance(
        getattr(value, "en", None), str
    ):
        return pick(value, lang)  # type: ignore[arg-type]
    return value


def _code(lang: str) -> str:
    """``"zh"`` for ``"zh"`` or an enum member whose value is ``"zh"``."""
    value = getattr(lang, "value", lang)
    return value if isinstance(value, str) else str(value)


def labelled(key: str, lang: str, /, **fields: object) -> str:
    """The text of ``key`` followed by a colon in the language's typography, ready for a value:
    ``家庭年收入：`` (a full-width colon, no space) or ``household income: ``."""
    return tr(key, lang, **fields) + tr("punct.colon", lang)


def tr_or(key: str, lang: str, fallback: str) -> str:
    """The text of ``key`` in ``lang``, or ``fallback`` where the catalog has no such key (a
    value from the data, such as a measure or a level, shown as it is)."""
    return tr(key, lang) if has(key) else fallback


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


class Note(str):
    """A text the library attaches to a result: a catalog key and its fields.

    A note *is* its English text (a ``str``, so ``--json`` and code that reads notes as text see
    what they always saw); renderers call :meth:`text` with the user's language. In pydantic
    models a ``Note`` field serialises to that English string; a plain string given for it is
    kept verbatim (key ``note.text``).
    """

    key: str
    fields: Mapping[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Note:
        note = super().__new__(cls, tr(key, DEFAULT_LANGUAGE, **fields))
        note.key = key
        note.fields = fields
        return note

    @classmethod
    def verbatim(cls, text: str) -> Note:
        """A note whose text is given as is (from data, or from an older result)."""
        return cls("note.text", text=text)

    def text(self, lang: str) -> str:
        """The note in ``lang``."""
        return tr(self.key, lang, **self.fields)

    def __repr__(self) -> str:
        return f"Note({self.key!r}, {dict(self.fields)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, dict(self.fields)))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        # Imported here: building a schema means pydantic is loaded anyway, and the catalog
        # (imported by the CLI before anything else) stays light.
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls._validate,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema(), when_used="json"
            ),
        )

    @classmethod
    def _validate(cls, value: object) -> Note:
        if isinstance(value, Note):
            return value
        if isinstance(value, str):
            return cls.verbatim(value)
        raise ValueError("expected a note (text)")


def _rebuild(key: str, fields: dict[str, object]) -> Note:
    return Note(key, **fields)


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Note", "has", "labelled", "pick", "tr", "tr_or", "uses_cjk"]
