"""One household's assessment (``premium-calc calc``) as a rich table with its burden, notes and
sources, and as CSV rows. Nothing here prints.

Labels come in Chinese and English (``lang="zh"|"en"``). Low-confidence values carry a
mark (``LOW_MARK``) and a footnote: they are shown, never as plain fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from ..household.members import spec_text
from ..messages import labelled, pick, tr, uses_cjk

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..household.burden import Assessment
    from ..household.premium import SourceRef
from ..units import money, percent, short_percent
from .formats import (
    LOW_MARK,
    UNKNOWN_MARK,
    amount_text,
    component_name,
    confidence_mark,
    confidence_word,
    range_text,
    say,
    yuan_text,
)
from .paragraph import Paragraph


def assessment_table(result: Assessment, lang: str = "en", *, wan: bool = False) -> RenderableType:
    """A rich renderable: members table, burden lines and sources. ``wan``: in Chinese, amounts
    of 10,000 yuan or more in the summary and the income lines are written in 万 (1.4万)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    name = pick(result.region_name, lang)
    comma = "，" if uses_cjk(lang) else ", "
    policy = f"{comma}{tr('calc.policy_year', lang)} {result.policy_year}" if result.policy_year else ""
    tier = f"{comma}{tr('calc.tier', lang)} {result.tier}" if result.tier else ""
    # The region id is for people who type ids (English); a Chinese reader sees the name.
    where = name if uses_cjk(lang) else f"{name} ({result.region})"
    if result.place is not None:
        where = tr("calc.place_title", lang, place=result.place.name, code=result.place.code, standard=where)
    joiner = comma if result.place is not None and uses_cjk(lang) else " "
    title = f"{where}{joiner}{tr('calc.coverage_year', lang)} {result.coverage_year}{policy}{tier}"
    table = Table(show_footer=True)
    table.add_column("#", justify="right", footer="")
    table.add_column(tr("calc.member", lang), footer=tr("calc.total", lang))
    table.add_column(tr("calc.category", lang))
    unknown = tr("calc.unknown", lang) + UNKNOWN_MARK
    gross_total = money(result.total_gross) if result.total_gross is not None else unknown
    assist_total = money(result.total_assistance) if result.total_assistance is not None else unknown
    paid_total = _paid_text(result.total_paid, result.total_paid_low, result.total_paid_high, lang)
    if result.national_fallback:
        gross_total = "≥" + gross_total
        if all(m.assistance == 0 for m in result.members):
            paid_total = "≥" + paid_total
    table.add_column(tr("calc.gross", lang), justify="right", footer=gross_total)
    table.add_column(tr("calc.assistance", lang), justify="right", footer=assist_total)
    table.add_column(tr("calc.paid", lang), justify="right", footer=paid_total)
    floor = "≥" if result.subsidy_is_national_minimum else ""
    table.add_column(
        tr("calc.subsidy", lang), justify="right", footer=floor + money(result.total_subsidy)
    )
    any_low = False
    for m in result.members:
        if m.status == "employee":
            category = tr("calc.employee", lang)
        else:
            category = pick(m.category_name, lang) if m.category_name is not None else m.category or ""
            if m.status == "late":
                category += f" ({tr('calc.late', lang)})"
            if m.assisted_rule:
                category += f" [{m.assisted_rule}]"
            if m.components:
                parts = ", ".join(f"{component_name(k, lang)} {money(v)}" for k, v in m.components.items())
                category += tr("calc.includes", lang, parts=parts)
        mark = confidence_mark(m.confidence)
        any_low = any_low or bool(mark)
        if m.unknown == "assistance":
            category += f" ({tr('calc.assistance_unknown', lang)})"
        table.add_row(
            str(m.index),
            spec_text(m.member, lang),
            category,
            ("≥" if m.gross_is_national_minimum else "")
            + (money(m.gross) if m.gross is not None else unknown) + mark,
            money(m.assistance) if m.assistance is not None else unknown,
            ("≥" if m.gross_is_national_minimum and m.assistance == 0 else "")
            + _paid_text(m.paid, m.paid_low, m.paid_high, lang) + mark,
            ("≥" if m.subsidy_is_national_minimum else "") + money(m.subsidy),
        )
    lines: list[RenderableType] = [Paragraph(summary_line(result, lang, wan=wan))]
    for note in [*result.notes, *result.burden.notes]:
        if getattr(note, "key", None) in HEADLINE_NOTES:
            lines.append(Paragraph(say(note, lang), style="bold yellow"))
    lines += [Paragraph(title, style="italic"), table]
    lines.append(burden_text(result, lang, wan=wan))
    facts: list[RenderableType] = []
    if result.national_minimum is not None:
        minimum = yuan_text(result.national_minimum, lang)
        facts.append(Paragraph(minimum, prefix=labelled("calc.national_min", lang), style="dim"))
    if result.collection_start or result.collection_end:
        start = result.collection_start.isoformat() if result.collection_start else "?"
        end = result.collection_end.isoformat() if result.collection_end else "?"
        facts.append(Paragraph(f"{start} .. {end}", prefix=labelled("calc.window", lang), style="dim"))
    for note in result.notes:
        if getattr(note, "key", None) not in HEADLINE_NOTES:
            facts.append(Paragraph(say(note, lang), prefix=labelled("calc.note", lang), style="dim"))
    if result.subsidy_is_national_minimum:
        facts.append(Paragraph(f"≥ {tr('calc.subsidy_floor', lang)}", style="dim"))
    lines.append(Group(*facts, Text("")))
    lines.append(sources_text(result.sources, lang, any_low))
    return Group(*lines)


