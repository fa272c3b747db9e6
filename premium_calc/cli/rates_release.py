"""``premium-calc rates release``: bump the data version, regenerate the snapshot and the ledger,
print the changed resolved values (the work is done by :mod:`premium_calc.upkeep.release`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..messages import tr
from ._common import DEFAULT_LANG, JsonOption, LangOption, echo_json, emit, rates_app, short_help, user_errors
from .language import LANG

RELEASE_HELP = tr("cli.help.rates.release", LANG)


@rates_app.command("release", help=RELEASE_HELP, short_help=short_help(RELEASE_HELP))
@user_errors
def release_cmd(
    version: Annotated[
        str | None, typer.Option("--version", help=tr("cli.help.rates.release.version", LANG))
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=tr("cli.help.rates.release.dry_run", LANG))
    ] = False,
    lang: LangOption = DEFAULT_LANG,
    json_out: JsonOption = False,
    rates_dir: Annotated[
        Path | None,
        typer.Option("--rates-dir", help=tr("cli.help.rates.release.rates_dir", LANG), show_default=False),
    ] = None,
) -> None:
    from ..render.release import release_json, release_report
    from ..upkeep.release import release

    result = release(rates_dir, version=version, dry_run=dry_run)
    if json_out:
        echo_json(release_json(result))
        return
    emit(release_report(result, lang))
