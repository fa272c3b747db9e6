"""Output that never crashes on a console that cannot show a character.

Windows consoles in China (GBK / cp936), redirected output on some systems (cp1252, ASCII) and
pipes with a legacy locale cannot encode every character premium-calc prints. The streams are
set to an error handler that writes an ASCII stand-in for each of the project's marks (the
low-confidence mark ``†`` becomes ``?``, ``≥`` becomes ``>=``, bar blocks become ``#``) and
``?`` for anything else, so a Chinese console shows Chinese and the marks in a form it has, and
a plain ASCII one still gets every number.
"""

from __future__ import annotations

import codecs
import sys
from typing import TextIO

#: ASCII stand-ins for the marks premium-calc prints (the legends say what each means).
FALLBACK: dict[str, str] = {
    "†": "?",
    "≥": ">=",
    "≤": "<=",
    "‖": "||",
    "·": ".",
    "┊": ":",
    "…": "...",
    "—": "-",
    "–": "-",
    "×": "x",
    "→": "->",
    "✓": "v",
    "✗": "x",
    **{block: "#" for block in "█▉▊▋▌▍▎▏"},
}
HANDLER = "premium_calc_marks"


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(FALLBACK.get(ch, "?") for ch in bad), error.end


codecs.register_error(HANDLER, _stand_in)


def mark_text(text: str, encoding: str | None) -> str:
    """``text`` as a stream of ``encoding`` would write it (for tests and previews)."""
    codec = encoding or "utf-8"
    return text.encode(codec, errors=HANDLER).decode(codec)


def safe_streams(*streams: TextIO) -> None:
    """Let ``streams`` (default stdout and stderr) write any text: unencodable characters get
    their stand-in instead of raising ``UnicodeEncodeError``."""
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=HANDLER)
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                continue
