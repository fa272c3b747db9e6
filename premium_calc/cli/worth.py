"""``premium-calc worth``: is the insurance worth it for a household (值不值)?"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from ..errors import OptionError
from ..messages import Note, tr
from ._common import (
    DEFAULT_LANG,
    CsvOption,
    JsonOption,
    LangOption,
    RatesDirOption,
    app,
    console,
    echo_json,
    get_book,
    json_or_csv,
    short_help,
    user_errors,
)
from .calc import (
    HouseholdOption,
    IncomeOption,
    IncomeStatOption,
    MemberOption,
    PaidInOption,
    PresetOption,
    RegionOption,
    TierOption,
    YearOption,
    household_and_place,
    preset_statistic,
    share_value,
)
from .language import LANG

WORTH_HELP = tr("cli.help.worth", LANG)


def parse_skip(values: list[str] | None, size: int) -> list[int]:
    """``--skip 1 --skip 3``, ``--skip 1,3`` or ``--skip all``: member numbers, 1-based."""
    out: list[int] = []
    for value in values or []:
        for part in value.replace("，", ",").split(","):
            text = part.strip()
            if text.lower() in ("all", "全部", "全家"):
                out.extend(range(1, size + 1))
            elif text.isdigit() and 1 <= int(text) <= size:
                out.append(int(text))
            else:
                raise OptionError("--skip", Note("error.skip_member", value=repr(text[:40]), size=size))
    return sorted(set(out))


def parse_share(text: str | None) -> Decimal:
    """``--in-scope 0.8`` or ``80%``: the share of a bill inside the catalogue."""
    if text is None:
        return Decimal(1)
    raw = text.strip()
    value = share_value(raw)
    if not value.is_finite() or not 0 <= value <= 1:
        raise OptionError("--in-scope", Note("error.in_scope_range", value=repr(raw[:40])))
    return value


@app.command(help=WORTH_HELP, short_help=short_help(WORTH_HELP))
@user_errors
def worth(
    region: RegionOption = None,
    year: YearOption = None,
    paid_in: PaidInOption = None,
    member: MemberOption = None,
    household: HouseholdOption = None,
    income: IncomeOption = None,
    preset: PresetOption = None,
    tier: TierOption = None,
    statistic: IncomeStatOption = None,
    stay: Annotated[
        list[str] | None,
        typer.Option("--stay", help=tr("cli.help.worth.stay", LANG), show_default=False),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option("--skip", help=tr("cli.help.worth.skip", LANG), show_default=False),
    ] = None,
    in_scope: Annotated[
        str | None, typer.Option("--in-scope", help=tr("cli.help.worth.in_scope", LANG))
    ] = None,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    csv_out: CsvOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..analyses.worth import assess_worth, parse_stay

    json_or_csv(json_out, csv_out, lang)
    hh, spec, region, year, year_note = household_and_place(
        member, household, income, region, year, paid_in, lang, preset
    )
    stays = [parse_stay(s) for s in stay] if stay else None
    share = parse_share(in_scope)
    book = get_book(rates_dir)
    result = assess_worth(
        book,
        region,
        year,
        hh,
        stays=stays,
        skip=parse_skip(skip, hh.size),
        in_scope_share=share,
        tier=tier or (spec.tier if spec is not None else None),
        statistic=statistic or preset_statistic(preset),
    )
    if year_note is not None:
        result = result.model_copy(update={"notes": [year_note, *result.notes]})
    if json_out:
        echo_json(result)
    elif csv_out:
        from ..render.machine import to_csv
        from ..render.worth import worth_rows

        typer.echo(to_csv(worth_rows(result)), nl=False)
    else:
        from ..render.worth import worth_report

        console().print(worth_report(result, lang.value))
