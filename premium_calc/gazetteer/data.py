"""Reading the shipped list of divisions (``divisions.tsv``, written by tools/build_gazetteer.py).

Its header says where the list comes from (``source``, ``vintage``, ``upstream``, ``licence``);
:func:`read` returns those lines as a mapping beside the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from .place import LEVELS, Place

FILE = "divisions.tsv"


@dataclass(frozen=True, slots=True)
class Record:
    """A place with every name it is looked up by: Chinese (official, short, other forms),
    pinyin (of the short name, the official name and each form) and English."""

    place: Place
    chinese: tuple[str, ...]
    pinyin: tuple[str, ...]
    english: tuple[str, ...]


def _record(line: str) -> Record:
    code, level, parent, name, short, pinyin, en, covered, forms, spellings = line.split("\t")
    if level not in LEVELS:
        raise ValueError(f"{FILE}: bad level {level!r} for {code}")
    english = tuple(en.split("|")) if en else ()
    place = Place(code, name, short, pinyin, english[0] if english else None, level,
                  parent or None, covered == "1")  # fmt: skip
    chinese = (name, short, *forms.split("|")) if forms else (name, short)
    return Record(place, chinese, (pinyin, *spellings.split("|")), english)


def read() -> tuple[dict[str, str], list[Record]]:
    """The header's ``key: value`` lines and the records, in code order."""
    text = resources.files(__package__).joinpath(FILE).read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("code\t"):
            break
        key, sep, value = line.removeprefix("# ").partition(": ")
        if sep:
            meta[key] = value
    return meta, [_record(line) for line in lines if line]
