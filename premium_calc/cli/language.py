"""The language of the command line, chosen the way other tools choose it.

In this order, the first that names a language wins:

1. ``--lang X`` or ``--lang=X`` on the command line;
2. the environment variable ``PREMIUM_CALC_LANG``;
3. the locale: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE`` that is set
   (``zh_CN.UTF-8``, ``zh_TW``, ``zh`` mean Chinese; any other locale, ``C`` included, English);
4. English.

Spellings are forgiving: ``zh``, ``zh-CN``, ``zh_CN``, ``zh-Hans``, ``ZH``, ``cn`` mean Chinese;
``en``, ``en-US``, ``en_GB``, ``EN`` mean English. A value that is neither (``--lang xx``,
``PREMIUM_CALC_LANG=fr``) is passed over here; the ``--lang`` option itself rejects it.

The help texts are built when the CLI modules are imported, before typer parses anything, so
they use :data:`LANG`, read from ``sys.argv`` and the environment at import time. What a command
prints uses its ``--lang`` option, whose default is chosen again when the command runs (so a test
that sets the environment sees it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

#: The environment variable that chooses the language.
ENV_VAR = "PREMIUM_CALC_LANG"
#: The locale variables, in the order they are read.
LOCALE_VARS: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
#: The language when nothing names one.
FALLBACK = "en"

_CHINESE = frozenset({"zh", "cn", "chs", "chinese", "中文"})
_ENGLISH = frozenset({"en", "english"})


def normalise(value: str) -> str | None:
    """``"zh"`` or ``"en"`` for a spelling of either language (``zh-CN``, ``en_GB.UTF-8``),
    ``None`` for anything else."""
    text = value.strip().lower().replace("_", "-")
    text = text.split(".", 1)[0].split("@", 1)[0]  # zh_CN.UTF-8, ca_ES@valencia
    primary = text.split("-", 1)[0]
    if primary in _CHINESE:
        return "zh"
    if primary in _ENGLISH:
        return "en"
    return None


def from_argv(argv: Sequence[str]) -> str | None:
    """The language of the last valid ``--lang X`` / ``--lang=X`` before a ``--``."""
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        found = normalise(value) or found
    return found


def from_env_var(environ: Mapping[str, str]) -> str | None:
    """The language ``PREMIUM_CALC_LANG`` names, if it names one."""
    value = environ.get(ENV_VAR, "")
    return normalise(value) if value.strip() else None


def from_locale(environ: Mapping[str, str]) -> str | None:
    """``"zh"`` for a Chinese locale, ``"en"`` for any other, ``None`` when no locale variable
    is set. The first variable set decides (``LANGUAGE`` may list several: the first counts)."""
    for name in LOCALE_VARS:
        value = environ.get(name, "").strip()
        if value:
            first = value.split(":", 1)[0]
            return "zh" if normalise(first) == "zh" else "en"
    return None


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language from the environment alone: ``PREMIUM_CALC_LANG``, the locale, English."""
    env = os.environ if environ is None else environ
    return from_env_var(env) or from_locale(env) or FALLBACK


def pick_language(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """``"zh"`` or ``"en"``: ``--lang`` in ``argv`` (default ``sys.argv[1:]``), then
    ``PREMIUM_CALC_LANG``, then the locale, then English."""
    args = sys.argv[1:] if argv is None else argv
    return from_argv(args) or environment_language(environ)


#: The language of the help texts, chosen when the CLI is imported.
LANG: str = pick_language()

__all__ = [
    "ENV_VAR",
    "LANG",
    "LOCALE_VARS",
    "environment_language",
    "from_argv",
    "from_env_var",
    "from_locale",
    "normalise",
    "pick_language",
]
