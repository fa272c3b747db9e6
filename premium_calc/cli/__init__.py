"""The ``premium-calc`` command line: a thin layer over the public API.

Commands live in sub-modules that register themselves on :data:`app`. Heavy modules (the
rate book, pydantic models, rich tables, matplotlib) are imported inside the commands, so
``premium-calc --help`` and one calculation start fast.
"""

from __future__ import annotations

# Register the commands (each module only imports typer at import time).
from . import batch as _batch  # noqa: F401
from . import calc as _calc  # noqa: F401
from . import compare as _compare  # noqa: F401
from . import coverage as _coverage  # noqa: F401
from . import history as _history  # noqa: F401
from . import population as _population  # noqa: F401
from . import rates as _rates  # noqa: F401
from . import rates_region as _rates_region  # noqa: F401
from . import rates_release as _rates_release  # noqa: F401
from . import sweep as _sweep  # noqa: F401
from . import worth as _worth  # noqa: F401
from ._common import app


def main() -> None:
    """Console-script entry point: every usage error in one line, exit 2 (see :mod:`.usage`)."""
    from .encoding import safe_streams
    from .usage import run

    safe_streams()
    run(app)


__all__ = ["app", "main"]
