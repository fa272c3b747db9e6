"""Resident medical insurance enrolment (参保人数) from ``rates/stats/enrollment/*.toml``.

The count at the end of year Y is the people covered in coverage year Y. National only for now
(the bulletins found have no provincial table). Like the income statistics: every file of every
rate directory is read (user directories first); where two rows give the same region and year,
the row read first wins.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from .._frozen import Frozen
from ..ratefiles.enrollment_model import EnrollmentCaveat, EnrollmentFile, EnrollmentRow
from ..ratefiles.model import Confidence, Source
from ..ratefiles.pydantic_errors import validation_error
from ..ratefiles.reading import STATS_DIR, bundled_rates_dir, rate_dirs, read_toml

#: The folder of enrolment files under a rate directory's ``stats/`` (not ``stats/*.toml``: the
#: income statistics read those).
ENROLLMENT_DIR = "enrollment"


class EnrollmentFigure(Frozen):
    """People enrolled in resident medical insurance in one region at the end of one year."""

    region: str
    year: int
    resident: int
    derived: bool
    confidence: Confidence
    source: Source
    note: str | None = None


class EnrollmentStats:
    """The enrolment figures of one or more rate directories (read on first use)."""

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.dirs = rate_dirs(dirs) if dirs is not None else (bundled_rates_dir(),)
        self._lock = threading.Lock()
        self._rows: list[EnrollmentRow] | None = None
        self._caveats: list[EnrollmentCaveat] = []

    def _load(self) -> list[EnrollmentRow]:
        with self._lock:
            if self._rows is None:
                rows: list[EnrollmentRow] = []
                caveats: list[EnrollmentCaveat] = []
                for root in self.dirs:
                    folder = root / STATS_DIR / ENROLLMENT_DIR
                    if not folder.is_dir():
                        continue
                    for path in sorted(folder.glob("*.toml")):
                        try:
                            parsed = EnrollmentFile.model_validate(read_toml(path))
                        except ValidationError as exc:
                            raise validation_error(path, exc) from None
                        rows += parsed.enrollment
                        caveats += parsed.caveat
                self._caveats = caveats
                self._rows = rows
            return self._rows

    def figure(self, year: int, region: str = "cn") -> EnrollmentFigure | None:
        """The count at the end of ``year`` for exactly this region, or ``None`` (never taken
        from another year or region)."""
        for row in self._load():
            if row.year == year and row.region == region:
                return EnrollmentFigure(
                    region=row.region,
                    year=row.year,
                    resident=row.resident,
                    derived=row.derived,
                    confidence=row.confidence,
                    source=row.source,
                    note=row.note,
                )
        return None

    def years(self, region: str = "cn") -> list[int]:
        """The years with a count for the region."""
        return sorted({r.year for r in self._load() if r.region == region})

    def caveats(self, years: Sequence[int], region: str = "cn") -> list[EnrollmentCaveat]:
        """The caveats that speak of any of ``years`` in the region, in file order."""
        self._load()
        wanted = set(years)
        return [c for c in self._caveats if c.region == region and wanted & set(c.years)]
