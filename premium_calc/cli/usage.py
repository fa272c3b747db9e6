"""Running the app so that a usage mistake is one line, in the output language, exit 2.

Click prints a usage block of four lines ("Usage: ... Try ... -h ... Error: ..."); here the
command runs with ``standalone_mode=False`` and a usage error becomes ``error: <command>:
<what>`` with the hint to ``-h`` on the same line. A negative number given as a value
(``rates set cn/hunan 2026 subsidy -5``) is passed after ``--``, so it is read as a value, not
as an option.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: Longest message printed (long inputs are cut, so an error never echoes a megabyte back).
MAX_MESSAGE = 300

_NEGATIVE = re.compile(r"^[-−][0-9][0-9.,]*%?$")

#: Click's usage messages, put in Chinese.
_ZH = (
    (re.compile(r"^No such option: (.+?)(?: Did you mean (.+)\?)?$"), "没有这个选项：{0}"),
    (re.compile(r"^No such command '(.+)'\.?$"), "没有这个命令：{0}"),
    (re.compile(r"^Missing argument '(.+)'\.?$"), "缺少参数 {0}"),
    (re.compile(r"^Missing option '(.+)'\.?$"), "缺少选项 {0}"),
    (re.compile(r"^Option '(.+)' requires an argument\.?$"), "选项 {0} 后面要跟一个值"),
    (re.compile(r"^Got unexpected extra arguments? \\((.+)\\)$"), "多出来的参数：{0}"),
    (re.compile(r"^Invalid value for (.+?): (.*)$"), "{0} 的值不对：{1}"),
)


def _negative_values(argv: list[str]) -> list[str]:
    """``rates set ... -5``: move a negative value behind ``--`` (it is the last positional)."""
    if len(argv) < 2 or argv[:2] != ["rates", "set"] or "--" in argv:
        return argv
    for i, token in enumerate(argv):
        if i >= 2 and _NEGATIVE.match(token):
            return [*argv[:i], *argv[i + 1 :], "--", token]
    return argv


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def usage_text(error: Any, lang: str) -> str:
    """A click usage error as one line."""
    from ..messages import tr, uses_cjk

    message = error.format_message()
    # pydantic's wording from typer's parameter adapters, in plain words.
    whole = "应为整数" if uses_cjk(lang) else "expected a whole number"
    message = message.replace("Input should be a valid integer, unable to parse string as an integer", whole)
    if uses_cjk(lang):
        for pattern, zh in _ZH:
            found = pattern.match(message)
            if found:
                message = zh.format(*(g or "" for g in found.groups()))
                break
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "premium-calc"
    return _one_line(tr("cli.usage_error", lang, command=command, message=message))


def _language(argv: list[str]) -> str | None:
    """The ``--lang`` of the command line, read by hand (parsing failed before its callback)."""
    for i, token in enumerate(argv):
        value = token.partition("=")[2] if token.startswith("--lang=") else None
        if token == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def _exceptions() -> Any:
    """Click's exception classes (typer 0.29+ vendors click as typer._click)."""
    import importlib

    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - typer versions that use click itself
        return importlib.import_module("click.exceptions")


def run(app: Any) -> None:
    import typer

    from ._common import current_language

    errors = _exceptions()

    argv = _negative_values(sys.argv[1:])
    try:
        code = app(args=argv, standalone_mode=False)
    except errors.UsageError as exc:
        print(usage_text(exc, _language(argv) or str(current_language().value)), file=sys.stderr)
        sys.exit(2)
    except typer.Abort:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
