"""``premium-calc rates coverage``: which regions and years exist, and how far to trust them."""

from __future__ import annotations

from typing import Annotated

import typer

from ..messages import tr
from ._common import (
    DEFAULT_LANG,
    JsonOption,
    LangOption,
    RatesDirOption,
    console,
    echo_json,
    get_book,
    json_or_csv,
    rates_app,
    short_help,
    user_errors,
)
from .language import LANG

YEARS_HELP = tr("cli.help.rates.coverage.years", LANG)
COVERAGE_HELP = tr("cli.help.rates.coverage", LANG)


@rates_app.command("coverage", help=COVERAGE_HELP, short_help=short_help(COVERAGE_HELP))
@user_errors
def coverage_command(
    years: Annotated[str, typer.Option("--years", help=YEARS_HELP)] = "2024-2026",
    json_out: JsonOption = False,
    csv_out: Annotated[bool, typer.Option("--csv", help=tr("cli.help.rates.coverage.csv", LANG))] = False,
    lang: LangOption = DEFAULT_LANG,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..analyses.coverage import coverage, parse_years
    from ..render.coverage import counts_text, coverage_table

    json_or_csv(json_out, csv_out, lang)
    wanted = parse_years(years)
    cov = coverage(get_book(rates_dir), wanted)
    if json_out:
        echo_json(cov)
        return
    if csv_out:
        from ..render.coverage import COVERAGE_COLUMNS, coverage_rows
        from ..render.machine import to_csv

        typer.echo(to_csv(coverage_rows(cov), COVERAGE_COLUMNS), nl=False)
        return
    out = console()
    # A range too wide for the terminal is printed whole (the terminal wraps), never cropped.
    out.print(coverage_table(cov, lang.value, width=out.width), crop=False)
    out.print(counts_text(cov, lang.value))
