"""``premium-calc rates ...``: validate, show, explain, diff and edit rate files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..messages import tr
from ..render.formats import region_name
from ._common import (
    JsonOption,
    Lang,
    LangOption,
    RatesDirOption,
    console,
    echo_json,
    fail,
    get_book,
    rates_app,
    user_errors,
)

if TYPE_CHECKING:
    from ..ratebook.explain import Explanation
    from ..upkeep.commit import EditResult
    from ..upkeep.problems import Problem





def _shown(path: Path | str) -> str:
    """A path relative to the working directory where it is below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


def _mark(confidence: str) -> str:
    from ..render.formats import confidence_mark

    return confidence_mark(confidence)


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
    from ..upkeep.problems import errors, warnings
    from ..upkeep.validate import validate

    for path in paths or ():
        if not path.exists():
            raise RateFileError(path, "no such file or directory (expected a rate file or directory)")
    book = get_book(rates_dir)
    problems = validate(book, paths or None)
    files = _count_files(book, paths)
    errs, warns = errors(problems), warnings(problems)
    if json_out:
        echo_json(
            {
                "files": files,
                "errors": [_problem_dict(p) for p in errs],
                "warnings": [_problem_dict(p) for p in warns],
            }
        )
    else:
        for title, group in (("errors", errs), ("warnings", warns)):
            if not group:
                continue
            typer.echo(f"{tr('rates.' + title, lang)} ({len(group)}):")
            for p in group:
                typer.echo(p.render(_shown(p.file)))
        typer.echo(
            f"{tr('rates.checked', lang)}: {files}; {tr('rates.errors', lang)}: {len(errs)};"
            f" {tr('rates.warnings', lang)}: {len(warns)}"
        )
    if errs:
        raise typer.Exit(1)


def _problem_dict(p: Problem) -> dict[str, Any]:
    out = p.as_dict()
    out["file"] = _shown(p.file)
    out["text"] = p.render(out["file"])
    return out


def _count_files(book: Any, paths: list[Path] | None) -> int:
    from ..ratefiles.reading import iter_rate_files

    if not paths:
        return len(book.region_ids())
    return sum(len(list(iter_rate_files(p))) if p.is_dir() else 1 for p in paths)


# --- show / explain / diff --------------------------------------------------------------


def _header(e: Explanation, lang: Lang) -> str:
    from ..units import money

    name = region_name(e.name, lang)
    policy = f", {tr('rates.policy_year', lang)} {e.policy_year}" if e.policy_year else ""
    minimum = (
        f"\n{tr('rates.national_min', lang)}: {money(e.national_minimum)}"
        if e.national_minimum is not None
        else ""
    )
    return (
        f"{name} {e.region}, {tr('rates.coverage_year', lang)} {e.year}{policy}\n"
        f"{tr('rates.chain', lang)}: {' -> '.join(e.chain)}{minimum}"
    )


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
    from rich.table import Table

    from ..ratebook.explain import show

    view = show(get_book(rates_dir), region, year)
    if json_out:
        echo_json(view.as_dict())
        return
    out = console()
    name = region_name(view.name, lang)
    typer.echo(f"{name} {view.region} ({view.level}) {_shown(view.file)}")
    typer.echo(f"{tr('rates.chain', lang)}: {' -> '.join(view.chain)}")
    typer.echo(f"{tr('rates.years', lang)}: {', '.join(str(y) for y in view.years) or '-'}")
    any_low = False
    for e in view.explanations:
        typer.echo("")
        typer.echo(_header(e, lang))
        table = Table(show_header=True, box=None, pad_edge=False)
        width = max((len(v.key) for v in e.values), default=10)
        table.add_column(tr("rates.key", lang), no_wrap=True, min_width=width)
        for col in ("value", "from", "confidence"):
            table.add_column(tr(f"rates.{col}", lang))
        for v in e.values:
            mark = _mark(v.source.confidence)
            any_low = any_low or bool(mark)
            table.add_row(v.key, v.text + mark, v.region if v.inherited else "-", v.source.confidence)
        out.print(table)
    if any_low:
        from ..render.formats import LOW_MARK

        typer.echo(f"{LOW_MARK} {tr('rates.low_note', lang)}")


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

    e = explain(get_book(rates_dir), region, year)
    if json_out:
        data = e.as_dict()
        data["file"] = _shown(e.file)
        for row in data["values"]:
            row["file"] = _shown(row["file"])
        echo_json(data)
        return
    typer.echo(_header(e, lang))
    any_low = False
    for v in e.values:
        mark = _mark(v.source.confidence)
        any_low = any_low or bool(mark)
        formula = f" ({v.formula})" if v.formula else ""
        line = v.line()
        where = _shown(v.file) + (f":{line}" if line is not None else "")
        whose = f"{tr('rates.inherited', lang)} {v.region}" if v.inherited else tr("rates.own", lang)
        url = f" <{v.source.url}>" if v.source.url else ""
        typer.echo("")
        typer.echo(f"{v.key} = {v.text}{mark}{formula}")
        typer.echo(f"  {where} ({whose})")
        typer.echo(
            f"  {tr('rates.source', lang)}: {v.source.title}{url}"
            f" ({tr('rates.confidence', lang)}: {v.source.confidence}{mark})"
        )
    if any_low:
        from ..render.formats import LOW_MARK

        typer.echo(f"\n{LOW_MARK} {tr('rates.low_note', lang)}")


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
    from rich.table import Table

    from ..ratebook.diff import diff
    from ..units import money

    d = diff(get_book(rates_dir), region, year1, year2)
    if json_out:
        echo_json(d.as_dict())
        return
    name = region_name(d.name, lang)
    typer.echo(f"{name} {d.region}: {year1} -> {year2}")
    if not d.changes:
        typer.echo(tr("rates.no_changes", lang))
        return
    table = Table(show_header=True, box=None, pad_edge=False)
    width = max(len(c.key) for c in d.changes)
    table.add_column(tr("rates.key", lang), no_wrap=True, min_width=width)
    table.add_column(str(year1), justify="right")
    table.add_column(str(year2), justify="right")
    table.add_column(tr("rates.change", lang), justify="right")
    table.add_column("%", justify="right")
    for c in d.changes:
        old = "-" if c.old is None else c.old.text + _mark(c.old.source.confidence)
        new = "-" if c.new is None else c.new.text + _mark(c.new.source.confidence)
        change = "" if c.change is None else ("+" if c.change > 0 else "") + money(c.change)
        pct = "" if c.percent is None else f"{'+' if c.percent > 0 else ''}{c.percent}%"
        table.add_row(c.key, old, new, change, pct)
    console().print(table)


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
    if json_out:
        data = result.as_dict()
        data["file"] = _shown(result.path)
        data["diff"] = result.diff(_shown(result.path))
        data["warnings"] = [_problem_dict(w) for w in result.warnings]
        echo_json(data)
        return
    shown = _shown(result.path)
    if result.dry_run:
        typer.echo(result.diff(shown), nl=False)
    for note in result.notes:
        typer.echo(f"note: {note}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning.render(_shown(warning.file))}")
    if result.dry_run:
        typer.echo(tr("rates.dry_run", lang))
    elif not result.changed:
        typer.echo(tr("rates.unchanged", lang))
    else:
        typer.echo(f"{result.region} {result.year}: {result.label}; {tr('rates.written', lang)} {shown}")


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
        fail(exc.describe(_shown))
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
        fail(exc.describe(_shown))
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
        fail(f"{output}: cannot write the file ({exc.strerror or exc})")
    typer.echo(f"{_shown(output)}")
