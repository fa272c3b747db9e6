"""Which coverage year: the one in force on a day, and the one paid for in a year.

Cover runs from 1 January to 31 December of the coverage year (待遇享受期). It is paid for in
the collection window of the year before (about September to February): money paid in year N
buys cover for coverage year N + 1, which is also what a national notice of policy year N sets.
"""

from __future__ import annotations

import datetime as dt


def coverage_in_force(today: dt.date | None = None) -> int:
    """The coverage year whose cover applies on ``today`` (default: the real today)."""
    return (today or dt.date.today()).year


def coverage_paid_in(year: int) -> int:
    """The coverage year that money paid in ``year`` buys (the next year)."""
    return year + 1
