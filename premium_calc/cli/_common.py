"""Shared pieces of the CLI: the app, common options, error handling, output helpers."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from decimal import Decimal

    from ..household.members import Household, HouseholdFile
    from ..ratebook.book import RateBook

from .._version import __version__

app = typer.Typer(
    name="premium-calc",
    help=(
        "Can we still afford resident medical insurance? Premiums of China's urban-rural"
        " resident medical insurance (城乡居民基本医疗保险) by region and year, what a household"
        " pays and how heavy that is against its income. Every number carries its source."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


rates_app = typer.Typer(
    name="rates",
    help="Work with rate files: validate, show, explain, diff, edit, coverage, schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rates_app, name="rates")


class Lang(str, Enum):
    zh = "zh"
    en = "en"


RatesDirOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rates-dir",
        help="Extra rate directory overlaying the bundled rates (repeatable; also"
        " PREMIUM_CALC_RATES=dir1:dir2).",
        show_default=False,
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of labels: zh or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (amounts as exact strings).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def _version(value: bool) -> None:
    if value:
        from ..ratefiles.reading import data_version

        typer.echo(f"premium-calc {__version__} (rate data {data_version()})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Premiums, subsidies and burden of China's resident medical insurance."""


P = ParamSpec("P")
R = TypeVar("R")


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn PremiumCalcError into a one-line message on stderr (in the command's ``--lang``)
    and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from ..errors import PremiumCalcError

        try:
            return func(*args, **kwargs)
        except PremiumCalcError as exc:
            lang = kwargs.get("lang")
            chosen = lang if isinstance(lang, str) else "en"
            fail(exc.text(chosen), lang=chosen)
        except BrokenPipeError:  # pragma: no cover - e.g. piped into head
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


def fail(message: str, code: int = 2, *, lang: str = "en") -> NoReturn:
    """Print ``error: message`` to stderr and exit."""
    from ..messages import tr

    typer.echo(tr("cli.error", lang, message=message), err=True)
    raise typer.Exit(code)


def get_book(rates_dir: list[Path] | None) -> RateBook:
    from ..ratebook.book import RateBook

    return RateBook(rates_dir or ())


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def echo_json(data: Any) -> None:
    from ..render.machine import to_json

    typer.echo(to_json(data))


def emit(parts: Iterable[Any]) -> None:
    """Print a report's parts in order: text lines with typer, rich tables with a console."""
    out = None
    for part in parts:
        if isinstance(part, str):
            typer.echo(part)
        else:
            out = out or console()
            out.print(part)


def household_from_options(
    members: list[str] | None,
    household_file: Path | None,
    income: Decimal | str | None,
    *,
    preset: str | None = None,
) -> tuple[Household, HouseholdFile | None]:
    """The household that ``--member`` (repeated), ``--household FILE`` or ``--preset NAME``
    describe (exactly one of them), with ``--income`` replacing the file's income if given;
    and the file, whose region, year, tier and description serve as defaults."""
    from ..household.parsing import build_household, load_household_file

    spec: HouseholdFile | None = None
    if preset is not None:
        from ..presets import load_preset

        spec = load_preset(preset)
    elif household_file is not None:
        spec = load_household_file(household_file)
    if spec is None:
        return build_household(members or [], income), None
    household = spec.household()
    if income is not None:
        household = build_household(household.members, income)
    return household, spec
