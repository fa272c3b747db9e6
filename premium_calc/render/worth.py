"""``premium-calc worth``: what a household pays against what the insurance pays back, as rich
tables in Chinese or English, and CSV rows. Nothing here prints.

Marks: ``≥`` an amount from a national floor (the local rule pays at least this), ``≤`` what
is left to pay then, ``约``/``~`` an amount from a national target or with a value the rule needs
unknown, ``†`` low confidence, ``?`` unknown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..household.members import spec_text
from ..messages import Note, labelled, pick, tr, uses_cjk
from ..units import money, percent
from .assessment import burden_text, sources_text, summary_line
from .formats import LOW_MARK, UNKNOWN_MARK, confidence_mark, say
from .paragraph import Paragraph, wrapped

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from ..analyses.worth import Layer, StayOutcome, WorthResult
    from ..analyses.worth.stay import Basis, Bound


def about_mark(lang: str) -> str:
    """The mark of an approximate value: 约 / ~ (shared with the web page)."""
    return "约" if uses_cjk(lang) else "~"


def bound_mark(bound: Bound, lang: str, *, left: bool = False) -> str:
    """The mark of an amount's bound (``left``: the amount left to pay, bounded the other way)."""
    if bound == "at_least":
        return "≤" if left else "≥"
    return about_mark(lang) if bound == "about" else ""


def _unknown(lang: str) -> str:
    return tr("calc.unknown", lang) + UNKNOWN_MARK


def amount_cell(
    value: Decimal | None, bound: Bound, lang: str, *, left: bool = False, low: bool = False
) -> str:
    """An amount as a table cell: its bound mark (≥, ≤), the money, † when low confidence."""
    if value is None:
        return _unknown(lang)
    return bound_mark(bound, lang, left=left) + money(value) + (LOW_MARK if low else "")


def _low(basis: Basis | None) -> bool:
    return basis is not None and basis.confidence == "low"


def times_text(value: Decimal | None, lang: str) -> str:
    """How many times the premium a value is: ``2.83倍`` / ``2.83x``; ``-`` when unknown."""
    if value is None:
        return "-"
    return tr("worth.times", lang, n=value.normalize() if value == value.to_integral_value() else value)


def worth_report(result: WorthResult, lang: str = "en") -> RenderableType:
    """The whole report: the money in and the average back per member, the stays, the cost of
    dropping out, the rules used and the sources."""
    from rich.console import Group
    from rich.text import Text

    a = result.assessment
    name = pick(a.region_name, lang)
    if a.place is not None:
        name = tr("calc.place_title", lang, place=a.place.name, code=a.place.code, standard=name)
    parts: list[RenderableType] = [
        Paragraph(
            tr("worth.title", lang, region=name, year=a.coverage_year, size=len(a.members)), style="bold"
        ),
        Paragraph(summary_line(a, lang)),
        Paragraph(tr("worth.average_vs_scenario", lang), style="dim"),
        *_members_table(result, lang),
        _average_text(result, lang),
    ]
    for outcome_view in _stays_tables(result, lang):
        parts.append(wrapped(outcome_view) if isinstance(outcome_view, Text) else outcome_view)
    if result.dropouts:
        parts.append(wrapped(_dropout_text(result, lang)))
    parts.append(burden_text(a, lang))
    parts.append(wrapped(_rules_text(result, lang)))
    any_low = any(b.confidence == "low" for b in result.rules)
    parts.append(sources_text(_sources(result), lang, any_low))
    return Group(*parts)


