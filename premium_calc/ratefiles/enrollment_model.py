"""Pydantic models of the enrolment file (``rates/stats/enrollment/*.toml``): people enrolled in
resident medical insurance at the end of each year (NHSA bulletins), each row with its source and
confidence, and the caveats on why the count changes (duplicates removed, moves to employee
insurance).
"""

from __future__ import annotations

from pydantic import Field

from .._frozen import Frozen
from .model import Confidence, Prose, Source


class EnrollmentRow(Frozen):
    """People enrolled in resident medical insurance at the end of ``year`` (= coverage year).

    ``resident`` is a head count (persons; the bulletins publish 万人). ``derived`` marks a figure
    computed from other published figures (``note`` gives the arithmetic).
    """

    year: int = Field(ge=1990, le=2100)
    region: str = "cn"
    resident: int = Field(ge=0, le=2_000_000_000)
    derived: bool = False
    confidence: Confidence
    source: Source
    note: str | None = None


class EnrollmentCaveat(Frozen):
    """Why the count of some years moves other than by people joining or leaving, with its
    source (shown wherever those years are)."""

    years: list[int]
    region: str = "cn"
    text: Prose
    source: Source


class EnrollmentFile(Frozen):
    """``rates/stats/enrollment/enrollment.toml`` and friends."""

    enrollment: list[EnrollmentRow] = Field(default_factory=list)
    caveat: list[EnrollmentCaveat] = Field(default_factory=list)
    note: str | None = None
