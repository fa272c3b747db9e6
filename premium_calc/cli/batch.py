"""``premium-calc batch``: price a survey file of many households at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
    from decimal import ROUND_HALF_UP, Decimal

    from rich.progress import Progress

    from ..household.batch import STATUS_NAMES, fen_to_yuan, price_batch
    from ..household.survey import read_survey_csv
    from ..render.machine import to_csv

    book = get_book(rates_dir)
    schedule = book.schedule(region, year)
    size = file.stat().st_size if file.is_file() else 0
    with Progress(transient=True, console=None, disable=size < 2_000_000 or not sys.stderr.isatty()) as bar:
        task = bar.add_task("reading members", total=None)
        survey = read_survey_csv(
            str(file), schedule.coverage_year, late=late, progress=lambda n: bar.update(task, completed=n)
        )
    result = price_batch(schedule, survey.table, tier=tier)
    rows = []
    first_bad: dict[int, tuple[int, int]] = {}
    for member_index, (hid, status) in enumerate(
        zip(survey.table.household.tolist(), result.status.tolist(), strict=True)
    ):
        if status not in (0, 1, 2) and hid not in first_bad:
            first_bad[hid] = (member_index, status)
    starts: dict[int, int] = {}
    for member_index, hid in enumerate(survey.table.household.tolist()):
        starts.setdefault(hid, member_index)
    for pos, hid in enumerate(result.households.tolist()):
        paid = int(result.household_paid_fen[pos])
        gross = int(result.household_gross_fen[pos])
        income = int(survey.income_fen[hid])
        valid = bool(result.valid[pos])
        ratio = ""
        if valid and income > 0:
            ratio = str((Decimal(paid) / Decimal(income)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        status = "ok"
        if not valid:
            member_index, code = first_bad[hid]
            status = f"member {member_index - starts[hid] + 1}: {STATUS_NAMES[code]}"
        rows.append(
            {
                "household": survey.labels[hid],
                "members": int(result.household_members[pos]),
                "gross": fen_to_yuan(gross) if valid else "",
                "assistance": fen_to_yuan(gross - paid) if valid else "",
                "paid": fen_to_yuan(paid) if valid else "",
                "income": fen_to_yuan(income) if income >= 0 else "",
                "burden_ratio": ratio,
                "status": status,
            }
        )
    text = to_csv(rows)
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"{out}: cannot write ({exc.strerror or exc})")
        typer.echo(f"{len(rows)} households written to {out}", err=True)
