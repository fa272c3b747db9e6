"""A household under a reform (``calc --reform`` / ``--set``) as text: the baseline and the
reform side by side per member and in total, the burden and fiscal cost before and after, the
reform's name, assumptions and sources, and the mark that it is a scenario, not a rule in force;
and a reform file described in words (``reform show``). Nothing here prints.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..household.members import spec_text
from ..messages import labelled, pick, tr
from ..units import money, percent
from .formats import LOW_MARK, UNKNOWN_MARK, confidence_mark, range_text, say

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..analyses.reform.household import ReformComparison
    from ..analyses.reform.model import Reform

#: The mark on every value computed under a reform (a scenario, not a sourced fact).
SCENARIO_MARK = "*"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "?"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "-") + money(abs(value))


def _short(value: Decimal | None) -> str:
    """An amount, or the unknown mark alone (a narrow column)."""
    return money(value) if value is not None else UNKNOWN_MARK


def _amount(value: Decimal | None, lang: str) -> str:
    return money(value) if value is not None else tr("calc.unknown", lang) + UNKNOWN_MARK


def _paid(m: object, lang: str) -> str:
    """What a member pays, or its bounds (``0–400?``) where assistance is unknown; ``≥`` where
    the amount is the national minimum standing in for a local one."""
    paid, low, high = (
        getattr(m, "paid", None),
        getattr(m, "paid_low", Decimal(0)),
        getattr(m, "paid_high", None),
    )
    text = money(paid) if paid is not None else range_text(low, high, lang) + UNKNOWN_MARK
    if getattr(m, "gross_is_national_minimum", False) and getattr(m, "assistance", None) == 0:
        text = "≥" + text
    return text


def _total_paid(result: object, lang: str) -> str:
    paid = getattr(result, "total_paid", None)
    if paid is not None:
        return money(paid)
    return (
        range_text(
            getattr(result, "total_paid_low", Decimal(0)), getattr(result, "total_paid_high", None), lang
        )
        + UNKNOWN_MARK
    )


def _points(value: Decimal | None, lang: str) -> str:
    if value is None:
        return "?"
    pts = f"{value * 100:+.2f}"
    return tr("reform.points", lang, points=pts)


def reform_table(result: ReformComparison, lang: str = "en") -> RenderableType:
    """Baseline and reform side by side (members, totals, burden, fiscal cost, the reform)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .paragraph import Paragraph

    info = result.reform_info
    base, new, change = result.baseline, result.reform, result.change
    parts: list[RenderableType] = [
        Paragraph(
            tr("reform.banner", lang, name=pick(info.name, lang), mark=SCENARIO_MARK), style="bold yellow"
        )
    ]
    where = pick(base.region_name, lang)
    parts.append(Paragraph(tr("reform.title", lang, region=where, year=base.coverage_year), style="italic"))
    mark = SCENARIO_MARK
    table = Table(show_footer=True)
    table.add_column("#", justify="right", footer="")
    table.add_column(tr("calc.member", lang), footer=tr("calc.total", lang))
    low_base = confidence_mark(base.confidence)
    table.add_column(tr("reform.paid_now", lang), justify="right", footer=_total_paid(base, lang) + low_base)
    table.add_column(tr("reform.paid_reform", lang), justify="right", footer=_total_paid(new, lang) + mark)
    table.add_column(tr("reform.change", lang), justify="right", footer=_signed(change.total_paid))
    assisted = any(m.assistance != 0 for m in [*base.members, *new.members])
    if assisted:
        table.add_column(
            tr("reform.assistance", lang),
            justify="right",
            footer=f"{_short(base.total_assistance)}→{_short(new.total_assistance)}{mark}",
        )
    table.add_column(
        tr("reform.subsidy", lang),
        justify="right",
        footer=f"{_amount(base.total_subsidy, lang)}→{_amount(new.total_subsidy, lang)}{mark}",
    )
    for old, now, delta in zip(base.members, new.members, change.members, strict=True):
        who = spec_text(now.member, lang)
        if delta.contribution in ("exempt", "beyond_cap", "unknown"):
            who += f" ({tr('reform.status.' + delta.contribution, lang)})"
        row = [
            str(now.index),
            who,
            _paid(old, lang) + confidence_mark(old.confidence),
            _paid(now, lang) + mark,
        ]
        row.append(_signed(delta.paid))
        if assisted:
            row.append(f"{_short(old.assistance)}→{_short(now.assistance)}")
        row.append(f"{money(old.subsidy)}→{money(now.subsidy)}")
        table.add_row(*row)
    parts.append(table)
    burden_now = percent(base.burden_ratio) if base.burden_ratio is not None else "?"
    burden_new = percent(new.burden_ratio) if new.burden_ratio is not None else "?"
    basis = tr(f"reform.basis.{base.burden.income_basis}", lang)
    parts.append(
        Paragraph(
            tr(
                "reform.burden_line", lang, now=burden_now, reform=burden_new + mark,
                change=_points(change.burden_ratio, lang), basis=basis,
            ),
            prefix=labelled("reform.burden", lang),
        )
    )  # fmt: skip
    parts.append(
        Paragraph(
            tr(
                "reform.fiscal_line", lang, now=_amount(result.baseline_fiscal_cost, lang),
                reform=_amount(result.reform_fiscal_cost, lang), mark=mark,
                change=_signed(change.fiscal_cost),
            ),
            prefix=labelled("reform.fiscal", lang),
        )
    )  # fmt: skip
    parts.append(Paragraph(tr("reform.fiscal_definition", lang), style="dim"))
    facts: list[RenderableType] = []
    facts.append(
        Paragraph(_illustrative(info.illustrative, lang), prefix=labelled("reform.parameters", lang))
    )
    for text in info.assumptions:
        facts.append(Paragraph(pick(text, lang), prefix=labelled("reform.assumption", lang)))
    for note in result.notes:
        if getattr(note, "key", None) not in ("note.reform_scenario", "note.reform_illustrative"):
            facts.append(Paragraph(say(note, lang), prefix=labelled("calc.note", lang), style="dim"))
    for source in info.sources:
        title = source.title_in(lang)
        url = f" <{source.url}>" if source.url else ""
        word = tr("reform.source_confidence", lang, level=tr(f"confidence.{source.confidence}", lang))
        shown = f"{title}{url}{tr('punct.parenthesised', lang, text=word)}"
        facts.append(Paragraph(shown, prefix=labelled("reform.source", lang), style="dim"))
    if not info.sources:
        facts.append(
            Paragraph(tr("reform.no_sources", lang), prefix=labelled("reform.source", lang), style="dim")
        )
    settings = f"--set {' '.join(info.settings)}" if info.settings else ""
    if info.file == "--set":  # overrides only, no file
        where_from = settings
    else:
        where_from = _file_text(info.file, lang) + (f"; {settings}" if settings else "")
    facts.append(Paragraph(where_from, prefix=labelled("reform.file", lang), style="dim"))
    facts.append(Paragraph(tr("reform.mark_footnote", lang, mark=SCENARIO_MARK), style="dim"))
    if low_base or any(confidence_mark(m.confidence) for m in base.members):
        facts.append(Paragraph(tr("calc.low_note", lang), prefix=f"{LOW_MARK} ", style="yellow"))
    return Group(*parts, Text(""), *facts)