#: Notes that change what the whole answer means (a standard that is not the place's own, a
#: member whose payment is unknown): shown under the summary, not among the footnotes.
HEADLINE_NOTES = frozenset(
    {
        "note.year_default",
        "note.standard_national",
        "note.standard_from_ancestor",
        "note.place_whole_region",
        "note.place_from_region",
        "note.member_assistance_unknown",
        "note.member_amount_unknown",
        "note.statistic_national_stands_in",
    }
)


def _paid_text(paid: Decimal | None, low: Decimal, high: Decimal | None, lang: str) -> str:
    """What is paid, or its bounds with the unknown mark (``0–400?``, ``≥400?``)."""
    return money(paid) if paid is not None else range_text(low, high, lang) + UNKNOWN_MARK


def summary_line(result: Assessment, lang: str, *, wan: bool = False) -> str:
    """One sentence a household can read at a glance: what it pays in all and per person, how
    heavy that is, and what the government adds."""
    b = result.burden
    size = b.household_size
    if result.total_paid is not None:
        key = "calc.summary.pays_floor" if result.national_fallback else "calc.summary.pays"
        pays = tr(
            key, lang, size=size, year=result.coverage_year,
            paid=amount_text(result.total_paid, lang, wan), per=money(b.paid_per_member),
        )
    elif result.total_paid_high is not None:
        pays = tr(
            "calc.summary.pays_between", lang, size=size, year=result.coverage_year,
            low=amount_text(result.total_paid_low, lang, wan),
            high=amount_text(result.total_paid_high, lang, wan), unknown=len(result.unknown_members),
        )
    else:
        pays = tr(
            "calc.summary.pays_at_least", lang, size=size, year=result.coverage_year,
            low=amount_text(result.total_paid_low, lang, wan), unknown=len(result.unknown_members),
        )
    parts = [pays]
    if b.computable and b.burden_ratio is not None:
        own = b.income_basis == "household"
        key = "calc.summary.burden" if own else "calc.summary.burden_statistic"
        share = ("≥" if result.national_fallback else "") + percent(b.burden_ratio)
        stat = b.statistic.label(lang) if b.statistic is not None else ""
        parts.append(tr(key, lang, share=share, days=b.days_of_work, statistic=stat))
    if result.total_subsidy is not None and result.total_subsidy > 0:
        floor = result.subsidy_is_national_minimum
        key = "calc.summary.subsidy_at_least" if floor else "calc.summary.subsidy"
        parts.append(tr(key, lang, subsidy=amount_text(result.total_subsidy, lang, wan)))
    low = any(m.confidence == "low" for m in result.members)
    return "".join(parts) + tr("calc.summary.end", lang) + (f" {LOW_MARK}" if low else "")


class BurdenLine(NamedTuple):
    """One line of the burden block: ``label`` (with its colon; empty for none), ``value`` and
    ``tail``; ``style`` colours the value, or the whole line where ``whole``."""

    label: str
    value: str
    tail: str = ""
    style: str | None = None
    whole: bool = False

    @property
    def text(self) -> str:
        return self.label + self.value + self.tail


