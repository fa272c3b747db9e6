"""``premium-calc rates ...``: validate, show, explain, diff and edit rate files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..messages import Note, tr
from ..render.rates import shown_path
from ._common import (
    JsonOption,
    Lang,
    LangOption,
    RatesDirOption,
    echo_json,
    emit,
    fail,
    get_book,
    rates_app,
    user_errors,
)

if TYPE_CHECKING:
    from ..upkeep.commit import EditResult





# --- validate ---------------------------------------------------------------------------


@rates_app.command("validate")
@user_errors
def validate_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Rate files or directories to check (default: every rate file in use).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """Check rate files: each problem as file:line:col: key.path: what is wrong (expected ...).

    Errors and warnings are listed apart. Exit code 1 if there is any error, 0 otherwise.
    Example: premium-calc rates validate rates/cn/sichuan.toml
    """
    from ..errors import RateFileError
    from ..render.rates import problem_dict, validation_report
    from ..upkeep.problems import errors, warnings
    from ..upkeep.validate import count_files, validate

    for path in paths or ():
        if not path.exists():
            raise RateFileError(path, Note("error.no_such_path"), rule="file")
    book = get_book(rates_dir)
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


@rates_app.command("show")
@user_errors
def show_cmd(
    region: Annotated[str, typer.Argument(help="Region id (cn/sichuan/chengdu) or name (成都).")],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Coverage year (default: every year).")
    ] = None,
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """Every effective value of a region (one year or all), and where it comes from.

    Example: premium-calc rates show 成都 --year 2026
    """
    from ..ratebook.explain import show
    from ..render.rates import show_report

    view = show(get_book(rates_dir), region, year)
    if json_out:
        echo_json(view.as_dict())
        return
    emit(show_report(view, lang))


@rates_app.command("explain")
@user_errors
def explain_cmd(
    region: Annotated[str, typer.Argument(help="Region id (cn/sichuan/chengdu) or name (成都).")],
    year: Annotated[int, typer.Argument(help="Coverage year.")],
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """Why each value is what it is: the file and line that set it (own or inherited) and its source.

    Example: premium-calc rates explain cn/sichuan/chengdu 2026
    """
    from ..ratebook.explain import explain
    from ..render.rates import explain_json, explain_report

    e = explain(get_book(rates_dir), region, year)
    if json_out:
        echo_json(explain_json(e))
        return
    emit(explain_report(e, lang))


@rates_app.command("diff")
@user_errors
def diff_cmd(
    region: Annotated[str, typer.Argument(help="Region id or name.")],
    year1: Annotated[int, typer.Argument(help="Coverage year to compare from.")],
    year2: Annotated[int, typer.Argument(help="Coverage year to compare to.")],
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """Values that changed between two coverage years, with the absolute and % change.

    Example: premium-calc rates diff 成都 2025 2026
    """
    from ..ratebook.diff import diff
    from ..render.rates import diff_report

    d = diff(get_book(rates_dir), region, year1, year2)
    if json_out:
        echo_json(d.as_dict())
        return
    emit(diff_report(d, lang))


# --- edits ------------------------------------------------------------------------------

SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="URL of the notice or page the value comes from (required for values)."),
]
SourceTitleOption = Annotated[
    str | None, typer.Option("--source-title", help="Title of the source (default: the URL).")
]
ConfidenceOption = Annotated[
    str | None,
    typer.Option("--confidence", help="Confidence of the source: high, medium (default) or low."),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a unified diff; write nothing.")
]


def _report_edit(result: EditResult, lang: Lang, json_out: bool) -> None:
    from ..render.rates import edit_json, edit_report

    if json_out:
        echo_json(edit_json(result))
    else:
        emit(edit_report(result, lang))


def _set_help() -> str:
    return (
        "Set one value of a region's coverage year, keeping comments and layout. The new file"
        " is validated before it replaces the old one (written atomically); an invalid edit"
        " changes nothing. Example: premium-calc rates set cn/sichuan/chengdu 2026"
        " category.adult.tiers.tier2 560 --source https://example.org/notice"
    )


@rates_app.command("set", help=_set_help())
@user_errors
def set_cmd(
    region: Annotated[str, typer.Argument(help="Region id or name.")],
    year: Annotated[int, typer.Argument(help="Coverage year (must exist: see rates new-year).")],
    key: Annotated[
        str,
        typer.Argument(
            help="subsidy | collection.start | collection.end | late.amount | late.start |"
            " late.end | late.waiting_days | category.ID.individual | category.ID.tiers.TIER |"
            " category.ID.subsidy | category.ID.includes.NAME | category.ID.below_minimum |"
            " assisted.ID.pays | assisted.ID.pays_share | assisted.ID.assistance | note |"
            " collection.note | late.note | category.ID.note | assisted.ID.note. The source"
            " goes to subsidy_source, collection.source, late.source, or the category's /"
            " rule's source."
        ),
    ],
    value: Annotated[
        str, typer.Argument(help="Yuan (400, 538.36), a date (2025-09-01), 50% or text.")
    ],
    source: SourceOption = None,
    source_title: SourceTitleOption = None,
    confidence: ConfidenceOption = None,
    dry_run: DryRunOption = False,
    lang: LangOption = Lang.en,
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
        )
    except EditError as exc:
        fail(exc.describe(shown_path))
    _report_edit(result, lang, json_out)


@rates_app.command("new-year")
@user_errors
def new_year_cmd(
    region: Annotated[str, typer.Argument(help="Region id or name.")],
    from_year: Annotated[int, typer.Option("--from", help="Coverage year to copy.")],
    year: Annotated[int, typer.Option("--year", help="The new coverage year.")],
    bump: Annotated[
        list[str] | None,
        typer.Option(
            "--bump",
            help="Change amounts of the copy (repeatable): individual=+20 (every category amount"
            " and tier), subsidy=+30, late.amount=+30, category.ID.tiers.TIER=+50, +5% or a"
            " new amount (individual=420).",
            show_default=False,
        ),
    ] = None,
    source: SourceOption = None,
    source_title: SourceTitleOption = None,
    confidence: ConfidenceOption = None,
    dry_run: DryRunOption = False,
    lang: LangOption = Lang.en,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    """Add a coverage year copied from another one, with optional bumps.

    Dates move by the difference in years and per-value sources are dropped; without
    --source the new year's source is a low-confidence draft. Validated before writing.
    Example: premium-calc rates new-year cn/guizhou --from 2025 --year 2026 --bump individual=+20
    """
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
        )
    except EditError as exc:
        fail(exc.describe(shown_path))
    _report_edit(result, lang, json_out)


@rates_app.command("schema")
@user_errors
def schema_cmd(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema to this file instead of printing it."),
    ] = None,
) -> None:
    """The JSON Schema of rate files (for editors: Taplo / Even Better TOML #:schema).

    Example: premium-calc rates schema -o rates.schema.json
    """
    import json

    from ..ratefiles.json_schema import rate_file_schema

    text = json.dumps(rate_file_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(tr("cli.cannot_write_file", "en", path=output, reason=exc.strerror or exc))
    typer.echo(shown_path(output))
