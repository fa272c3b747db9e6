"""2. The rate book: regions found by id or name, inheritance (city -> province -> ``cn``) applied
once, and resolved schedules that keep the origin (file, key path, source) of every value; the
income statistics the burden is measured against; ``explain`` and ``diff`` read the same origins.

Modules: ``schedule`` (the resolved table), ``inherit`` (the one merge rule), ``names`` (finding a
region by name), ``book`` (:class:`RateBook`), ``income`` (:class:`IncomeStats`), ``explain`` and
``diff``. Importing from ``premium_calc.ratebook`` keeps working for the names below.
"""

from ..ratefiles.reading import (
    RATES_PATH_ENV,
    STATS_DIR,
    Region,
    bundled_rates_dir,
    data_version,
    load_rate_file,
    read_toml,
)
from .book import RateBook, iter_schedules
from .inherit import resolve_amount
from .schedule import Origin, Schedule, ScheduleAssist, ScheduleCategory

__all__ = [
    "RATES_PATH_ENV",
    "STATS_DIR",
    "Origin",
    "RateBook",
    "Region",
    "Schedule",
    "ScheduleAssist",
    "ScheduleCategory",
    "bundled_rates_dir",
    "data_version",
    "iter_schedules",
    "load_rate_file",
    "read_toml",
    "resolve_amount",
]
