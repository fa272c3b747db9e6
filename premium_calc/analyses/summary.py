"""The summary of a history: premium and income growth over the span, compared over the same
years, the premium-income gap, the year of the heaviest burden, and (opt-in) the same against a
chained income index (see :mod:`premium_calc.analyses.history` for the definitions and the
rounding)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, localcontext
from typing import NamedTuple

from ..messages import Note
from .growth import cagr, gap_pp, index, multiple
from .series import ChainedIncome, ChainLink, HistoryRow, Segment, SeriesBreak, Summary


class Growth(NamedTuple):
    """A value's first and last year and amount, multiple and CAGR over a span."""

    first_year: int | None = None
    last_year: int | None = None
    first: Decimal | None = None
    last: Decimal | None = None
    multiple: Decimal | None = None
    cagr: Decimal | None = None


def growth_over(
    first: HistoryRow | None, last: HistoryRow | None, value: Callable[[HistoryRow], Decimal | None]
) -> Growth:
    """The growth of ``value`` from row ``first`` to row ``last`` (all None without them)."""
    if first is None or last is None:
        return Growth()
    a, b = value(first), value(last)
    return Growth(
        first.coverage_year,
        last.coverage_year,
        a,
        b,
        multiple(b, a),
        cagr(a, b, last.coverage_year - first.coverage_year),
    )


def peak(rows: Iterable[HistoryRow]) -> tuple[int | None, Decimal | None]:
    """The year with the heaviest burden and that burden (the first of equal years)."""
    best: tuple[int | None, Decimal | None] = (None, None)
    for row in rows:
        if row.burden_ratio is not None and (best[1] is None or row.burden_ratio > best[1]):
            best = (row.coverage_year, row.burden_ratio)
    return best


