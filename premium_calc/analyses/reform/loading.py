"""Reading reforms: a reform file (TOML, exact decimals, every problem a
:class:`~premium_calc.errors.ReformFileError` at ``file:line:col`` with the key path and, for an
unknown key, the closest allowed one), ``--set KEY=VALUE`` overrides as an in-memory reform,
the shipped examples, and the JSON Schema of the format.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import RateFileError, ReformFileError
from ...messages import Note
from .changes import SETTINGS_FILE, parse_changes
from .model import ChangeEntry, Reform, ReformInfo

#: The contribution kinds (pydantic names the one chosen in an error's key path).
_KINDS = ("income_share", "brackets", "flat_reductions")

#: The examples shipped with the package (``premium-calc reform list``).
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def _as_reform_error(exc: RateFileError) -> ReformFileError:
    return ReformFileError(
        exc.file,
        exc.detail_note,
        line=exc.line,
        column=exc.column,
        key=exc.key,
        key_path=exc.key_path,
        rule=exc.rule,
    )


def read_reform_data(path: Path) -> tuple[dict[str, Any], str]:
    """The TOML table of a reform file and its text (problems as ReformFileError)."""
    from ...ratefiles.reading import parse_toml_text, read_limited_text

    path = Path(path)
    if not path.exists():
        raise ReformFileError(path, Note("error.no_such_reform"), rule="file")
    text = read_limited_text(path, lambda note: ReformFileError(path, note, rule="file"))
    try:
        return parse_toml_text(path, text), text
    except RateFileError as exc:
        raise _as_reform_error(exc) from None


def reform_problems(path: Path, limit: int = 50) -> list[ReformFileError]:
    """Every problem of a reform file (empty: it is valid): ``reform validate`` lists them."""
    from pydantic import ValidationError

    data, text = read_reform_data(path)
    try:
        reform = Reform.model_validate(data)
    except ValidationError as exc:
        return _validation_errors(path, text, exc, limit)
    try:
        _check_changes(reform, path, text)
    except ReformFileError as exc:
        return [exc]
    return []


def load_reform(path: Path | str) -> Reform:
    """Read and validate a reform file; the first problem raises :class:`ReformFileError`."""
    from pydantic import ValidationError

    from ...errors import expect_type

    expect_type(path, (Path, str), "path", "a reform file (a path)")
    path = Path(path)
    data, text = read_reform_data(path)
    try:
        reform = Reform.model_validate(data)
    except ValidationError as exc:
        raise _validation_errors(path, text, exc, 1)[0] from None
    lines = _check_changes(reform, path, text)
    return reform.located(path, lines)


def _check_changes(reform: Reform, path: Path, text: str) -> dict[int, int]:
    """The change entries' keys and values parsed (a problem raised at its own line); the
    line of each value."""
    from ...ratefiles.keypaths import line_of

    lines = _change_lines(text, len(reform.change))
    try:
        parse_changes(reform.change, path, lines)
    except ReformFileError as exc:
        line = line_of(text, exc.key_path) if exc.key_path else exc.line
        raise ReformFileError(
            path, exc.detail_note, line=line, key=exc.key, key_path=exc.key_path, rule=exc.rule
        ) from None
    return lines


def _change_lines(text: str, count: int) -> dict[int, int]:
    from ...ratefiles.keypaths import line_of

    out = {}
    for i in range(count):
        line = line_of(text, ("change", i, "value")) or line_of(text, ("change", i))
        if line is not None:
            out[i] = line
    return out


def _validation_errors(path: Path, text: str, exc: Any, limit: int) -> list[ReformFileError]:
    from ...ratefiles.keypaths import format_path, line_of
    from ...ratefiles.pydantic_errors import clean_loc, describe, specific_errors, unknown_key_note

    out = []
    for err in specific_errors(exc)[:limit]:
        loc, detail = describe(err, Note("error.unknown_reform_key"))
        loc = clean_loc(loc)
        if len(loc) > 1 and loc[0] == "contribution" and loc[1] in _KINDS:
            loc = (loc[0], *loc[2:])  # the kind pydantic's discriminated union puts in the path
        if err["type"] == "extra_forbidden":
            detail = unknown_key_note(Reform, loc) or detail
        line = line_of(text, loc) if loc else None
        if line is None and loc:
            line = line_of(text, loc[:-1]) if len(loc) > 1 else None
        out.append(
            ReformFileError(path, detail, line=line, key=format_path(loc) or None, key_path=loc or None)
        )
    return out


def settings_reform(settings: Sequence[str], base: Reform | None = None) -> Reform:
    """A reform of ``--set KEY=VALUE`` overrides (``individual=300``, ``subsidy=+100``,
    ``category.ID.individual=...``): applied to every region (``cn`` and below) and year,
    marked illustrative (user-given). With ``base`` (a loaded reform file), the overrides are
    added after its own changes."""
    from ...ratefiles.model import BilingualText, Name

    entries = []
    for raw in settings:
        key, sep, value = raw.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ReformFileError(
                SETTINGS_FILE, Note("error.reform_setting", setting=repr(raw[:60])), rule="change"
            )
        entries.append(ChangeEntry(key=key.strip(), value=value.strip()))
    shown = ", ".join(s.strip() for s in settings)
    if base is None:
        info = ReformInfo(
            id="settings",
            name=Name(zh=f"命令行设定：{shown}", en=f"settings: {shown}"),
            assumptions=(
                BilingualText(
                    zh="数值由使用者在命令行给出（--set），不是公布的政策。",
                    en="The values are given by the user on the command line (--set), not a published rule.",
                ),
            ),
            illustrative=True,
        )
        reform = Reform(reform=info, change=tuple(entries))
        file, lines = SETTINGS_FILE, {}
        own: tuple[str, ...] = ()
    else:
        name = Name(zh=f"{base.name.zh}（另加：{shown}）", en=f"{base.name.en} (plus: {shown})")
        info = base.reform.model_copy(update={"name": name, "illustrative": True})
        reform = base.model_copy(update={"reform": info, "change": (*base.change, *entries)})
        file, lines, own = base.file, base.change_lines, base.settings
    # the overrides' errors name --set (their index is past the file's entries)
    try:
        parse_changes(reform.change[len(reform.change) - len(entries) :], SETTINGS_FILE)
    except ReformFileError as exc:
        raise ReformFileError(SETTINGS_FILE, exc.detail_note, rule="change") from None
    file_changes = base.file_changes if base is not None else 0
    return reform.located(file, lines, (*own, *settings), file_changes=file_changes)


def with_settings(reform: Reform | None, settings: Sequence[str]) -> Reform | None:
    """``reform`` plus ``--set`` overrides (``None`` when there is neither)."""
    if not settings:
        return reform
    return settings_reform(settings, reform)


def shipped_reforms() -> list[Path]:
    """The example reform files shipped with the package, by name."""
    return sorted(EXAMPLES_DIR.glob("*.toml"))


def find_reform(name: str | Path) -> Path:
    """A reform file by path, or a shipped example by its id or file name (``subsidy_724``)."""
    path = Path(name)
    if path.exists() or (path.suffix == ".toml" and "/" in str(name)):
        return path
    for candidate in shipped_reforms():
        if candidate.stem == str(name).removesuffix(".toml"):
            return candidate
    return path


def reform_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07, for editors) of a reform file, generated from :class:`Reform`
    and adjusted for TOML as the rate-file schema is (a share may be written ``"50%"``)."""
    from ...ratefiles.json_schema import editor_schema

    return editor_schema(
        Reform,
        "Reform file of premium-calc (docs/reforms.md). Generated by `premium-calc reform schema`"
        " from premium_calc.analyses.reform.model.Reform.",
    )


__all__ = [
    "EXAMPLES_DIR",
    "find_reform",
    "load_reform",
    "reform_problems",
    "reform_schema",
    "settings_reform",
    "shipped_reforms",
    "with_settings",
]
