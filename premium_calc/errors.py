"""Every exception premium-calc raises for a problem a user can fix, in one place.

::

    PremiumCalcError                 code          structured fields
    ├── UnknownRegionError           unknown-region      query, suggestions
    │   └── AmbiguousRegionError     ambiguous-region    query, suggestions (the places it fits)
    ├── YearNotCoveredError          year-not-covered    region, year, available
    ├── DataMissingError             data-missing        region, year, what, reason, kind
    ├── RateFileError                rate-file           file, line, column, key, key_path, detail, rule
    │   └── ReformFileError          reform-file         (the same, for a reform file or --set)
    ├── HouseholdError               household           field, file, detail
    │   └── MissingFactError         missing-fact        member, fact, rule
    ├── OptionError                  option              option, detail
    ├── StatisticNotFoundError       statistic-not-found
    ├── NoDataInSpanError            no-data-in-span     region, start, end, available
    ├── UnknownCategoryError         unknown-category    region, category, known
    ├── PlotError                    plot
    │   └── PlotUnavailableError     plot-unavailable
    └── EditError                    edit                problems, headline

Each error has a stable :attr:`~PremiumCalcError.code`, the fields above (so embedding code reacts
without parsing text), a :class:`~premium_calc.messages.Note` (:attr:`~PremiumCalcError.note`:
a catalog key and fields) and a one-line English ``str()`` that names what is wrong and what was
expected. :meth:`~PremiumCalcError.text` gives the same line in another language. The CLI prints
it and exits 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from .messages import Note


class PremiumCalcError(Exception):
    """Base class: a user-facing problem with a one-line message."""

    #: A stable identifier of the kind of problem (see the module docstring).
    code: ClassVar[str] = "error"

    def __init__(self, message: Note | str) -> None:
        note = message if isinstance(message, Note) else Note.verbatim(message)
        super().__init__(str(note))
        #: The message as a catalog key and fields.
        self.note = note
        #: The message in English (``str(error)``).
        self.message = str(note)

    def text(self, lang: str) -> str:
        """The one-line message in ``lang``."""
        return self.note.text(lang)

    def __str__(self) -> str:
        return self.message


class UnknownRegionError(PremiumCalcError):
    """No rate file matches a region id or name."""

    code = "unknown-region"

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = Note("error.did_you_mean", suggestions=", ".join(self.suggestions)) if self.suggestions else ""
        super().__init__(Note("error.unknown_region", query=repr(query), hint=hint))


class AmbiguousRegionError(UnknownRegionError):
    """A name fits several places (苏州 and 宿州 are both "suzhou"): the error lists them."""

    code = "ambiguous-region"

    def __init__(self, query: str, candidates: Sequence[str], *, rate_files: bool = False) -> None:
        self.query = query
        self.suggestions = tuple(candidates)
        key = "error.ambiguous_rate_region" if rate_files else "error.ambiguous_region"
        PremiumCalcError.__init__(self, Note(key, query=repr(query), candidates="; ".join(candidates)))


class YearNotCoveredError(PremiumCalcError):
    """A region has no entry for a coverage year (never a silent fallback)."""

    code = "year-not-covered"

    def __init__(self, region: str, year: int, available: Sequence[int], note: str = "") -> None:
        self.region = region
        self.year = year
        self.available = tuple(available)
        years = ", ".join(str(y) for y in self.available) or Note("error.none")
        extra = Note("error.in_parentheses", text=note) if note else ""
        super().__init__(Note("error.year_not_covered", region=region, year=year, years=years, extra=extra))


class DataMissingError(PremiumCalcError):
    """The rate files say a value is not known (a ``missing`` note), or give none.

    ``kind`` says which: ``amount`` (no sourced amount), ``no-category`` (a year with no
    category at all), ``not-covered`` (no category covers a member), ``tier`` (no amount for a
    tier), ``late`` (no late-enrollment amount).
    """

    code = "data-missing"

    def __init__(
        self,
        region: str,
        year: int,
        what: str,
        reason: str,
        *,
        kind: Literal["amount", "no-category", "not-covered", "tier", "late"] = "amount",
    ) -> None:
        self.region = region
        self.year = year
        self.what = what
        self.reason = reason
        self.kind = kind
        super().__init__(Note("error.data_missing", region=region, year=year, what=what, reason=reason))


class RateFileError(PremiumCalcError):
    """A rate or statistics file is malformed: names the file, line, key path and rule.

    ``rule`` is the validation rule the problem belongs to: ``file`` (cannot be read, not
    UTF-8, not found), ``toml`` (not valid TOML), ``schema`` (a key or value the format does
    not allow), ``parent-unknown`` or ``parent-cycle`` (the chain of parents).
    """

    code = "rate-file"

    def __init__(
        self,
        file: Path | str,
        message: Note | str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        key_path: tuple[str | int, ...] | None = None,
        rule: str = "schema",
    ) -> None:
        detail = message if isinstance(message, Note) else Note.verbatim(message)
        self.file = str(file)
        self.line = line
        self.column = column
        #: The key path as text (``year[2].category[0].individual``) and as data.
        self.key = key
        self.key_path = key_path
        self.rule = rule
        #: What is wrong, without the place (English).
        self.detail = str(detail)
        self.detail_note = detail
        where = self.file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        keypart = f" {key}:" if key else ""
        super().__init__(Note("error.at_place", where=where, key=keypart, detail=detail))


class ReformFileError(RateFileError):
    """A reform file (or a ``--set`` override) is malformed or changes a value the region and
    year do not have: names the file (``--set`` for an override), line, key path and rule."""

    code = "reform-file"


class HouseholdError(PremiumCalcError):
    """A household (from flags, a file or the API) is not valid."""

    code = "household"

    def __init__(self, message: Note | str, *, field: str | None = None, file: str | None = None) -> None:
        detail = message if isinstance(message, Note) else Note.verbatim(message)
        self.field = field
        self.file = file
        #: What is wrong, without the file and field (English).
        self.detail = str(detail)
        self.detail_note = detail
        prefix = f"{file}: " if file else ""
        where = f"{field}: " if field else ""
        super().__init__(Note("error.household", prefix=prefix, field=where, detail=detail))


class MissingFactError(HouseholdError):
    """A category rule needs a fact the member lacks (it never guesses)."""

    code = "missing-fact"

    def __init__(self, member: int, fact: str, rule: str) -> None:
        self.member = member
        self.fact = fact
        self.rule = rule
        fact_name = Note(f"error.fact.{fact.replace(' ', '_')}")
        super().__init__(
            Note("error.missing_fact", member=member, rule=rule, fact=fact_name),
            field=f"members[{member - 1}]",
        )


class OptionError(PremiumCalcError):
    """A command option (or the argument of a library call standing for one) is malformed."""

    code = "option"

    def __init__(self, option: str, detail: Note | str) -> None:
        self.option = option
        self.detail = str(detail)
        super().__init__(Note("error.option", option=option, detail=detail))


class StatisticNotFoundError(PremiumCalcError):
    """No income statistic matches what was asked."""

    code = "statistic-not-found"


class NoDataInSpanError(PremiumCalcError):
    """A region has no coverage year in the span asked for (or the span is empty)."""

    code = "no-data-in-span"

    def __init__(self, region: str, start: int | None, end: int | None, years: Sequence[int]) -> None:
        self.region = region
        self.start = start
        self.end = end
        self.available = tuple(years)
        have = ", ".join(map(str, years)) or Note("error.none")
        message: Note
        if start is not None and end is not None and start > end:
            message = Note("error.span_empty", start=start, end=end)
        elif not years:
            message = Note("error.no_years_of_its_own", region=region)
        else:
            if start is not None and end is not None:
                span: Note | str = f"{start}-{end}"
            elif start is not None:
                span = Note("error.span_from", start=start)
            else:
                span = Note("error.span_up_to", end=end)
            message = Note("error.no_rates_in_span", region=region, span=span, years=have)
        super().__init__(message)


class UnknownCategoryError(PremiumCalcError):
    """A category id that no year of the span defines."""

    code = "unknown-category"

    def __init__(self, region: str, category: str, known: Sequence[str]) -> None:
        self.region = region
        self.category = category
        self.known = tuple(known)
        super().__init__(
            Note(
                "error.unknown_category",
                region=region,
                category=repr(category),
                known=", ".join(known) or Note("error.none"),
            )
        )


class PlotError(PremiumCalcError):
    """A chart cannot be written (bad file name or extension)."""

    code = "plot"


class PlotUnavailableError(PlotError):
    """matplotlib is not installed."""

    code = "plot-unavailable"

    def __init__(self) -> None:
        super().__init__(Note("error.plot_unavailable", hint='pip install "premium-calc[plot]"'))


class RuleProblem(Protocol):
    """What an :class:`EditError` lists: a rate-file problem (``upkeep.problems.Problem``)."""

    @property
    def file(self) -> str: ...

    def render(self, file: str | None = None, lang: str = "en") -> str: ...


class EditError(PremiumCalcError):
    """An edit that cannot be made; nothing was changed. ``problems`` lists what it would break."""

    code = "edit"

    def __init__(self, message: Note | str, problems: Iterable[RuleProblem] = (), headline: str = "") -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.headline = headline

    def describe(self, shown: Callable[[str], str] = str, lang: str = "en") -> str:
        """The message in ``lang``, with each problem's file shown through ``shown`` (e.g. relative)."""
        if not self.problems or not self.headline:
            return self.text(lang)
        return problem_summary(self.headline, self.problems, shown, lang)


