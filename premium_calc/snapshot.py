"""``python -m premium_calc.snapshot [--check]``: regenerate or check the golden snapshot of the
resolved bundled rates (the work is done by :mod:`premium_calc.upkeep.snapshot`)."""

from __future__ import annotations

from .upkeep.snapshot import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
