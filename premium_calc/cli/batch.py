"""``premium-calc batch``: price a survey file of many households at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..messages import tr
from ._common import (
    DEFAULT_LANG,
    LangOption,
    OutAlias,
    RatesDirOption,
    app,
    fail,
    get_book,
    json_or_csv,
    short_help,
    user_errors,
)
from .language import LANG

BATCH_HELP = tr("cli.help.batch", LANG)


@app.command(help=BATCH_HELP, short_help=short_help(BATCH_HELP))
@user_errors
def batch(
    file: Annotated[Path, typer.Argument(help=tr("cli.help.batch.file", LANG))],
    region: Annotated[str, typer.Option("--region", "-r", help=tr("cli.help.batch.region", LANG))],
    year: Annotated[int | None, typer.Option("--year", "-y", help=tr("cli.help.calc.year", LANG))] = None,
    paid_in: Annotated[int | None, typer.Option("--paid-in", help=tr("cli.help.calc.paid_in", LANG))] = None,
    tier: Annotated[str | None, typer.Option("--tier", help=tr("cli.help.batch.tier", LANG))] = None,
    late: Annotated[bool, typer.Option("--late", help=tr("cli.help.batch.late", LANG))] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=tr("cli.help.batch.out", LANG))
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help=tr("cli.help.population.encoding", LANG))
    ] = None,
    on_error: Annotated[str, typer.Option("--on-error", help=tr("cli.help.batch.on_error", LANG))] = "skip",
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help=tr("cli.help.batch.rejects", LANG))
    ] = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: Annotated[bool, typer.Option("--json", help=tr("cli.help.batch.json", LANG))] = False,
    csv_out: Annotated[bool, typer.Option("--csv", help=tr("cli.help.batch.csv", LANG))] = False,
    rates_dir: RatesDirOption = None,
    out: OutAlias = None,
) -> None:
    """``--csv`` is the default (one row per household, on stdout or to ``--output``);
    ``--json`` prints the run as JSON instead: its rows (unless ``--output`` has them), the
    count, the rows left out and the notes."""
    import sys

    from rich.progress import Progress

    from ..household.batch import price_batch
    from ..household.survey import household_rows, read_survey_csv
    from ..render.assessment import HEADLINE_NOTES
    from ..render.formats import say
    from ..render.machine import to_csv
    from .calc import chosen_year

    json_or_csv(json_out, csv_out, lang)
    output = output if output is not None else out
    if on_error not in ("skip", "stop"):
        fail(tr("cli.on_error_value", lang, value=on_error[:40]), lang=lang)
    for target in (output, rejects):
        if target is not None and file.exists() and target.exists() and target.samefile(file):
            fail(tr("cli.out_is_input", lang, path=target), lang=lang)
    coverage, year_note = chosen_year(year, paid_in)
    book = get_book(rates_dir)
    schedule = book.standard(region, coverage)
    # What changes the meaning of every row (a default year, a standard that is not the
    # region's own) goes to stderr, so the CSV stays a table.
    for note in [year_note, *schedule.notes]:
        if note is not None and getattr(note, "key", None) in HEADLINE_NOTES:
            typer.echo(say(note, lang), err=True)
    size = file.stat().st_size if file.is_file() else 0
    with Progress(transient=True, console=None, disable=size < 2_000_000 or not sys.stderr.isatty()) as bar:
        task = bar.add_task(tr("cli.progress.reading_members", lang), total=None)
        survey = read_survey_csv(
            str(file),
            schedule.coverage_year,
            late=late,
            progress=lambda n: bar.update(task, completed=n),
            encoding=encoding,
            on_error=on_error,
        )
    rows = household_rows(
        survey,
        price_batch(schedule, survey.table, tier=tier),
        standard=schedule.standard_from,
        at_least=schedule.national_fallback,
    )
    text = to_csv(rows) if output is not None or not json_out else ""
    if survey.rejected:
        typer.echo(tr("cli.rows_rejected", lang, count=len(survey.rejected), path=file), err=True)
        for _line, note in survey.rejected[:5]:
            typer.echo("  " + say(note, lang), err=True)
        if rejects is not None:
            import csv
            import io

            table = io.StringIO()
            sheet = csv.writer(table, lineterminator="\n")
            sheet.writerow(["file", "line", "reason"])
            sheet.writerows([str(file), line, note.text(lang)] for line, note in survey.rejected)
            _write_whole(rejects, table.getvalue(), lang)
    if output is not None:
        _write_whole(output, text, lang)
        typer.echo(tr("cli.households_written", lang, count=len(rows), path=output), err=True)
    if json_out:
        from ._common import echo_json

        notes = [note for note in [year_note, *schedule.notes] if note is not None]
        echo_json(
            {
                "file": str(file),
                "region": schedule.region,
                "standard_from": schedule.standard_from,
                "coverage_year": schedule.coverage_year,
                "households": len(rows),
                "output": None if output is None else str(output),
                "rows": None if output is not None else rows,
                "rejected": [{"line": line, "reason": note} for line, note in survey.rejected],
                "notes": notes,
            }
        )
    elif output is None:
        typer.echo(text, nl=False)


def _write_whole(path: Path, text: str, lang: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and put it in place: a failed write
    leaves the old file as it was."""
    import contextlib
    import os
    import tempfile

    from ..errors import PremiumCalcError

    try:
        if path.exists() and not path.is_file():  # never replace a device, pipe or directory
            from ..messages import Note

            raise PremiumCalcError(Note("error.out_not_regular", path=str(path)))
    except PremiumCalcError as exc:
        fail(exc.text(lang), lang=lang)
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        fail(tr("cli.cannot_write", lang, path=path, reason=exc.strerror or exc), lang=lang)
