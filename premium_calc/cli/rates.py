"""``premium-calc rates ...``: validate, show, explain, diff and edit rate files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..messages import Note, tr
from ..render.rates import shown_path
from ._common import (
    DEFAULT_LANG,
    JsonOption,
    Lang,
    LangOption,
    RatesDirOption,
    echo_json,
    emit,
    fail,
    get_book,
    json_or_csv,
    rates_app,
    short_help,
    user_errors,
)
from .language import LANG

if TYPE_CHECKING:
    from ..upkeep.commit import EditResult

VALIDATE_HELP = tr("cli.help.rates.validate", LANG)
SHOW_HELP = tr("cli.help.rates.show", LANG)
EXPLAIN_HELP = tr("cli.help.rates.explain", LANG)
DIFF_HELP = tr("cli.help.rates.diff", LANG)
SET_HELP = tr("cli.help.rates.set", LANG)
NEW_YEAR_HELP = tr("cli.help.rates.new_year", LANG)
SCHEMA_HELP = tr("cli.help.rates.schema", LANG)


# --- validate ---------------------------------------------------------------------------


@rates_app.command("validate", help=VALIDATE_HELP, short_help=short_help(VALIDATE_HELP))
@user_errors
def validate_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=tr("cli.help.rates.validate.paths", LANG), show_default=False),
    ] = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..errors import RateFileError
    from ..render.rates import problem_dict, validation_report
    from ..upkeep.problems import errors, warnings
    from ..upkeep.validate import count_files, validate

    for path in paths or ():
        if not path.exists():
            raise RateFileError(path, Note("error.no_such_path"), rule="file")
    book = get_book(rates_dir, cache=False)  # validation reads every file, never the cache
    problems = validate(book, paths or None)
    files = count_files(book, paths)
    errs, warns = errors(problems), warnings(problems)
    if json_out:
        echo_json(
            {
                "files": files,
                "errors": [problem_dict(p) for p in errs],
                "warnings": [problem_dict(p) for p in warns],
            }
        )
    else:
        emit(validation_report(errs, warns, files, lang))
    if errs:
        raise typer.Exit(1)


# --- show / explain / diff --------------------------------------------------------------


@rates_app.command("show", help=SHOW_HELP, short_help=short_help(SHOW_HELP))
@user_errors
def show_cmd(
    region: Annotated[str, typer.Argument(help=tr("cli.help.rates.show.region", LANG))],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help=tr("cli.help.rates.show.year", LANG))
    ] = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..ratebook.explain import show
    from ..render.rates import show_report

    view = show(get_book(rates_dir), region, year)
    if json_out:
        echo_json(view.as_dict())
        return
    emit(show_report(view, lang))


@rates_app.command("explain", help=EXPLAIN_HELP, short_help=short_help(EXPLAIN_HELP))
@user_errors
def explain_cmd(
    region: Annotated[str, typer.Argument(help=tr("cli.help.rates.explain.region", LANG))],
    year: Annotated[int, typer.Argument(help=tr("cli.help.rates.explain.year", LANG))],
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..ratebook.explain import explain
    from ..render.rates import explain_json, explain_report

    e = explain(get_book(rates_dir), region, year)
    if json_out:
        echo_json(explain_json(e))
        return
    emit(explain_report(e, lang))


@rates_app.command("diff", help=DIFF_HELP, short_help=short_help(DIFF_HELP))
@user_errors
def diff_cmd(
    region: Annotated[str, typer.Argument(help=tr("cli.help.rates.diff.region", LANG))],
    year1: Annotated[int, typer.Argument(help=tr("cli.help.rates.diff.year1", LANG))],
    year2: Annotated[int, typer.Argument(help=tr("cli.help.rates.diff.year2", LANG))],
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help=tr("cli.help.rates.diff.csv", LANG))] = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..ratebook.diff import diff
    from ..render.rates import diff_report

    json_or_csv(json_out, csv_out, lang)
    d = diff(get_book(rates_dir), region, year1, year2)
    if json_out:
        echo_json(d.as_dict())
        return
    if csv_out:
        from ..render.machine import to_csv
        from ..render.rates import DIFF_COLUMNS, diff_rows

        typer.echo(to_csv(diff_rows(d), DIFF_COLUMNS), nl=False)
        return
    emit(diff_report(d, lang))


# --- edits ------------------------------------------------------------------------------

SourceOption = Annotated[
    str | None,
    typer.Option("--source", help=tr("cli.help.rates.source", LANG)),
]
SourceTitleOption = Annotated[
    str | None, typer.Option("--source-title", help=tr("cli.help.rates.source_title", LANG))
]
ConfidenceOption = Annotated[
    str | None,
    typer.Option("--confidence", help=tr("cli.help.rates.confidence", LANG)),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help=tr("cli.help.rates.dry_run", LANG))]
AllowOutsideOption = Annotated[
    bool, typer.Option("--allow-outside", help=tr("cli.help.rates.allow_outside", LANG))
]


def _report_edit(result: EditResult, lang: Lang, json_out: bool) -> None:
    from ..render.rates import edit_json, edit_report

    if json_out:
        echo_json(edit_json(result))
    else:
        emit(edit_report(result, lang))


@rates_app.command("set", help=SET_HELP, short_help=short_help(SET_HELP))
@user_errors
def set_cmd(
    region: Annotated[str, typer.Argument(help=tr("cli.help.rates.set.region", LANG))],
    year: Annotated[int, typer.Argument(help=tr("cli.help.rates.set.year", LANG))],
    key: Annotated[str, typer.Argument(help=tr("cli.help.rates.set.key", LANG))],
    value: Annotated[str, typer.Argument(help=tr("cli.help.rates.set.value", LANG))],
    source: SourceOption = None,
    source_title: SourceTitleOption = None,
    confidence: ConfidenceOption = None,
    dry_run: DryRunOption = False,
    allow_outside: AllowOutsideOption = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..errors import EditError
    from ..upkeep.set_value import set_value

    try:
        result = set_value(
            get_book(rates_dir),
            region,
            year,
            key,
            value,
            source_url=source,
            source_title=source_title,
            confidence=confidence,
            dry_run=dry_run,
            allow_outside=allow_outside,
        )
    except EditError as exc:
        fail(exc.describe(shown_path, lang), lang=lang)
    _report_edit(result, lang, json_out)


@rates_app.command("new-year", help=NEW_YEAR_HELP, short_help=short_help(NEW_YEAR_HELP))
@user_errors
def new_year_cmd(
    region: Annotated[str, typer.Argument(help=tr("cli.help.rates.new_year.region", LANG))],
    from_year: Annotated[int, typer.Option("--from", help=tr("cli.help.rates.new_year.from", LANG))],
    year: Annotated[int, typer.Option("--year", "-y", help=tr("cli.help.rates.new_year.year", LANG))],
    bump: Annotated[
        list[str] | None,
        typer.Option("--bump", help=tr("cli.help.rates.new_year.bump", LANG), show_default=False),
    ] = None,
    source: SourceOption = None,
    source_title: SourceTitleOption = None,
    confidence: ConfidenceOption = None,
    dry_run: DryRunOption = False,
    allow_outside: AllowOutsideOption = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..errors import EditError
    from ..upkeep.new_year import new_year, parse_bumps

    try:
        result = new_year(
            get_book(rates_dir),
            region,
            from_year,
            year,
            parse_bumps(bump or ()),
            source_url=source,
            source_title=source_title,
            confidence=confidence,
            dry_run=dry_run,
            allow_outside=allow_outside,
        )
    except EditError as exc:
        fail(exc.describe(shown_path, lang), lang=lang)
    _report_edit(result, lang, json_out)


@rates_app.command("schema", help=SCHEMA_HELP, short_help=short_help(SCHEMA_HELP))
@user_errors
def schema_cmd(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=tr("cli.help.rates.schema.output", LANG)),
    ] = None,
    benefits: Annotated[
        bool, typer.Option("--benefits", help=tr("cli.help.rates.schema.benefits", LANG))
    ] = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: Annotated[bool, typer.Option("--json", help=tr("cli.help.rates.schema.json", LANG))] = False,
) -> None:
    """The schema is JSON: ``--json`` is accepted (as in every command) and changes nothing;
    ``--lang`` is the language of the messages (a file that cannot be written)."""
    import json

    from ..ratefiles.json_schema import benefit_file_schema, rate_file_schema

    schema = benefit_file_schema() if benefits else rate_file_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(tr("cli.cannot_write_file", lang, path=output, reason=exc.strerror or exc), lang=lang)
    typer.echo(shown_path(output))