def _illustrative(illustrative: bool, lang: str) -> str:
    return tr("reform.illustrative_yes", lang) if illustrative else tr("reform.illustrative_no", lang)


def _file_text(file: str, lang: str) -> str:
    """A shipped example by its id, another file as given (``--set``: overrides only)."""
    from pathlib import Path

    from ..analyses.reform.loading import EXAMPLES_DIR

    path = Path(file)
    if path.parent == EXAMPLES_DIR:
        return tr("reform.shipped_example", lang, id=path.stem)
    return file


def reform_description(reform: Reform, lang: str = "en") -> list[str]:
    """``reform show``: what a reform changes, in words, one line each."""
    out = [f"{pick(reform.name, lang)} ({reform.id})"]
    out.append(_illustrative(reform.illustrative, lang))
    for entry in reform.change:
        years = ", ".join(str(y) for y in entry.years) if entry.years else tr("reform.all_years", lang)
        out.append(
            tr("reform.show.change", lang, key=entry.key, value=entry.value, region=entry.region, years=years)
        )
    c = reform.contribution
    if c is not None:
        out.append(_contribution_words(c, lang))
        if c.applies_to is not None:
            out.append(tr("reform.show.applies_to", lang, categories=", ".join(c.applies_to)))
        if c.exempt_groups or c.exempt_categories:
            out.append(
                tr(
                    "reform.show.exempt",
                    lang,
                    who=", ".join([*_groups(c.exempt_groups, lang), *c.exempt_categories]),
                )
            )
        if c.max_paying_members is not None:
            out.append(tr("reform.show.max_paying", lang, count=c.max_paying_members))
        out.append(tr(f"reform.show.unknown_{c.unknown_income}", lang))
        for edge, before, at in c.cliffs():
            out.append(tr("note.reform_cliff", lang, edge=money(edge), before=money(before), at=money(at)))
    for text in reform.reform.assumptions:
        out.append(labelled("reform.assumption", lang) + pick(text, lang))
    for source in reform.reform.sources:
        url = f" <{source.url}>" if source.url else ""
        out.append(labelled("reform.source", lang) + f"{source.title_in(lang)}{url}")
    return out


