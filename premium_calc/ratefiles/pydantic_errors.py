"""One pydantic ``ValidationError`` -> the key path and a one-line rule a person can act on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from ..errors import RateFileError

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass


def validation_error(path: Path, exc: ValidationError) -> RateFileError:
    """The first pydantic error of a file, as a RateFileError with line and key path."""
    from .keypaths import format_path, line_of

    err = exc.errors(include_url=False)[0]
    loc = tuple(err["loc"])
    key = format_path(loc)
    try:
        line = line_of(path.read_text(encoding="utf-8"), loc)
    except OSError:
        line = None
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    value = err.get("input")
    shown = ""
    if err["type"] not in {"missing"} and not isinstance(value, dict | list):
        shown = f"{value!r}: "
    rule = msg[0].lower() + msg[1:] if msg else "invalid value"
    if err["type"] == "missing":
        rule = "this key is required"
    elif err["type"] == "extra_forbidden":
        rule = "unknown key (see rates/README.md for the keys a rate file may use)"
    return RateFileError(path, f"{shown}{rule}", line=line, key=key or None)


def _first_error(exc: ValidationError) -> str:
    from .keypaths import format_path

    err = exc.errors(include_url=False)[0]
    msg = err["msg"].removeprefix("Value error, ")
    key = format_path(tuple(err["loc"]))
    value = err.get("input")
    shown = "" if err["type"] == "missing" or isinstance(value, dict | list) else f"{value!r}: "
    if err["type"] == "missing":
        msg = "this key is required"
    elif err["type"] == "extra_forbidden":
        msg = (
            "unknown key (expected age, birth_date, sex, student, college, disability,"
            " assisted, employee, income, label)"
        )
    return f"{key + ': ' if key else ''}{shown}{msg[0].lower() + msg[1:]}"
