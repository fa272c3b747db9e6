"""One syntax for changing a value, in ``rates set`` and ``rates new-year --bump`` alike.

The syntax lives in :mod:`premium_calc.ratefiles.changes` (reform files use it too); this
module re-exports it for the edits.
"""

from __future__ import annotations

from ..ratefiles.changes import RELATIVE_KINDS as RELATIVE_KINDS
from ..ratefiles.changes import Change as Change
from ..ratefiles.changes import parse_change as parse_change

__all__ = ["RELATIVE_KINDS", "Change", "parse_change"]