def _members_table(result: WorthResult, lang: str) -> list[RenderableType]:
    from rich.table import Table

    table = Table(show_footer=True)
    table.add_column("#", justify="right")
    table.add_column(tr("calc.member", lang), footer=tr("calc.total", lang))
    table.add_column(tr("worth.col.paid", lang), justify="right", footer=money(result.total_paid))
    floor = "≥" if result.assessment.subsidy_is_national_minimum else ""
    table.add_column(
        tr("worth.col.subsidy", lang), justify="right", footer=floor + money(result.total_subsidy)
    )
    table.add_column(tr("worth.col.expected", lang), justify="right", footer=money(result.total_expected))
    table.add_column(tr("worth.col.per_paid", lang), justify="right")
    table.add_column(tr("worth.col.like_you", lang))
    for m in result.members:
        if m.status == "employee":
            table.add_row(str(m.index), spec_text(m.member, lang), tr("calc.employee", lang), "", "", "", "")
            continue
        paid = money(m.paid) if m.paid is not None else _unknown(lang)
        subsidy = ("≥" if m.subsidy_is_national_minimum else "") + money(m.subsidy)
        if m.utilisation is not None:
            u = m.utilisation
            like = tr("worth.per_100", lang, n=u.per_100, year=u.survey_year) + confidence_mark(u.confidence)
        else:
            like = tr("worth.not_sourced", lang)
        table.add_row(
            str(m.index),
            spec_text(m.member, lang),
            paid,
            subsidy,
            money(m.expected),
            times_text(m.expected_per_paid, lang),
            like,
        )
    return [Paragraph(tr("worth.members_title", lang), style="italic"), table]


def _average_text(result: WorthResult, lang: str) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    out: list[RenderableType] = []
    avg = result.average
    if avg is None:
        return Group(Paragraph(tr("worth.no_average", lang), style="yellow"), Text(""))
    out.append(Paragraph(tr("worth.average_line", lang, year=avg.year, value=money(avg.value))))
    from ..analyses.worth import USE_MULTIPLES

    uses = tr("calc.list_separator", lang).join(
        tr(
            "worth.use_item",
            lang,
            use=tr(f"worth.use.{u}", lang),
            multiple=m.normalize(),
            value=money(avg.value * m),
        )
        for u, m in USE_MULTIPLES.items()
    )
    out.append(Paragraph(tr("worth.uses_line", lang, uses=uses), style="dim"))
    seen: set[tuple[int, int]] = set()
    beats = False
    for m in result.members:
        u = m.utilisation
        if u is None or (u.survey_year, u.per_100) in seen:
            continue
        seen.add((u.survey_year, u.per_100))
        beats = beats or bool(u.stay_beats_premium)
        who = pick(u.population, lang)
        out.append(
            Paragraph(tr("worth.like_you_line", lang, n=u.per_100, who=who, year=u.survey_year), style="dim")
        )
    if beats and avg.stay_value is not None:
        out.append(Paragraph(tr("worth.like_you_more", lang, value=money(avg.stay_value)), style="dim"))
    if any(m.utilisation is None and m.status != "employee" for m in result.members):
        out.append(Paragraph(tr("worth.like_you_missing", lang), style="dim"))
    out += [Paragraph(say(n, lang), prefix=labelled("calc.note", lang), style="dim") for n in result.notes]
    return Group(*out, Text(""))


def layer_cell(layer: Layer | None, lang: str) -> str:
    """One layer of a stay (basic, critical illness, assistance) as a table cell, with its marks."""
    if layer is None:
        return "-"
    return amount_cell(layer.amount, layer.bound, lang, low=_low(layer.basis))


