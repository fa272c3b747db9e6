"""``premium-calc rates coverage``: which regions and years exist, and how far to trust them."""

from __future__ import annotations

from typing import Annotated

import typer

from ..render.coverage import counts_text, coverage_table
from ._common import (
    JsonOption,
    Lang,
    LangOption,
    RatesDirOption,
    console,
    echo_json,
    get_book,
    rates_app,
    user_errors,
)

YEARS_HELP = "Coverage years: a year (2025), a range (2004-2027) or a list (2018-2019,2024)."


@rates_app.command("coverage")
@user_errors
def coverage_command(
    years: Annotated[str, typer.Option("--years", help=YEARS_HELP)] = "2024-2026",
    json_out: JsonOption = False,
    lang: LangOption = Lang.en,
    rates_dir: RatesDirOption = None,
) -> None:
    """Matrix of regions x coverage years: which exist, their confidence, and counts.

    Example: premium-calc rates coverage --years 2004-2027 --lang zh
    """
    from ..analyses.coverage import coverage, parse_years

    wanted = parse_years(years)
    cov = coverage(get_book(rates_dir), wanted)
    if json_out:
        echo_json(cov)
        return
    out = console()
    table = coverage_table(cov, lang.value, width=out.width)
    # A range too wide for the terminal is printed whole (the terminal wraps), never cropped.
    out.print(table, width=max(out.width, table.width or 0), crop=False)
    out.print(counts_text(cov, lang.value))
