"""One pydantic ``ValidationError`` -> the key path and a one-line rule a person can act on.

Used for rate and statistics files (:func:`validation_error`, a :class:`RateFileError` with
file, line and key path) and for household files and members (:func:`first_error`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import RateFileError
from ..messages import Note, has
from .keypaths import KeyPath, format_path, line_of


def first_error(exc: ValidationError, unknown_key: Note) -> tuple[KeyPath, Note]:
    """The key path of the first error and what is wrong with it (``unknown_key`` names the
    keys allowed where an unknown key was found)."""
    err = exc.errors(include_url=False)[0]
    loc: KeyPath = tuple(err["loc"])
    value = err.get("input")
    shown = "" if err["type"] == "missing" or isinstance(value, dict | list) else f"{_shown(value)}: "
    if err["type"] == "missing":
        rule: Note = Note("error.key_required")
    elif err["type"] == "extra_forbidden":
        rule = unknown_key
    else:
        rule = _rule(err["type"], err.get("ctx") or {}, err["msg"])
    return loc, Note("error.value_rule", value=shown, rule=rule)


def _rule(kind: str, ctx: dict[str, object], msg: str) -> Note:
    """What a value should be, from the catalog: pydantic's own checks by their error type
    (``schema.less_than_equal`` ...), this project's checks by theirs (raised as
    ``PydanticCustomError("schema.<name>", ...)``); pydantic's English only for a type the
    catalog lacks."""
    key = kind if kind.startswith("schema.") else f"schema.{kind}"
    if has(key):
        return Note(key, **{k: _plain(v) for k, v in ctx.items()})
    msg = msg.removeprefix("Value error, ")
    return Note.verbatim(msg[0].lower() + msg[1:] if msg else "invalid value")


def _plain(value: object) -> object:
    """A context value as the file writes it (Decimal('130') -> 130, "'a', 'b'" stays)."""
    if isinstance(value, str):
        return value.replace("' or '", "' / '")  # literal_error's "'male' or 'female'"
    return value if isinstance(value, int) else str(value)


def validation_error(path: Path, exc: ValidationError) -> RateFileError:
    """The first pydantic error of a file, as a RateFileError with line and key path."""
    loc, detail = first_error(exc, Note("error.unknown_rate_file_key"))
    try:
        line = line_of(path.read_text(encoding="utf-8"), loc)
    except OSError:
        line = None
    return RateFileError(
        path, detail, line=line, key=format_path(loc) or None, key_path=loc or None, rule="schema"
    )


def household_error_text(exc: ValidationError) -> Note:
    """The first pydantic error of a household or member, with its key path in front."""
    loc, detail = first_error(exc, Note("error.unknown_household_key"))
    key = format_path(loc)
    return Note("error.keyed", key=f"{key}: " if key else "", detail=detail)


def _shown(value: object) -> str:
    """A rejected value as the file writes it (Decimal('1E+30') -> '1E+30'), cut to 60 characters."""
    from decimal import Decimal

    text = f"'{value}'" if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
