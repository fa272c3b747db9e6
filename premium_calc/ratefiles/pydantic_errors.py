"""One pydantic ``ValidationError`` -> the key path and a one-line rule a person can act on.

Used for rate and statistics files (:func:`validation_error`, a :class:`RateFileError` with
file, line and key path) and for household files and members (:func:`first_error`).
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import RateFileError
from ..messages import Note, has
from .keypaths import KeyPath, format_path, is_type_tag, line_of


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
    paths = [clean_loc(tuple(err["loc"])) for err in found]
    out: list[Any] = []
    seen: set[KeyPath] = set()
    for err, path in zip(found, paths, strict=True):
        deeper = any(len(other) > len(path) and other[: len(path)] == path for other in paths)
        if deeper or path in seen:
            continue
        seen.add(path)
        out.append(err)
    return out or found[:1]


def clean_loc(loc: KeyPath) -> KeyPath:
    return tuple(p for p in loc if isinstance(p, int) or not is_type_tag(p))


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
    model = _model_of(exc)
    for err in specific_errors(exc)[:limit]:
        loc, detail = describe(err, Note("error.unknown_rate_file_key"))
        if err["type"] == "extra_forbidden" and model is not None:
            detail = unknown_key_note(model, clean_loc(loc)) or detail
        elif err["type"] in _NUMBER_ERRORS and isinstance(err.get("input"), str):
            detail = Note(
                "error.value_expected", detail=detail, expected=Note("error.expected_unquoted_number")
            )
        line = line_of(text, loc) if text is not None else None
        out.append(
            RateFileError(
                path, detail, line=line, key=format_path(loc) or None, key_path=loc or None, rule="schema"
            )
        )
    return out


#: Errors of a value that should be a number: given as text (``subsidy = "abc"``, ``"640"``),
#: the message adds that a number is written without quotes.
_NUMBER_ERRORS = frozenset({"decimal_parsing", "decimal_type", "float_parsing", "int_parsing", "int_type"})


def unknown_key_note(model: type[BaseModel], loc: KeyPath) -> Note | None:
    """What is wrong with the unknown key at the end of ``loc`` (a cleaned key path in a file of
    ``model``): the key, the closest allowed key where one is near (``indiviual`` -> did you mean
    ``individual``?) and the keys allowed at that place; ``None`` when the place is not known."""
    if not loc or not isinstance(loc[-1], str):
        return None
    allowed = allowed_keys(model, loc[:-1])
    if not allowed:
        return None
    key = loc[-1]
    listed = ", ".join(allowed)
    near = suggest_key(key, allowed)
    if near is not None:
        return Note("error.unknown_key_did_you_mean", key=key, suggestion=near, allowed=listed)
    return Note("error.unknown_key_allowed", key=key, allowed=listed)


def suggest_key(key: str, allowed: list[str]) -> str | None:
    """The allowed key closest to ``key`` when it is close (a typo, another case), else ``None``."""
    from rapidfuzz import fuzz, process, utils

    hit = process.extractOne(
        key, allowed, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=_NEAR
    )
    return hit[0] if hit is not None else None


#: How alike (rapidfuzz ``ratio``, 0-100) an unknown key and an allowed one must be to suggest it:
#: ``indiviual`` / ``individual`` score 95, ``colection`` / ``collection`` 95, ``subsidy_src`` /
#: ``subsidy_source`` 88, ``name`` / ``note`` 50.
_NEAR = 75


def allowed_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys a table at key path ``loc`` of a ``model`` file may have, in the model's order
    (``("year", 0, "category", 0)`` of a rate file: ``id``, ``name``, ``when``, ``individual``
    ...); the keys of every table form a value there may take (``when``: one condition or a
    list of them); empty where the place is not a table of known keys."""
    types: list[Any] = [model]
    for part in loc:
        types = [t for kind in types for t in _step(kind, part)]
    keys: dict[str, None] = {}
    for member in (m for kind in types for m in _members(kind)):
        if isinstance(member, type) and issubclass(member, BaseModel):
            keys.update(dict.fromkeys(member.model_fields))
    return list(keys)


def _step(kind: Any, part: str | int) -> list[Any]:
    """The types a value of type ``kind`` holds at ``part`` (a key or a list index)."""
    out: list[Any] = []
    for member in _members(kind):
        if isinstance(member, type) and issubclass(member, BaseModel):
            field = member.model_fields.get(part) if isinstance(part, str) else None
            if field is not None:
                out.append(field.annotation)
            continue
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if origin is list and isinstance(part, int) and args:
            out.append(args[0])
        elif origin is dict and isinstance(part, str) and len(args) == 2:
            out.append(args[1])
    return out


def _members(kind: Any) -> list[Any]:
    """A type without ``Annotated`` and ``None``, a union split into its members."""
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _members(typing.get_args(kind)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [m for arg in typing.get_args(kind) for m in _members(arg)]
    return [] if kind is type(None) else [kind]


def _model_of(exc: ValidationError) -> type[BaseModel] | None:
    """The file model a ValidationError is about (rate, benefit or statistics file), by its title."""
    from .benefit_model import BenefitFile
    from .income_model import IncomeFile
    from .model import RateFile

    models: dict[str, type[BaseModel]] = {m.__name__: m for m in (RateFile, BenefitFile, IncomeFile)}
    return models.get(exc.title)


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
