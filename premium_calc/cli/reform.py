"""``premium-calc reform show|validate|schema|list`` and the household comparison behind
``premium-calc calc --reform FILE`` / ``--set KEY=VALUE``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..messages import tr
from ._common import (
    DEFAULT_LANG,
    JsonOption,
    LangOption,
    RatesDirOption,
    app,
    console,
    echo_json,
    emit,
    get_book,
    short_help,
    user_errors,
)
from .language import LANG

if TYPE_CHECKING:
    from ..analyses.reform.model import Reform

REFORM_HELP = tr("cli.help.reform", LANG)
reform_app = typer.Typer(
    name="reform",
    help=REFORM_HELP,
    short_help=short_help(REFORM_HELP),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(reform_app, name="reform")

FileArgument = Annotated[str, typer.Argument(help=tr("cli.help.reform.file", LANG), show_default=False)]


def reform_from_options(reform: str | None, settings: list[str] | None) -> Reform | None:
    """The reform ``--reform`` and ``--set`` describe (``None``: neither was given)."""
    from ..analyses.reform.loading import find_reform, load_reform, with_settings

    loaded = load_reform(find_reform(reform)) if reform else None
    return with_settings(loaded, settings or [])


SHOW_HELP = tr("cli.help.reform.show", LANG)


@reform_app.command("show", help=SHOW_HELP, short_help=short_help(SHOW_HELP))
@user_errors
def show_cmd(file: FileArgument, lang: LangOption = DEFAULT_LANG, json_out: JsonOption = False) -> None:
    from ..analyses.reform.loading import find_reform, load_reform
    from ..render.reform import reform_description

    reform = load_reform(find_reform(file))
    if json_out:
        echo_json(reform)
        return
    emit(reform_description(reform, lang.value))


VALIDATE_HELP = tr("cli.help.reform.validate", LANG)


@reform_app.command("validate", help=VALIDATE_HELP, short_help=short_help(VALIDATE_HELP))
@user_errors
def validate_cmd(
    files: Annotated[list[str], typer.Argument(help=tr("cli.help.reform.file", LANG), show_default=False)],
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..analyses.reform.book import ReformedBook
    from ..analyses.reform.loading import find_reform, load_reform, read_reform_data, reform_problems
    from ..errors import ReformFileError

    report: dict[str, list[str]] = {}
    book = get_book(rates_dir)
    for name in files:
        path = find_reform(name)
        read_reform_data(path)  # a file that cannot be read: exit 2
        problems = [p.text(lang.value) for p in reform_problems(path)]
        if not problems:  # the regions it names exist in the rate book
            try:
                ReformedBook(book, load_reform(path))
            except ReformFileError as exc:
                problems.append(exc.text(lang.value))
        report[str(path)] = problems
    if json_out:
        echo_json({"files": len(report), "errors": report})
    else:
        lines = []
        for file, problems in report.items():
            if problems:
                lines.append(tr("reform.invalid", lang.value, file=file, count=len(problems)))
                lines += [f"  {p}" for p in problems]
            else:
                lines.append(tr("reform.valid", lang.value, file=file))
        emit(lines)
    if any(report.values()):
        raise typer.Exit(1)


SCHEMA_HELP = tr("cli.help.reform.schema", LANG)


@reform_app.command("schema", help=SCHEMA_HELP, short_help=short_help(SCHEMA_HELP))
@user_errors
def schema_cmd(lang: LangOption = DEFAULT_LANG, json_out: JsonOption = False) -> None:
    """The schema is JSON: ``--json`` is accepted (as in every command) and changes nothing."""
    from ..analyses.reform.loading import reform_schema

    echo_json(reform_schema())


LIST_HELP = tr("cli.help.reform.list", LANG)


@reform_app.command("list", help=LIST_HELP, short_help=short_help(LIST_HELP))
@user_errors
def list_cmd(lang: LangOption = DEFAULT_LANG, json_out: JsonOption = False) -> None:
    from ..analyses.reform.loading import load_reform, shipped_reforms
    from ..messages import pick

    reforms = [load_reform(p) for p in shipped_reforms()]
    if json_out:
        echo_json(
            [
                {"id": r.id, "name": r.name.model_dump(), "illustrative": r.illustrative, "file": str(r.file)}
                for r in reforms
            ]
        )
        return
    lines = [tr("reform.list_header", lang.value)]
    for r in reforms:
        short = tr("reform.illustrative_short", lang.value)
        mark = tr("punct.parenthesised", lang.value, text=short) if r.illustrative else ""
        lines.append(f"  {r.id}: {pick(r.name, lang.value)}{mark}")
    emit(lines)


def show_household_reform(
    reform: Reform,
    assess_options: dict[str, object],
    *,
    lang: str,
    json_out: bool,
) -> None:
    """``calc`` with ``--reform`` / ``--set``: the baseline and the reform side by side."""
    from ..analyses.reform.household import assess_reform

    year_note = assess_options.pop("year_note", None)
    result = assess_reform(reform=reform, **assess_options)  # type: ignore[arg-type]
    if year_note is not None:
        result = result.model_copy(update={"notes": [year_note, *result.notes]})
    if json_out:
        echo_json(result)
        return
    from ..render.reform import reform_table

    console().print(reform_table(result, lang))


__all__ = ["reform_app", "reform_from_options", "show_household_reform"]