def _stays_tables(result: WorthResult, lang: str) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    out: list[RenderableType] = []
    groups: dict[tuple[Decimal, str], list[Any]] = {}
    for view in result.stays:
        groups.setdefault((view.outcome.bill, view.outcome.level), []).append(view)
    for (bill, level), views in groups.items():
        level_name = tr(f"worth.level.{level}", lang)
        title = tr("worth.stay_title", lang, bill=money(bill), level=level_name)
        out.append(Paragraph(title, style="italic"))
        table = Table()
        table.add_column(tr("worth.col.members", lang))
        for key in ("worth.col.basic", "worth.col.critical", "worth.col.assistance", "worth.col.reimbursed",
                    "worth.col.left", "worth.col.share"):  # fmt: skip
            table.add_column(tr(key, lang), justify="right")
        rows: dict[tuple[str, str, str, str, str, str], list[int]] = {}
        for view in views:
            rows.setdefault(stay_cells(view, lang), []).append(view.outcome.member)
        for cells, numbers in rows.items():
            table.add_row(members_label(numbers, result, lang), *cells)
        out.append(table)
        out.append(_stay_notes(views, lang))
    if result.stays:
        out.append(Text(tr("worth.marks", lang, about=about_mark(lang)) + "\n", style="dim"))
    return out


def stay_cells(view: Any, lang: str) -> tuple[str, str, str, str, str, str]:
    """One member's stay as table cells (basic, critical illness, assistance, reimbursed, left to
    pay, share of income), with their marks; the terminal and the web page show the same."""
    o: StayOutcome = view.outcome
    layers = {layer.layer: layer for layer in o.layers}
    share = percent(view.out_of_pocket_share) if view.out_of_pocket_share is not None else "-"
    return (
        layer_cell(layers.get("basic"), lang),
        layer_cell(layers.get("critical_illness"), lang),
        layer_cell(layers.get("assistance"), lang),
        amount_cell(o.reimbursed, o.bound, lang),
        amount_cell(o.out_of_pocket, o.bound, lang, left=True),
        bound_mark(o.bound, lang, left=True) + share if view.out_of_pocket_share is not None else share,
    )


def members_label(numbers: list[int], result: WorthResult, lang: str) -> str:
    """``1 (45岁)`` for one member, ``1-5`` / ``1, 3`` for several, ``全家`` for all."""
    if len(numbers) == 1:
        m = next(x for x in result.members if x.index == numbers[0])
        return f"{numbers[0]} {spec_text(m.member, lang)}"
    residents = [m.index for m in result.members if m.status != "employee"]
    if numbers == residents and len(residents) == len(result.members):
        return tr("worth.everyone", lang)
    return (
        tr("calc.list_separator", lang).join(str(n) for n in numbers)
        if uses_cjk(lang)
        else ", ".join(map(str, numbers))
    )


def _stay_notes(views: list[Any], lang: str) -> RenderableType:
    """Each layer's notes once (members with the same rule share them), then the stay's own."""
    from rich.text import Text

    text = Text()
    seen: set[str] = set()
    for view in views:
        o: StayOutcome = view.outcome
        for layer in o.layers:
            items: list[Note] = [*layer.notes]
            if layer.missing is not None:
                items.insert(0, layer.missing)
            for note in items:
                line = f"  {labelled(f'worth.layer.{layer.layer}', lang)}{say(note, lang)}"
                if line not in seen:
                    seen.add(line)
                    text.append(line + "\n", style="dim")
        for note in o.notes:
            line = f"  {say(note, lang)}"
            if getattr(note, "key", None) == "worth.note.all_in_scope":  # the command line's way to change it
                line += ("" if uses_cjk(lang) else " ") + tr("worth.in_scope_hint", lang)
            if line not in seen:
                seen.add(line)
                text.append(line + "\n", style="dim")
    return text


