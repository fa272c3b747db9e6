"""A population under a reform as text: baseline and reform totals with the change, a table by
income decile (mean change, burden before and after), the winners and losers, the shares above
each burden threshold, the solver's result and the enrolment response scenario (if asked)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..messages import tr
from ..units import short_percent
from .formats import amount_text, say
from .population import SMALL_MARK, count_text, pct, standard_lines

if TYPE_CHECKING:
    from ..analyses.reform.population_compare import ReformPopulationSummary
    from ..analyses.reform.response import ResponseScenario
    from ..analyses.reform.solver import Solution


def _span(low: Decimal, high: Decimal, lang: str) -> str:
    if low == high:
        return amount_text(high, lang, wan=True)
    return f"{amount_text(low, lang, wan=True)}–{amount_text(high, lang, wan=True)}"


def _signed(value: Decimal | None, lang: str, wan: bool = True) -> str:
    if value is None:
        return "–"
    text = amount_text(abs(value), lang, wan=wan)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else "0"


def _signed_span(low: Decimal, high: Decimal, lang: str) -> str:
    return _signed(high, lang) if low == high else f"{_signed(low, lang)} .. {_signed(high, lang)}"


def totals_table(s: ReformPopulationSummary, lang: str) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=tr("reform.pop.totals", lang), box=box.SIMPLE_HEAD, title_justify="left")
    for key, justify in (("reform.pop.col.what", "left"), ("reform.pop.col.baseline", "right"),
                         ("reform.pop.col.reform", "right"), ("reform.pop.col.change", "right")):  # fmt: skip
        table.add_column(tr(key, lang), justify=justify)  # type: ignore[arg-type]
    b, r, c = s.baseline, s.reform, s.change
    rows = (
        ("reform.pop.row.paid", (b.paid_low, b.paid_high), (r.paid_low, r.paid_high),
         (c.paid_low, c.paid_high)),
        ("reform.pop.row.assistance", (b.assistance_low, b.assistance_high),
         (r.assistance_low, r.assistance_high), (c.assistance_low, c.assistance_high)),
        ("reform.pop.row.subsidy", (b.subsidy, b.subsidy), (r.subsidy, r.subsidy), (c.subsidy, c.subsidy)),
        ("reform.pop.row.fiscal", (b.fiscal_cost_low, b.fiscal_cost_high),
         (r.fiscal_cost_low, r.fiscal_cost_high), (c.fiscal_cost_low, c.fiscal_cost_high)),
    )  # fmt: skip
    for key, before, after, change in rows:
        table.add_row(tr(key, lang), _span(*before, lang), _span(*after, lang), _signed_span(*change, lang))
    return table


def deciles_table(s: ReformPopulationSummary, lang: str) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=tr("reform.pop.deciles", lang), box=box.SIMPLE_HEAD, title_justify="left")
    for key in (
        "population.col.part",
        "population.col.income",
        "population.col.households",
        "reform.pop.col.mean_change",
        "reform.pop.col.burden_before",
        "reform.pop.col.burden_after",
    ):
        table.add_column(tr(key, lang), justify="right")  # fmt: skip
    for d in s.deciles:
        income = f"≤{d.income_to:,.0f}" if d.income_to is not None else ""
        table.add_row(
            f"{d.part}{SMALL_MARK if d.small else ''}", income, count_text(d.households, lang),
            _signed(d.mean_change, lang, wan=False), pct(d.mean_burden_before), pct(d.mean_burden_after),
        )  # fmt: skip
    return table


def bins_table(s: ReformPopulationSummary, lang: str) -> Any:
    from rich import box
    from rich.table import Table

    title = tr(f"reform.pop.bins.{s.relative_to}", lang)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(tr("reform.pop.col.bin", lang))
    table.add_column(tr("population.col.households", lang), justify="right")
    table.add_column(tr("population.col.people", lang), justify="right")
    table.add_column(tr("reform.pop.col.share", lang), justify="right")
    for b in s.bins:
        if b.name in ("uncertain", "no_base") and not b.households:
            continue
        table.add_row(tr(f"reform.pop.bin.{b.name}", lang), count_text(b.households, lang),
                      count_text(b.people, lang), pct(b.share))  # fmt: skip
    return table


def threshold_lines(s: ReformPopulationSummary, lang: str) -> list[str]:
    return [
        tr("reform.pop.above", lang, threshold=short_percent(t.threshold), before=pct(t.people_before),
           after=pct(t.people_after), households_before=pct(t.households_before),
           households_after=pct(t.households_after))
        for t in s.thresholds
    ]  # fmt: skip


def solution_lines(solution: Solution, lang: str) -> list[str]:
    from ..analyses.reform.population_compare import yuan

    return [
        tr("reform.pop.solved", lang, parameter=solution.parameter, value=f"{solution.value.normalize():f}",
           total=amount_text(yuan(solution.total), lang), target=amount_text(yuan(solution.target), lang),
           residual=_signed(yuan(solution.residual), lang, wan=False), low=f"{solution.low.normalize():f}",
           high=f"{solution.high.normalize():f}", step=f"{solution.step.normalize():f}",
           evaluations=solution.evaluations)
    ]  # fmt: skip


def response_lines(scenario: ResponseScenario, lang: str) -> list[str]:
    out = [tr("reform.pop.response.title", lang)]
    for end in scenario.ends:
        out.append(
            tr("reform.pop.response.end", lang, elasticity=f"{end.elasticity}",
               people=_signed(end.people_change, lang, wan=False), share=pct(end.people_change_share),
               contributions=amount_text(end.contributions, lang, wan=True),
               change=_signed(end.contributions_change, lang, wan=False))
        )  # fmt: skip
    out.extend(note.text(lang) for note in scenario.notes)
    return out


def reform_population_text(
    s: ReformPopulationSummary,
    lang: str,
    *,
    title: str = "",
    solution: Solution | None = None,
    response: ResponseScenario | None = None,
    names: dict[str, dict[str, str]] | None = None,
) -> list[Any]:
    """Everything ``population --reform`` prints, in order: prose as strings (never rich
    markup), the rest as renderables."""
    from rich.text import Text

    out: list[Any] = []
    if title:
        out.append(Text(title, style="bold"))
    out.append(
        tr("reform.pop.headline", lang, households=count_text(s.households, lang),
           people=count_text(s.people, lang), sample=f"{s.sample:,}")
    )  # fmt: skip
    if s.unpriced_households:
        out.append(tr("reform.pop.unpriced", lang, households=count_text(s.unpriced_households, lang)))
    if s.no_income_households:
        out.append(tr("reform.pop.no_income", lang, households=count_text(s.no_income_households, lang)))
    if solution is not None:
        out.extend(solution_lines(solution, lang))
    out.append(totals_table(s, lang))
    out.append(deciles_table(s, lang))
    if any(d.small for d in s.deciles):
        out.append(tr("reform.pop.small", lang, mark=SMALL_MARK))
    out.append(bins_table(s, lang))
    out.extend(threshold_lines(s, lang))
    if response is not None:
        out.extend(response_lines(response, lang))
    out.extend(standard_lines(s.standards, lang, names))
    bullet = "·" if lang.startswith("zh") else "· "
    out.extend(bullet + say(note, lang) for note in s.notes if note)
    return out


__all__ = ["reform_population_text"]
