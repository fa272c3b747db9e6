"""``premium-calc batch``: price a survey file of many households at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..messages import tr
from ._common import RatesDirOption, app, fail, get_book, user_errors


@app.command()
@user_errors
def batch(
    file: Annotated[Path, typer.Argument(help="CSV: household,age,sex,flags,income (birth_date optional).")],
    region: Annotated[str, typer.Option("--region", "-r", help="Region id or name.")],
    year: Annotated[int, typer.Option("--year", "-y", help="Coverage year.")],
    tier: Annotated[str | None, typer.Option("--tier", help="Optional tier (default: cheapest).")] = None,
    late: Annotated[bool, typer.Option("--late", help="Everyone enrols late.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the CSV here instead of stdout.")
    ] = None,
    rates_dir: RatesDirOption = None,
) -> None:
    """Price many households from a CSV file with the vectorised engine.

    One row per member. Output: one CSV row per household with members, gross, assistance,
    paid (exact yuan), income and burden ratio (paid / income, 4 decimals), and a status
    naming any member that could not be priced (a missing fact or amount).
    """
    import sys

    from rich.progress import Progress

    from ..household.batch import price_batch
    from ..household.survey import household_rows, read_survey_csv
    from ..render.machine import to_csv

    book = get_book(rates_dir)
    schedule = book.schedule(region, year)
    size = file.stat().st_size if file.is_file() else 0
    with Progress(transient=True, console=None, disable=size < 2_000_000 or not sys.stderr.isatty()) as bar:
        task = bar.add_task("reading members", total=None)
        survey = read_survey_csv(
            str(file), schedule.coverage_year, late=late, progress=lambda n: bar.update(task, completed=n)
        )
    rows = household_rows(survey, price_batch(schedule, survey.table, tier=tier))
    text = to_csv(rows)
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(tr("cli.cannot_write", "en", path=out, reason=exc.strerror or exc))
        typer.echo(tr("cli.households_written", "en", count=len(rows), path=out), err=True)
