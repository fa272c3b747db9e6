"""The "worth it" part of the web page (:func:`~premium_calc.assess_worth` laid out as JSON):
what each member pays and the fund spends on average, and a hospital stay layer by layer. The
cells are written by the ``worth`` command's renderer (:mod:`premium_calc.render.worth`), so
the page and the terminal show the same marks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import assess_worth, parse_stay
from ..household.members import spec_text
from ..messages import labelled, tr
from ..render.formats import confidence_mark, say
from ..render.worth import about_mark, members_label, stay_cells, times_text
from ..units import money
from .cells import money_or_unknown

if TYPE_CHECKING:
    from ..household.members import Household
    from ..ratebook.book import RateBook

WORTH_COLUMNS = (
    "paid", "subsidy", "expected", "per_paid", "like_you", "members", "basic", "critical", "assistance",
    "reimbursed", "left", "share",
)


def worth_view(request: dict[str, Any], hh: Household, year: int, book: RateBook) -> dict[str, Any]:
    """The page's "worth it" view of ``hh`` in the request's place and ``year``: the money in and
    the average back per member, and the stay scenario layer by layer (members with the same
    outcome share a row), with the notes and the marks' explanation."""
    lang = "en" if request.get("lang") == "en" else "zh"
    stay = request.get("stay") or {}
    stays = None
    if stay.get("bill") not in (None, ""):
        stays = [parse_stay(f"{stay['bill']}:{stay.get('level') or 'secondary'}")]
    result = assess_worth(book, str(request.get("place") or "cn"), year, hh, stays=stays)
    members = []
    for m in result.members:
        if m.status == "employee":
            members.append({"index": m.index, "member": spec_text(m.member, lang), "employee": True})
            continue
        like = (
            tr("worth.per_100", lang, n=m.utilisation.per_100, year=m.utilisation.survey_year)
            + confidence_mark(m.utilisation.confidence)
            if m.utilisation is not None
            else tr("worth.not_sourced", lang)
        )
        members.append({
            "index": m.index, "member": spec_text(m.member, lang),
            "paid": money_or_unknown(m.paid, lang),
            "subsidy": ("≥" if m.subsidy_is_national_minimum else "") + money(m.subsidy),
            "expected": money_or_unknown(m.expected, lang), "times": times_text(m.expected_per_paid, lang),
            "like": like,
        })
    average = (
        tr("worth.average_line", lang, year=result.average.year, value=money(result.average.value))
        if result.average is not None
        else tr("worth.no_average", lang)
    )
    stay_rows = []
    stay_notes: list[str] = []
    grouped: dict[tuple[str, str, str, str, str, str], list[int]] = {}
    for view in result.stays:
        o = view.outcome
        grouped.setdefault(stay_cells(view, lang), []).append(o.member)  # the same outcome: one row
        for layer in o.layers:
            for note in [*([layer.missing] if layer.missing is not None else []), *layer.notes]:
                line = f"{labelled(f'worth.layer.{layer.layer}', lang)}{say(note, lang)}"
                if line not in stay_notes:
                    stay_notes.append(line)
        for note in o.notes:
            if say(note, lang) not in stay_notes:
                stay_notes.append(say(note, lang))
    for cells, numbers in grouped.items():
        keys = ("basic", "critical", "assistance", "reimbursed", "left", "share")
        label = members_label(numbers, result, lang)
        stay_rows.append({"member": label, **dict(zip(keys, cells, strict=True))})
    stay_title = ""
    if result.stays:
        first = result.stays[0].outcome
        level_name = tr(f"worth.level.{first.level}", lang)
        stay_title = tr("worth.stay_title", lang, bill=money(first.bill), level=level_name)
    return {
        "title": tr("worth.members_title", lang),
        "intro": tr("worth.average_vs_scenario", lang),
        "columns": {
            k: tr(f"worth.col.{k}", lang)
            for k in WORTH_COLUMNS
        },
        "members": members,
        "totals": {
            "paid": money_or_unknown(result.total_paid, lang),
            "subsidy": ("≥" if result.assessment.subsidy_is_national_minimum else "")
            + money_or_unknown(result.total_subsidy, lang),
            "expected": money_or_unknown(result.total_expected, lang),
        },
        "average": average,
        "notes": [say(n, lang) for n in result.notes],
        "stay_title": stay_title,
        "stays": stay_rows,
        "stay_notes": stay_notes,
        "marks": tr("worth.marks", lang, about=about_mark(lang)) if result.stays else "",
    }