def problem_summary(
    headline: str, problems: Sequence[RuleProblem], shown: Callable[[str], str] = str, lang: str = "en"
) -> str:
    listed = "; ".join(p.render(shown(p.file), lang) for p in problems[:3])
    more = Note("error.and_more", count=len(problems) - 3) if len(problems) > 3 else ""
    head = headline.text(lang) if isinstance(headline, Note) else headline
    return str(Note("error.problem_summary", headline=head, problems=listed, more=more).text(lang))


__all__ = [
    "AmbiguousRegionError",
    "DataMissingError",
    "EditError",
    "HouseholdError",
    "MissingFactError",
    "NoDataInSpanError",
    "OptionError",
    "PlotError",
    "PlotUnavailableError",
    "PremiumCalcError",
    "RateFileError",
    "ReformFileError",
    "StatisticNotFoundError",
    "UnknownCategoryError",
    "UnknownRegionError",
    "YearNotCoveredError",
]


def expect_type(value: object, kinds: type | tuple[type, ...], name: str, expected: str) -> None:
    """Raise an :class:`OptionError` naming ``name`` unless ``value`` is of ``kinds`` (a bool
    never counts as an int): a library call with a wrong argument says so in one line, not with
    an AttributeError deep inside."""
    wanted = kinds if isinstance(kinds, tuple) else (kinds,)
    is_bool = isinstance(value, bool) and bool not in wanted
    if is_bool or not isinstance(value, wanted):
        raise OptionError(name, Note("error.wrong_type", expected=expected, got=type(value).__name__))
