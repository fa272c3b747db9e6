"""``premium-calc batch``: price a survey file of many households at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..messages import tr
from ._common import RatesDirOption, app, current_language, fail, get_book, short_help, user_errors
from .language import LANG

BATCH_HELP = tr("cli.help.batch", LANG)


@app.command(help=BATCH_HELP, short_help=short_help(BATCH_HELP))
@user_errors
def batch(
    file: Annotated[Path, typer.Argument(help=tr("cli.help.batch.file", LANG))],
    region: Annotated[str, typer.Option("--region", "-r", help=tr("cli.help.batch.region", LANG))],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help=tr("cli.help.calc.year", LANG))
    ] = None,
    paid_in: Annotated[
        int | None, typer.Option("--paid-in", help=tr("cli.help.calc.paid_in", LANG))
    ] = None,
    tier: Annotated[str | None, typer.Option("--tier", help=tr("cli.help.batch.tier", LANG))] = None,
    late: Annotated[bool, typer.Option("--late", help=tr("cli.help.batch.late", LANG))] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=tr("cli.help.batch.out", LANG))
    ] = None,
    rates_dir: RatesDirOption = None,
) -> None:
    import sys

    from rich.progress import Progress

    from ..household.batch import price_batch
    from ..household.survey import household_rows, read_survey_csv
    from ..render.assessment import HEADLINE_NOTES
    from ..render.formats import say
    from ..render.machine import to_csv
    from .calc import chosen_year

    lang = current_language()
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
        task = bar.add_task(tr("cli.progress.reading_members", current_language()), total=None)
        survey = read_survey_csv(
            str(file), schedule.coverage_year, late=late, progress=lambda n: bar.update(task, completed=n)
        )
    rows = household_rows(
        survey, price_batch(schedule, survey.table, tier=tier), standard=schedule.standard_from,
        at_least=schedule.national_fallback,
    )
    text = to_csv(rows)
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(tr("cli.cannot_write", lang, path=out, reason=exc.strerror or exc), lang=lang)
        typer.echo(tr("cli.households_written", lang, count=len(rows), path=out), err=True)