def _groups(groups: tuple[str, ...], lang: str) -> list[str]:
    """Assisted groups by their names in ``lang``."""
    from ..messages import uses_cjk
    from ..ratefiles.model import ASSISTED_GROUPS

    return [ASSISTED_GROUPS[g][0 if uses_cjk(lang) else 1] if g in ASSISTED_GROUPS else g for g in groups]


def _contribution_words(c: object, lang: str) -> str:
    from ..analyses.reform.contribution import Brackets, FlatReductions, IncomeShare
    from ..units import short_percent

    def opt(value: Decimal | None) -> str:
        return money(value) if value is not None else tr("reform.show.none", lang)

    if isinstance(c, IncomeShare):
        return tr(
            "reform.show.income_share", lang, rate=short_percent(c.rate),
            income=tr(f"reform.income.{c.income}", lang), per=tr(f"reform.per.{c.per}", lang),
            floor=opt(c.floor), cap=opt(c.cap),
        )  # fmt: skip
    if isinstance(c, Brackets):
        pieces = []
        for b in c.brackets:
            if b.amount is not None:
                what = tr("reform.show.yuan", lang, amount=money(b.amount))
            else:
                assert b.rate is not None
                what = short_percent(b.rate) + (
                    f"→{short_percent(b.rate_to)}" if b.rate_to is not None else ""
                )
            edge = (
                tr("reform.show.below", lang, edge=money(b.below))
                if b.below is not None
                else tr("reform.show.above", lang)
            )
            pieces.append(f"{edge}: {what}")
        return tr("reform.show.brackets", lang, brackets="; ".join(pieces))
    assert isinstance(c, FlatReductions)
    base = money(c.amount) if c.amount is not None else tr("reform.show.standard", lang)
    cuts = "; ".join(
        f"{tr('reform.show.below', lang, edge=money(r.below))}: -{short_percent(r.share)}"
        for r in c.reductions
    )
    return tr(
        "reform.show.flat_reductions",
        lang,
        base=base,
        income=tr(f"reform.income.{c.income}", lang),
        cuts=cuts,
    )


__all__ = ["SCENARIO_MARK", "reform_description", "reform_table"]