def _dropout_text(result: WorthResult, lang: str) -> Text:
    from rich.text import Text

    out = Text()
    out.append(tr("worth.dropout_title", lang) + "\n", style="bold")
    members = {m.index: m for m in result.members}
    for d in result.dropouts:
        who = spec_text(members[d.member].member, lang)
        saved = money(d.saved) if d.saved is not None else _unknown(lang)
        out.append(
            "  "
            + tr(
                "worth.dropout_saves",
                lang,
                n=d.member,
                who=who,
                saved=saved,
                subsidy=money(d.subsidy_forgone),
                expected=money(d.expected_forgone),
            )
            + "\n"
        )
        if d.waiting_months is not None:
            out.append("    " + tr("worth.dropout_wait", lang, months=d.waiting_months) + "\n")
        elif d.waiting_missing is not None:
            out.append("    " + say(d.waiting_missing, lang) + "\n", style="yellow")
        if d.late_amount is not None:
            days = tr("worth.late_days", lang, days=d.late_waiting_days) if d.late_waiting_days else ""
            out.append("    " + tr("worth.dropout_late", lang, amount=money(d.late_amount), days=days) + "\n")
        for s in d.stays:
            left = money(s.insured_out_of_pocket) if s.insured_out_of_pocket is not None else _unknown(lang)
            out.append("    " + tr("worth.dropout_stay", lang, bill=money(s.bill), left=left) + "\n")
        for note in d.notes:
            out.append(f"    {say(note, lang)}\n", style="dim")
    return out


def _rules_text(result: WorthResult, lang: str) -> Text:
    from rich.text import Text

    out = Text()
    colon = tr("punct.colon", lang)
    out.append(tr("worth.rules_title", lang) + "\n", style="bold")
    for basis in result.rules:
        section = tr(f"worth.section.{basis.section}", lang)
        kind_key = "national_rule" if basis.national and basis.kind == "rule" else basis.kind
        kind = tr(f"worth.kind.{kind_key}", lang)
        region = result.region_names.get(basis.region)
        where = tr(
            "worth.rule_from",
            lang,
            region=pick(region, lang) if region else basis.region,
            year=basis.coverage,
        )
        mark = confidence_mark(basis.confidence)
        late = f" {tr('worth.beyond_source', lang)}" if basis.beyond_source else ""
        out.append(f"  {section}{colon}{kind}{where}{mark}{late}\n", style="dim")
    for name, reason in result.missing_rules.items():
        section = tr(f"worth.section.{name}", lang)
        missing = tr("worth.rule_missing", lang) + ("" if uses_cjk(lang) else " ")
        out.append(f"  {section}{colon}{missing}{say(reason, lang)}\n", style="yellow")
    return out


def _sources(result: WorthResult) -> list[Any]:
    sources = list(result.assessment.sources)
    for basis in result.rules:
        if basis.source is not None and basis.source not in sources:
            sources.append(basis.source)
    return sources


def worth_rows(result: WorthResult) -> list[dict[str, Any]]:
    """CSV: one row per member and stay (``stay`` empty: the member's money in and expected back)."""
    rows: list[dict[str, Any]] = []
    a = result.assessment
    for m in result.members:
        rows.append(
            {
                "region": a.region, "coverage_year": a.coverage_year, "member": m.index, "spec": m.member,
                "paid": "" if m.paid is None else m.paid, "subsidy": "" if m.subsidy is None else m.subsidy,
                "expected": "" if m.expected is None else m.expected, "stay_bill": "", "stay_level": "",
                "basic": "", "critical_illness": "", "assistance": "", "reimbursed": "", "out_of_pocket": "",
                "bound": "",
            }
        )  # fmt: skip
    for view in result.stays:
        o = view.outcome
        layers = {layer.layer: layer.amount for layer in o.layers}
        m = next(x for x in result.members if x.index == o.member)
        rows.append(
            {
                "region": a.region, "coverage_year": a.coverage_year, "member": o.member, "spec": m.member,
                "paid": "", "subsidy": "", "expected": "", "stay_bill": o.bill, "stay_level": o.level,
                "basic": _cell(layers.get("basic")),
                "critical_illness": _cell(layers.get("critical_illness")),
                "assistance": _cell(layers.get("assistance")), "reimbursed": _cell(o.reimbursed),
                "out_of_pocket": _cell(o.out_of_pocket), "bound": o.bound,
            }
        )  # fmt: skip
    return rows


def _cell(value: Decimal | None) -> Any:
    return "" if value is None else value


__all__ = ["bound_mark", "worth_report", "worth_rows"]