def burden_lines(result: Assessment, lang: str, *, wan: bool = False) -> list[BurdenLine]:
    """The burden as lines (income, per capita, per member, the ratio, the thresholds), shared
    by the terminal and the web page; no rich, so that the page can run it."""
    b = result.burden
    lines: list[BurdenLine] = []
    if b.income_basis == "statistic" and b.statistic is not None:
        stat = b.statistic
        mark = confidence_mark(stat.confidence if stat.confidence in ("low",) else None)
        shown = f"{stat.label(lang)} = {yuan_text(stat.value, lang)}{mark} x {b.household_size}"
        total = yuan_text(b.income, lang, wan)
        lines.append(BurdenLine(labelled("calc.income_stat", lang), f"{shown} = {total}"))
    elif b.income is not None:
        lines.append(BurdenLine(labelled("calc.income", lang), yuan_text(b.income, lang, wan)))
    if b.income_per_capita is not None:
        lines.append(BurdenLine(labelled("calc.per_capita", lang), yuan_text(b.income_per_capita, lang, wan)))
    if b.paid_per_member is not None:
        lines.append(BurdenLine(labelled("calc.per_member", lang), yuan_text(b.paid_per_member, lang)))
    ratio = labelled("calc.ratio", lang)
    if not b.computable and b.ratio_low is not None:
        bounds = (
            tr("calc.ratio_between", lang, low=percent(b.ratio_low), high=percent(b.ratio_high))
            if b.ratio_high is not None
            else tr("calc.ratio_at_least", lang, low=percent(b.ratio_low))
        )
        why = say(b.reason, lang)
        lines.append(BurdenLine(ratio, f"{bounds}{UNKNOWN_MARK} ({why})", style="yellow", whole=True))
    elif not b.computable:
        why = say(b.reason, lang)
        shown = tr("calc.not_computable", lang)
        lines.append(BurdenLine(ratio, f"{shown} ({why})", style="yellow", whole=True))
    else:
        style = "red" if any(c.exceeded for c in b.thresholds[-1:]) else (
            "yellow" if any(c.exceeded for c in b.thresholds) else "green"
        )
        equivalents = tr("calc.equivalents", lang, months=b.months_of_income, days=b.days_of_work)
        lines.append(BurdenLine(ratio, percent(b.burden_ratio), equivalents, style=f"bold {style}"))
        checks = tr("calc.list_separator", lang).join(
            tr(
                "calc.threshold_check", lang, threshold=percent(c.threshold),
                short=short_percent(c.threshold),
                verdict=tr("calc.verdict_yes", lang) if c.exceeded else tr("calc.verdict_no", lang),
            )
            for c in b.thresholds
        )
        if checks:
            lines.append(BurdenLine("", tr("calc.threshold_line", lang, checks=checks)))
    return lines


def burden_text(result: Assessment, lang: str, *, wan: bool = False) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    b = result.burden
    out = Text()
    out.append(f"{tr('calc.burden', lang)}\n", style="bold")
    for line in burden_lines(result, lang, wan=wan):
        if line.whole:
            out.append(f"  {line.text}\n", style=line.style or "")
        else:
            out.append(f"  {line.label}")
            out.append(line.value, style=line.style or "")
            out.append(f"{line.tail}\n")
    notes = [
        Paragraph(say(note, lang), prefix="  " + labelled("calc.note", lang), style="dim")
        for note in b.notes
        if getattr(note, "key", None) not in HEADLINE_NOTES
    ]
    return Group(out, *notes) if notes else out


def sources_text(sources: Sequence[SourceRef], lang: str, low_footnote: bool = False) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(labelled("calc.sources", lang).rstrip(), style="bold")]
    for i, s in enumerate(sources, start=1):
        mark = confidence_mark(s.confidence)
        url = f" <{s.url}>" if s.url else ""
        level = confidence_word(s.confidence, lang)
        confidence = f"{labelled('calc.confidence', lang)}{level}{mark}"
        shown = f"{s.title_in(lang)}{url}{tr('punct.parenthesised', lang, text=confidence)}"
        parts.append(Paragraph(shown, prefix=f"  [{i}] ", style="dim"))
    if low_footnote or any(s.confidence == "low" for s in sources):
        parts.append(Paragraph(tr("calc.low_note", lang), prefix=f"  {LOW_MARK} ", style="yellow"))
    from .custom_rates import custom_rates_line

    if custom := custom_rates_line(lang):
        parts.append(Paragraph(custom, prefix="  ", style="bold yellow"))
    return Group(*parts)


def assessment_rows(result: Assessment) -> list[dict[str, Any]]:
    """One CSV row per member."""
    return [
        {
            "region": result.region,
            "coverage_year": result.coverage_year,
            "member": m.index,
            "spec": m.member,
            "age": m.age,
            "status": m.status,
            "category": m.category or "",
            "tier": m.tier or "",
            "gross": "" if m.gross is None else m.gross,
            "assistance": "" if m.assistance is None else m.assistance,
            "paid": "" if m.paid is None else m.paid,
            "paid_low": m.paid_low,
            "paid_high": "" if m.paid_high is None else m.paid_high,
            "unknown": m.unknown or "",
            "subsidy": "" if m.subsidy is None else m.subsidy,
            "assisted_rule": m.assisted_rule or "",
            "confidence": m.confidence or "",
        }
        for m in result.members
    ]
