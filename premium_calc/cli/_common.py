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
from ..messages import tr
from .helpformat import readable_metavars
from .language import LANG, environment_language, normalise

readable_metavars()  # --region PLACE, --rates-dir DIR: not typer's <str>, <list[Path]>
if LANG == "zh":
    from .helpformat import install

    install(LANG)


def short_help(text: str) -> str | None:
    """A command's line in the list of commands, whole in both languages: the first sentence
    of its help (click would cut it to "...", a Chinese text without spaces down to nothing)."""
    from .helpformat import first_sentence

    return first_sentence(text)


app = typer.Typer(
    name="premium-calc",
    help=tr("cli.help.app", LANG),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (docs/cli.md)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


RATES_HELP = tr("cli.help.rates", LANG)
rates_app = typer.Typer(
    name="rates",
    help=RATES_HELP,
    short_help=short_help(RATES_HELP),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rates_app, name="rates")


class Lang(str, Enum):
    zh = "zh"
    en = "en"


#: The default every ``--lang`` shows in help: the language chosen when the CLI was imported.
#: When a command runs without ``--lang``, its language is chosen again (:func:`current_language`).
DEFAULT_LANG = Lang(LANG)
_LANG_META = "premium_calc.lang"


def current_language(ctx: typer.Context | None = None) -> Lang:
    """The language of a command run without ``--lang``: ``premium-calc --lang X`` before the
    command, then ``PREMIUM_CALC_LANG``, then the locale, then English."""
    if ctx is None:
        from .helpformat import click_module

        ctx = click_module("globals").get_current_context(silent=True)
    chosen = ctx.meta.get(_LANG_META) if ctx is not None else None
    if isinstance(chosen, Lang):
        return chosen
    return Lang(environment_language())


def parse_lang(value: Lang | str) -> Lang | str:
    """``--lang``: zh, zh-CN, zh_CN, zh-Hans, ZH, cn -> zh; en, en-US, en_GB, EN -> en; anything
    else stays a string, for the option's callback to reject."""
    if isinstance(value, Lang):
        return value
    code = normalise(value)
    return value if code is None else Lang(code)


def _checked(ctx: typer.Context, value: Lang | str | None) -> Lang | None:
    """A ``--lang`` value, or a one-line error (exit code 2) for a language there is none of."""
    if value is None or isinstance(value, Lang):
        return value
    lang = current_language(ctx)
    fail(tr("cli.bad_lang", lang, value=repr(value)), lang=lang)


def _given(ctx: typer.Context, param: typer.CallbackParam) -> bool:
    source = ctx.get_parameter_source(param.name or "lang")
    return getattr(source, "name", None) == "COMMANDLINE"


def _command_lang(ctx: typer.Context, param: typer.CallbackParam, value: Lang | str) -> Lang:
    """A command's ``--lang``: as given, or else chosen when the command runs."""
    lang = _checked(ctx, value)
    if lang is not None and _given(ctx, param):
        return lang
    return current_language(ctx)


def _root_lang(ctx: typer.Context, param: typer.CallbackParam, value: Lang | str | None) -> Lang | None:
    """``premium-calc --lang X COMMAND``: X becomes the default of the command's ``--lang``."""
    lang = _checked(ctx, value)
    if lang is not None:
        ctx.meta[_LANG_META] = lang
    return lang


RatesDirOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rates-dir",
        help=tr("cli.help.rates_dir", LANG),
        show_default=False,
    ),
]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang", help=tr("cli.help.lang", LANG), parser=parse_lang, callback=_command_lang,
        metavar="zh|en",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=tr("cli.help.json", LANG))]
CsvOption = Annotated[bool, typer.Option("--csv", help=tr("cli.help.csv", LANG))]
#: ``--out``: the old name of ``-o/--output`` (batch, population), still read, not shown in help.
OutAlias = Annotated[Path | None, typer.Option("--out", hidden=True, show_default=False)]


def _version(value: bool) -> None:
    if value:
        from ..ratefiles.reading import data_version

        typer.echo(tr("cli.version", current_language(), version=__version__, data=data_version()))
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help=tr("cli.help.version", LANG)
        ),
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang", help=tr("cli.help.root_lang", LANG), parser=parse_lang, callback=_root_lang,
            metavar="zh|en", show_default=False,
        ),
    ] = None,
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
            chosen = lang if isinstance(lang, str) else current_language()
            fail(exc.text(chosen), lang=chosen)
        except BrokenPipeError:  # pragma: no cover - e.g. piped into head
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


#: The longest error line printed, and the longest stretch of one quoted input within it.
MAX_ERROR, MAX_QUOTED = 300, 60


def short_message(text: str) -> str:
    """One line: runs of whitespace joined, a quoted input longer than MAX_QUOTED cut (with its
    length said), the whole cut at MAX_ERROR characters."""
    import re

    line = " ".join(text.split())

    def cut(match: re.Match[str]) -> str:
        quoted = match.group(1)
        return f"'{quoted[:MAX_QUOTED]}…' ({len(quoted)} characters)"

    line = re.sub(rf"'([^']{{{MAX_QUOTED + 1},}})'", cut, line)
    return line if len(line) <= MAX_ERROR else line[: MAX_ERROR - 1] + "…"


def fail(message: str, code: int = 2, *, lang: str = "en") -> NoReturn:
    """Print ``error: message`` to stderr and exit: one line of at most ~300 characters (a
    long input quoted in the message is cut, so an error never echoes a megabyte back)."""
    from ..messages import tr

    typer.echo(short_message(tr("cli.error", lang, message=message)), err=True)
    raise typer.Exit(code)


def json_or_csv(json_out: bool, csv_out: bool, lang: str) -> None:
    """Refuse ``--json`` with ``--csv`` (one line, exit code 2): a command prints one of them."""
    if json_out and csv_out:
        fail(tr("cli.json_or_csv", lang), lang=lang)


def get_book(rates_dir: list[Path] | None, *, cache: bool = True) -> RateBook:
    """The rate book of a command (``cache=False``: read and validate every file it uses, as
    ``rates validate`` does, instead of the rate cache)."""
    from ..ratebook.book import RateBook
    from ..render.custom_rates import watch

    book = RateBook(rates_dir or (), cache=cache)
    watch(book)  # results computed with it name the user's own rate files they use
    return book


def console() -> Any:
    """The console every command prints to. Text is never parsed as rich markup or emoji
    codes: a member labelled ``[red]爸爸`` or a region note with ``:smile:`` prints as written
    (styles come from :class:`rich.text.Text` objects, never from strings), which also spares
    the markup parser and rich's emoji table on every start."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def echo_json(data: Any) -> None:
    from ..render.custom_rates import with_custom_rates
    from ..render.machine import to_json

    typer.echo(to_json(with_custom_rates(data)))


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
