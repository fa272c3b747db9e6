"""The ``premium-calc`` command line: a thin layer over the public API.

Commands live in sub-modules that register themselves on the app of :mod:`._common` when
they are imported. They are imported **lazily**: :data:`COMMANDS` says which module defines
which command, and :func:`main` imports only the module of the command on the command line
(``premium-calc calc ...`` imports and builds ``calc`` and ``regions``, not the other
commands). Everything is imported for top-level ``--help``, ``--version``, an unknown or
missing command name and shell completion (``_PREMIUM_CALC_COMPLETE`` and the like in the
environment), so these list every command as before. :data:`app` (``from premium_calc.cli
import app``: tests with ``CliRunner``, ``tools/options.py``) is the app with every command
registered, in the order of :data:`COMMANDS` (the order of ``--help``), whatever was
imported before.

**Adding a command** is one entry in :data:`COMMANDS`: ``"name": "module"`` for a top-level
command or command group defined in ``premium_calc/cli/<module>.py``, ``"rates name":
"module"`` for a ``rates`` subcommand. No import line here: a module imported here at import
time would be imported for every command again. An entry whose module file does not exist is
skipped. ``tests/test_startup.py`` checks that the table and the registered commands agree.
Heavy modules (the rate book, pydantic models, rich tables, matplotlib) are imported inside
the commands, so one calculation starts fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

#: Command (``"rates set"`` for a subcommand of ``rates``) -> the module of ``premium_calc.cli``
#: that defines it, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "batch": "batch",
    "calc": "calc",
    "regions": "calc",
    "history": "history",
    "compare": "compare",
    "population": "population",
    "sweep": "sweep",
    "worth": "worth",
    "reform": "reform",
    "web": "web",
    "rates coverage": "coverage",
    "rates validate": "rates",
    "rates show": "rates",
    "rates explain": "rates",
    "rates diff": "rates",
    "rates set": "rates",
    "rates new-year": "rates",
    "rates schema": "rates",
    "rates new-region": "rates_region",
    "rates release": "rates_release",
}

#: The command groups defined in :mod:`._common` (their subcommands are ``"group name"`` entries).
GROUPS = ("rates",)

#: Root options followed by a value (skipped when looking for the command name).
_VALUED = ("--lang",)


def _exists(module: str) -> bool:
    return importlib.util.find_spec(f"{__name__}.{module}") is not None


def modules() -> list[str]:
    """Every command module of :data:`COMMANDS` that exists, each once, in table order."""
    return [m for m in dict.fromkeys(COMMANDS.values()) if _exists(m)]


def _words(argv: Sequence[str]) -> list[str]:
    """The first two words of ``argv`` that are no option (``--lang VALUE`` is skipped); none
    when another option (``--help``, ``--version``, ...) comes before the command name."""
    words: list[str] = []
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED:
            skip = True
        elif token.startswith(tuple(f"{v}=" for v in _VALUED)):
            continue
        elif token.startswith("-"):
            if not words:
                return []
        else:
            words.append(token)
            if len(words) == 2:
                break
    return words


def needed(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The command modules a command line needs: the one defining its command; every one
    for top-level help, version, an unknown or missing command and shell completion."""
    env = os.environ if environ is None else environ
    if any(key.startswith("_") and "_COMPLETE" in key for key in env):
        return modules()
    words = _words(argv)
    if not words:
        return modules()
    name = words[0]
    if name in GROUPS:
        sub = f"{name} {words[1]}" if len(words) > 1 else ""
        if sub in COMMANDS and _exists(COMMANDS[sub]):
            return [COMMANDS[sub]]
        group = dict.fromkeys(m for key, m in COMMANDS.items() if key.startswith(f"{name} "))
        return [m for m in group if _exists(m)]
    if name in COMMANDS and _exists(COMMANDS[name]):
        return [COMMANDS[name]]
    return modules()


def _order(prefix: str) -> dict[str, int]:
    """Command name -> its place in :data:`COMMANDS` (``prefix``: of a group's subcommands)."""
    return {key.removeprefix(prefix): i for i, key in enumerate(COMMANDS) if key.startswith(prefix)}


def _command_name(info: object) -> str:
    name = getattr(info, "name", None)
    if name:
        return str(name)
    callback = getattr(info, "callback", None)
    return str(getattr(callback, "__name__", "")).lower().replace("_", "-")


def _sort(typer_app: typer.Typer, prefix: str = "") -> None:
    """The commands and groups of an app in the order of :data:`COMMANDS` (not of import);
    one missing from the table last, in the order it came."""
    order = _order(prefix)
    last = len(order)
    typer_app.registered_commands.sort(key=lambda info: order.get(_command_name(info), last))
    # The groups of ._common (rates) first: they are registered before any command module.
    order.update(dict.fromkeys(GROUPS, -1))
    typer_app.registered_groups.sort(key=lambda info: order.get(_command_name(info), last))


def load(names: Iterable[str]) -> typer.Typer:
    """Import the given command modules (they register their commands); the app."""
    from ._common import app, rates_app

    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    _sort(app)
    _sort(rates_app, "rates ")
    return app


def load_all() -> typer.Typer:
    """The app with every command registered."""
    return load(modules())


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        app = load_all()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: only the command line's command is imported and built;
    every usage error in one line, exit 2 (see :mod:`.usage`)."""
    import sys

    from .encoding import safe_streams
    from .usage import run

    safe_streams()
    run(load(needed(sys.argv[1:])))


__all__ = ["COMMANDS", "app", "load", "load_all", "main", "modules", "needed"]
