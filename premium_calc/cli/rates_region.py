"""``premium-calc rates new-region``: a new rate file for a place of the gazetteer."""

from __future__ import annotations

from typing import Annotated

import typer

from ..messages import tr
from ..render.rates import shown_path
from ._common import (
    DEFAULT_LANG,
    JsonOption,
    LangOption,
    RatesDirOption,
    fail,
    get_book,
    rates_app,
    short_help,
    user_errors,
)
from .language import LANG
from .rates import AllowOutsideOption, DryRunOption, _report_edit

NEW_REGION_HELP = tr("cli.help.rates.new_region", LANG)


@rates_app.command("new-region", help=NEW_REGION_HELP, short_help=short_help(NEW_REGION_HELP))
@user_errors
def new_region_cmd(
    place: Annotated[str, typer.Argument(help=tr("cli.help.rates.new_region.place", LANG))],
    dry_run: DryRunOption = False,
    allow_outside: AllowOutsideOption = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: RatesDirOption = None,
) -> None:
    from ..errors import EditError
    from ..upkeep.new_region import new_region

    try:
        result = new_region(
            get_book(rates_dir), place, dry_run=dry_run, allow_outside=allow_outside, lang=lang.value
        )
    except EditError as exc:
        fail(exc.describe(shown_path, lang), lang=lang)
    _report_edit(result, lang, json_out)