def compare_growth(
    rows: Sequence[HistoryRow],
) -> tuple[int | None, int | None, Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """Premium and income multiple and CAGR over the rows that have both."""
    both = [r for r in rows if r.premium is not None and r.income is not None]
    if len(both) < 2:
        first_year = both[0].coverage_year if both else None
        return first_year, first_year, None, None, None, None
    a, b = both[0], both[-1]
    years = b.coverage_year - a.coverage_year
    return (
        a.coverage_year,
        b.coverage_year,
        multiple(b.premium, a.premium),
        cagr(a.premium, b.premium, years),
        multiple(b.income, a.income),
        cagr(a.income, b.income, years),
    )


def chain_message(links: Sequence[ChainLink], unlinked: Sequence[int]) -> Note:
    """What the chained index did, as a note: where it links the measures (a statistical link,
    not a measured series), or why it could not."""
    if not links and not unlinked:
        return Note("note.chain_not_needed")
    if unlinked:
        return Note("note.chain_not_possible", years=", ".join(map(str, unlinked)))
    parts = [
        Note(
            "note.chain_link",
            income_year=link.income_year,
            from_name=Note(f"measure.{link.from_measure}"),
            to_name=Note(f"measure.{link.to_measure}"),
            from_value=link.from_value,
            to_value=link.to_value,
        )
        for link in links
    ]
    joined = parts[0]
    for part in parts[1:]:
        joined = Note("note.chain_links_and", first=joined, next=part)
    return Note("note.chained_income", links=joined)


def chain_rows(
    rows: Sequence[HistoryRow], breaks: Sequence[SeriesBreak]
) -> tuple[list[HistoryRow], ChainedIncome]:
    """The chained income index, linked at each income-measure break where the overlap year
    has both measures (2014: rural net 9892, disposable 10489).

    Each segment's incomes are converted to the first segment's measure by the ratio of the
    two figures of the overlap year (segment k+1 x from_value / to_value); the index is the
    converted value / the first income x 100, to 2 decimals, rounded once. Rows whose value
    was converted get ``income_chained``. Premium and chained income are compared over the
    first and last rows that have both. A break of income region, or one without an overlap
    year, is not linked: then no chained figure at all (``unlinked`` lists its coverage year).
    Without any break there is nothing to link: the chained index is the measured one.
    """
    links: list[ChainLink] = []
    unlinked: list[int] = []
    for brk in breaks:
        ok = (
            brk.from_measure != brk.to_measure
            and brk.from_region == brk.to_region
            and brk.overlap_from_value is not None
            and brk.overlap_to_value is not None
            and brk.overlap_to_value > 0
        )
        if not ok:
            unlinked.append(brk.coverage_year)
            continue
        assert brk.overlap_from_value is not None and brk.overlap_to_value is not None
        links.append(
            ChainLink(
                coverage_year=brk.coverage_year,
                income_year=brk.income_year,
                from_measure=brk.from_measure,
                to_measure=brk.to_measure,
                from_value=brk.overlap_from_value,
                to_value=brk.overlap_to_value,
            )
        )
    note = str(chain_message(links, unlinked))
    if unlinked:
        empty = ChainedIncome(
            first_year=None,
            last_year=None,
            income_first=None,
            income_last=None,
            premium_multiple=None,
            premium_cagr=None,
            income_multiple=None,
            income_cagr=None,
            gap_pp_per_year=None,
            links=links,
            unlinked=unlinked,
            note=note,
        )
        return list(rows), empty
    # factor of each segment: converts its incomes to the first segment's measure
    factors: dict[int, Decimal] = {}
    segments = sorted({r.segment for r in rows if r.segment is not None})
    factor = Decimal(1)
    with localcontext() as ctx:
        ctx.prec = 28
        for i, seg in enumerate(segments):
            if i > 0:
                link = links[i - 1]
                factor = factor * link.from_value / link.to_value
            factors[seg] = factor

        def converted(row: HistoryRow) -> Decimal | None:
            if row.income is None or row.segment is None:
                return None
            return row.income * factors[row.segment]

        base = next((converted(r) for r in rows if converted(r) is not None), None)
        out = [
            r.model_copy(
                update={
                    "income_index_chained": index(converted(r), base),
                    "income_chained": r.segment is not None and factors[r.segment] != 1,
                }
            )
            for r in rows
        ]
        both = [r for r in out if r.premium is not None and r.income is not None]
        if len(both) < 2:
            first_year = both[0].coverage_year if both else None
            return out, ChainedIncome(
                first_year=first_year,
                last_year=first_year,
                income_first=None,
                income_last=None,
                premium_multiple=None,
                premium_cagr=None,
                income_multiple=None,
                income_cagr=None,
                gap_pp_per_year=None,
                links=links,
                unlinked=[],
                note=note,
            )
        a, b = both[0], both[-1]
        years = b.coverage_year - a.coverage_year
        ca, cb = converted(a), converted(b)
        p_cagr = cagr(a.premium, b.premium, years)
        i_cagr = cagr(ca, cb, years)
        return out, ChainedIncome(
            first_year=a.coverage_year,
            last_year=b.coverage_year,
            income_first=a.income,
            income_last=b.income,
            premium_multiple=multiple(b.premium, a.premium),
            premium_cagr=p_cagr,
            income_multiple=multiple(cb, ca),
            income_cagr=i_cagr,
            gap_pp_per_year=gap_pp(p_cagr, i_cagr),
            links=links,
            unlinked=[],
            note=note,
        )


def summarize(
    rows: Sequence[HistoryRow],
    segments: Sequence[Segment],
    breaks: Sequence[SeriesBreak],
    chained: ChainedIncome | None = None,
) -> Summary:
    """The summary: premium growth over the span; income growth and the gap only when the
    series is one segment (never across a break; the chained comparison, opt-in, is apart in
    ``chained``); the individual share of funding first and last; missing and uncovered years."""
    with_premium = [r for r in rows if r.premium is not None]
    p_first, p_last = (with_premium[0], with_premium[-1]) if with_premium else (None, None)
    with_income = [r for r in rows if r.income is not None]
    single = len(segments) == 1
    i_first, i_last = (with_income[0], with_income[-1]) if with_income and single else (None, None)
    seg0 = segments[0] if single else None
    premium = growth_over(p_first, p_last, lambda r: r.premium)
    income = growth_over(i_first, i_last, lambda r: r.income)
    peak_year, peak_ratio = peak(rows)
    first_year, last_year = rows[0].coverage_year, rows[-1].coverage_year
    have = {r.coverage_year for r in rows}
    shares = [r for r in rows if r.individual_share is not None]
    return Summary(
        first_year=first_year,
        last_year=last_year,
        premium_first_year=premium.first_year,
        premium_last_year=premium.last_year,
        premium_first=premium.first,
        premium_last=premium.last,
        premium_multiple=premium.multiple,
        premium_cagr=premium.cagr,
        income_first_year=income.first_year,
        income_last_year=income.last_year,
        income_first=income.first,
        income_last=income.last,
        income_multiple=income.multiple,
        income_cagr=income.cagr,
        compare_first_year=seg0.compare_first_year if seg0 else None,
        compare_last_year=seg0.compare_last_year if seg0 else None,
        gap_pp_per_year=seg0.gap_pp_per_year if seg0 else None,
        peak_burden_year=peak_year,
        peak_burden_ratio=peak_ratio,
        series_break=bool(breaks),
        breaks=list(breaks),
        segments=list(segments),
        missing_premium_years=[r.coverage_year for r in rows if r.premium is None],
        missing_income_years=[r.coverage_year for r in rows if r.income is None],
        uncovered_years=[y for y in range(first_year, last_year + 1) if y not in have],
        low_confidence_years=[r.coverage_year for r in rows if r.low_confidence],
        chained=chained,
        individual_share_first_year=shares[0].coverage_year if shares else None,
        individual_share_first=shares[0].individual_share if shares else None,
        individual_share_last_year=shares[-1].coverage_year if shares else None,
        individual_share_last=shares[-1].individual_share if shares else None,
    )
