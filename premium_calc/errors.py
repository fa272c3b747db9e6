"""The exceptions premium-calc raises for problems a user can fix.

Every exception is a :class:`PremiumCalcError` with a one-line ``str()`` that names what is
wrong and what was expected, and structured fields (region, year, file, line ...) so that
embedding code can react without parsing text. The CLI prints ``str(error)`` and exits 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol


class PremiumCalcError(Exception):
    """Base class: a user-facing problem with a one-line message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownRegionError(PremiumCalcError):
    """No rate file matches a region id or name."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(
            f"unknown region {query!r}: expected a region id such as cn/hunan, or a Chinese"
            f" or English name (premium-calc regions lists them){hint}"
        )


class YearNotCoveredError(PremiumCalcError):
    """A region has no entry for a coverage year (never a silent fallback)."""

    def __init__(self, region: str, year: int, available: Sequence[int], note: str = "") -> None:
        self.region = region
        self.year = year
        self.available = tuple(available)
        years = ", ".join(str(y) for y in self.available) or "none"
        extra = f" ({note})" if note else ""
        super().__init__(
            f"{region} has no rates for coverage year {year}; years available: {years}{extra}"
        )


class DataMissingError(PremiumCalcError):
    """The rate files say a value is not known (a ``missing`` note)."""

    def __init__(self, region: str, year: int, what: str, reason: str) -> None:
        self.region = region
        self.year = year
        self.what = what
        self.reason = reason
        super().__init__(f"{region} {year}: no sourced amount for {what}: {reason}")


class RateFileError(PremiumCalcError):
    """A rate or statistics file is malformed: names the file, line, key path and rule."""

    def __init__(
        self,
        file: Path | str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        self.key = key
        self.detail = message
        where = self.file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        keypart = f" {key}:" if key else ""
        super().__init__(f"{where}:{keypart} {message}")


class HouseholdError(PremiumCalcError):
    """A household (from flags, a file or the API) is not valid."""

    def __init__(self, message: str, *, field: str | None = None, file: str | None = None) -> None:
        self.field = field
        self.file = file
        prefix = f"{file}: " if file else ""
        where = f"{field}: " if field else ""
        super().__init__(f"{prefix}{where}{message}")


class MissingFactError(HouseholdError):
    """A category rule needs a fact the member lacks (it never guesses)."""

    def __init__(self, member: int, fact: str, rule: str) -> None:
        self.member = member
        self.fact = fact
        self.rule = rule
        super().__init__(
            f"member {member}: the category rule {rule} needs the member's {fact};"
            f" give it (e.g. --member AGE:female, or a birth date YYYY-MM-DD)",
            field=f"members[{member - 1}]",
        )


class StatisticNotFoundError(PremiumCalcError):
    """No income statistic matches what was asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class NoDataInSpanError(PremiumCalcError):
    """A region has no coverage year in the span asked for (or the span is empty)."""

    def __init__(
        self, region: str, start: int | None, end: int | None, years: Sequence[int]
    ) -> None:
        self.region = region
        self.start = start
        self.end = end
        self.available = tuple(years)
        have = ", ".join(map(str, years)) or "none"
        if start is not None and end is not None and start > end:
            message = f"the span {start}-{end} is empty (expected --from <= --to)"
        elif not years:
            message = f"{region} has no coverage years of its own (no [[year]] entries in its rate file)"
        else:
            span = (
                f"{start}-{end}" if start is not None and end is not None
                else f"from {start}" if start is not None
                else f"up to {end}"
            )
            message = (
                f"{region} has no rates for coverage years {span}; years available: {have}"
                " (expected --from/--to around those years)"
            )
        super().__init__(message)


class UnknownCategoryError(PremiumCalcError):
    """A category id that no year of the span defines."""

    def __init__(self, region: str, category: str, known: Sequence[str]) -> None:
        self.region = region
        self.category = category
        self.known = tuple(known)
        super().__init__(
            f"{region} has no category {category!r} in any year of the span"
            f" (expected one of {', '.join(known) or 'none'})"
        )


class PlotError(PremiumCalcError):
    """A chart cannot be written (bad file name or extension)."""


class PlotUnavailableError(PlotError):
    """matplotlib is not installed."""

    def __init__(self) -> None:
        super().__init__(
            'charts need matplotlib, which is not installed: pip install "premium-calc[plot]"'
        )


class RuleProblem(Protocol):
    """What an :class:`EditError` lists: a rate-file problem (``upkeep.problems.Problem``)."""

    @property
    def file(self) -> str: ...

    def render(self, file: str | None = None) -> str: ...


class EditError(PremiumCalcError):
    """An edit that cannot be made; nothing was changed. ``problems`` lists what it would break."""

    def __init__(self, message: str, problems: Iterable[RuleProblem] = (), headline: str = "") -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.headline = headline

    def describe(self, shown: Callable[[str], str] = str) -> str:
        """The message, with each problem's file shown through ``shown`` (e.g. relative)."""
        if not self.problems or not self.headline:
            return self.message
        return _problem_summary(self.headline, self.problems, shown)


def _problem_summary(
    headline: str, problems: Sequence[RuleProblem], shown: Callable[[str], str] = str
) -> str:
    listed = "; ".join(p.render(shown(p.file)) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"{headline}: {listed}{more}"


__all__ = [
    "DataMissingError",
    "EditError",
    "HouseholdError",
    "MissingFactError",
    "NoDataInSpanError",
    "PlotError",
    "PlotUnavailableError",
    "PremiumCalcError",
    "RateFileError",
    "StatisticNotFoundError",
    "UnknownCategoryError",
    "UnknownRegionError",
    "YearNotCoveredError",
]
