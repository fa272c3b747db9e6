"""One pydantic ``ValidationError`` -> the key path and a one-line rule a person can act on.

Used for rate and statistics files (:func:`validation_error`, a :class:`RateFileError` with
file, line and key path) and for household files and members (:func:`first_error`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import RateFileError
from ..messages import Note, has
from .keypaths import KeyPath, _is_type_tag, format_path, line_of


def first_error(exc: ValidationError, unknown_key: Note) -> tuple[KeyPath, Note]:
    """The key path of the first error and what is wrong with it (``unknown_key`` names the
    keys allowed where an unknown key was found)."""
    return describe(specific_errors(exc)[0], unknown_key)


def specific_errors(exc: ValidationError) -> list[Any]:
    """pydantic's errors, most specific first-come: where a value failed every member of a
    union (``individual = { base = 1, months = 0 }`` is neither a number nor a valid
    formula), the error inside the table (``individual.months``) is kept and the one on the
    table itself (``individual: should be a number``) dropped; one error per key path."""
    found = exc.errors(include_url=False)
    paths = [_clean(tuple(err["loc"])) for err in found]
    out: list[Any] = []
    seen: set[KeyPath] = set()
    for err, path in zip(found, paths, strict=True):
        deeper = any(len(other) > len(path) and other[: len(path)] == path for other in paths)
        if deeper or path in seen:
            continue
        seen.add(path)
        out.append(err)
    return out or found[:1]


def _clean(loc: KeyPath) -> KeyPath:
    return tuple(p for p in loc if isinstance(p, int) or not _is_type_tag(p))


def describe(err: Any, unknown_key: Note) -> tuple[KeyPath, Note]:
    """One pydantic error: its key path and what is wrong with it."""
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
    if isinstance(value, Note):
        return value
    if isinstance(value, str):
        return value.replace("' or '", "', '")  # literal_error's "'male' or 'female'"
    return value if isinstance(value, int) else str(value)


def validation_error(path: Path, exc: ValidationError) -> RateFileError:
    """The first pydantic error of a file, as a RateFileError with line and key path."""
    return validation_errors(path, exc, limit=1)[0]


def validation_errors(path: Path, exc: ValidationError, limit: int = 50) -> list[RateFileError]:
    """Every pydantic error of a file (the :func:`specific_errors`, at most ``limit``), each a
    RateFileError with line and key path: ``rates validate`` reports them in one run."""
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except OSError:
        text = None
    out = []
    for err in specific_errors(exc)[:limit]:
        loc, detail = describe(err, Note("error.unknown_rate_file_key"))
        line = line_of(text, loc) if text is not None else None
        out.append(
            RateFileError(
                path, detail, line=line, key=format_path(loc) or None, key_path=loc or None, rule="schema"
            )
        )
    return out


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
