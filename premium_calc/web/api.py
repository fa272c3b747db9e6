"""What the web page calls inside Pyodide: JSON text in, JSON text out.

Every function takes the request as JSON text and returns JSON text; a
:class:`~premium_calc.errors.PremiumCalcError` becomes ``{"error": "<one line in the language>"}``
(shown in the page). Every rule is the library's (:func:`~premium_calc.assess`,
:func:`~premium_calc.premium_series`, :func:`~premium_calc.assess_worth`); every text is a
catalog message rendered here, so the page's JavaScript only lays out what it gets. Nothing here
imports numpy, rich or typer (tests/test_web_api.py imports it with them blocked).

A household request::

    {"place": "520500", "year": 2025, "lang": "zh", "income": "14000",
     "members": [{"age": 45}, {"age": 42, "sex": "female"}, {"age": 12, "school": "student"},
                 {"birth": "1955-03-01", "assisted": "dibao"}, {"age": 50, "employee": true}]}

``income`` empty or ``null``: "I don't know", the regional statistic is used and named.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import HouseholdError, PremiumCalcError
from ..messages import Note, labelled, pick, tr, uses_cjk
from ..ratefiles.model import ASSISTED_GROUPS
from .cells import money_or_unknown

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..household.burden import Assessment
    from ..household.members import Household
    from ..ratebook.book import RateBook

#: Texts of the page itself (labels, buttons, headings), written into the built site's
#: ``texts.json`` so the form shows before the runtime has booted.
UI_KEYS = (
    "web.title", "web.intro", "web.loading", "web.loading_done", "web.lang_switch", "web.place",
    "web.province", "web.city", "web.county", "web.county_all", "web.search", "web.search_hint",
    "web.year", "web.members", "web.member_n", "web.age", "web.birth", "web.age_or_birth", "web.sex",
    "web.sex_unknown", "web.sex_male", "web.sex_female", "web.school", "web.school_none",
    "web.school_student", "web.school_college", "web.assisted", "web.assisted_none", "web.employee",
    "web.add_member", "web.remove_member", "web.income", "web.income_unknown", "web.income_hint",
    "web.calculate", "web.result", "web.share", "web.share_copied", "web.history", "web.history_premium",
    "web.history_subsidy", "web.history_none", "web.history_table", "web.worth", "web.stay_bill",
    "web.stay_level",
    "web.worth_calculate", "web.sources", "web.notes", "web.marks", "web.privacy", "web.error",
    "web.total", "web.burden", "web.yuan", "web.level_primary", "web.level_secondary",
    "web.level_tertiary", "web.boot_failed", "web.no_place",
)  # fmt: skip

LANGS = ("zh", "en")


@cache
def _book() -> RateBook:
    from .. import RateBook

    return RateBook()


@cache
def _gazetteer() -> Gazetteer:
    from ..gazetteer import Gazetteer

    return Gazetteer.load()


def _lang(request: dict[str, Any]) -> str:
    lang = request.get("lang", "zh")
    return lang if lang in LANGS else "zh"


def _call(func: Callable[[dict[str, Any]], Any], request_json: str) -> str:
    """Run ``func`` on the parsed request; a user's problem becomes ``{"error": ...}``."""
    try:
        request = json.loads(request_json or "{}")
        if not isinstance(request, dict):
            raise HouseholdError(Note("web.error.request"))
    except ValueError:
        request = {}
    lang = _lang(request)
    try:
        out = func(request)
    except PremiumCalcError as exc:
        out = {"error": exc.text(lang)}
    return json.dumps(out, ensure_ascii=False, default=str)


def ui_texts() -> dict[str, dict[str, str]]:
    """The page's own texts in every language (for ``texts.json``), with the assisted groups'
    names and the marks' explanations."""
    from ..render.formats import LOW_MARK, UNKNOWN_MARK

    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        texts = {key.removeprefix("web."): tr(key, lang) for key in UI_KEYS}
        for group, (zh, en) in ASSISTED_GROUPS.items():
            texts[f"group.{group}"] = zh if lang == "zh" else en
        texts["marks.floor"] = f"≥ {tr('calc.subsidy_floor', lang)}"
        texts["marks.low"] = f"{LOW_MARK} {tr('calc.low_note', lang)}"
        texts["marks.unknown"] = f"{UNKNOWN_MARK} {tr('web.mark_unknown', lang)}"
        out[lang] = texts
    return out


# -- places -------------------------------------------------------------------------------------


def places(request_json: str = "{}") -> str:
    """The gazetteer as a tree: ``[{code, name, pinyin, en?, region?, children?: [...]}]``
    (provinces -> cities -> counties; places outside the insurance left out). ``region`` is the
    priced region the place resolves to (:meth:`~premium_calc.RateBook.locate`: its own rate
    file, else its nearest ancestor's), given where it differs from its parent's. Written into
    the built site as ``places.json`` (resolving every place takes about a second)."""

    def tree(_request: dict[str, Any]) -> list[dict[str, Any]]:
        g = _gazetteer()
        book = _book()

        def node(place: Any, above: str | None) -> dict[str, Any]:
            out: dict[str, Any] = {"code": place.code, "name": place.name, "pinyin": place.pinyin}
            if place.en:
                out["en"] = place.en
            region = book.locate(place.code)[0]
            if region != above:
                out["region"] = region
            kids = [node(c, region) for c in g.children(place) if c.covered]
            if kids:
                out["children"] = kids
            return out

        return [node(p, None) for p in g.level("province") if p.covered]

    return _call(tree, request_json)


def place(request_json: str) -> str:
    """One place: the priced region it resolves to, what that means (its own standard, or the
    standard of the city or province above it), its coverage years and the year in force today.
    Request: ``{"place": "520526", "lang": "zh"}``."""
    return _call(_place, request_json)


def _place(request: dict[str, Any]) -> dict[str, Any]:
    from ..ratebook.calendar import coverage_in_force

    lang = _lang(request)
    book = _book()
    query = str(request.get("place") or "cn")
    region_id, inside = book.locate(query)
    region = book.region(region_id)
    years = book.years(region_id)
    today = coverage_in_force()
    default = today if today in years else max((y for y in years if y <= today), default=max(years))
    name = pick(region.name, lang)
    if inside is not None:
        standard = tr("web.place_uses", lang, place=inside.name, standard=name)
    else:
        standard = tr("web.place_own", lang, standard=name)
    return {
        "region": region_id, "region_name": name, "standard": standard, "years": years,
        "default_year": default, "year_in_force": today,
    }


# -- one household ------------------------------------------------------------------------------


def member_spec(row: dict[str, Any], number: int) -> str:
    """A page row as the library's member spec (``42:female,dibao``); the library parses it."""
    when = str(row.get("birth") or "").strip() or str(row.get("age") if row.get("age") is not None else "")
    when = when.strip()
    if not when:
        raise HouseholdError(Note("web.error.member_age", n=number))
    flags = []
    for key, allowed in (("sex", ("male", "female")), ("school", ("student", "college"))):
        value = row.get(key)
        if value in allowed:
            flags.append(str(value))
    assisted = row.get("assisted")
    if assisted in ASSISTED_GROUPS:
        flags.append(str(assisted))
    if row.get("employee"):
        flags.append("employee")
    return when + (":" + ",".join(flags) if flags else "")


def _household(request: dict[str, Any]) -> Household:
    from .. import build_household

    rows = request.get("members") or []
    if not isinstance(rows, list) or not rows:
        raise HouseholdError(Note("web.error.no_members"))
    specs = [member_spec(r if isinstance(r, dict) else {}, i) for i, r in enumerate(rows, start=1)]
    income = request.get("income")
    income = None if income in (None, "") else str(income)
    return build_household(specs, income=income)


def _year(request: dict[str, Any]) -> int:
    year = request.get("year")
    if year in (None, ""):
        return int(_place(request)["default_year"])
    return int(str(year))


def household(request_json: str) -> str:
    """One household's premiums and burden, laid out for the page (see the module docstring)."""
    return _call(_household_view, request_json)


def _household_view(request: dict[str, Any]) -> dict[str, Any]:
    from .. import assess

    lang = _lang(request)
    hh = _household(request)
    result = assess(_book(), str(request.get("place") or "cn"), _year(request), hh)
    return assessment_view(result, lang)


def assessment_view(result: Assessment, lang: str) -> dict[str, Any]:
    """The assessment as the page shows it: a title, the summary sentence, the notes that change
    what the answer means, the member table with its marks, the burden in words, the facts,
    the notes and the sources. Marks: ``≥`` national minimum, ``†`` low confidence, ``?``
    unknown (with the reason in the notes)."""
    from ..household.members import spec_text
    from ..render.assessment import HEADLINE_NOTES, burden_lines, summary_line
    from ..render.formats import UNKNOWN_MARK, confidence_mark, confidence_word, range_text, say, yuan_text
    from ..units import money, percent

    def paid(value: Decimal | None, low: Decimal, high: Decimal | None) -> str:
        return money(value) if value is not None else range_text(low, high, lang) + UNKNOWN_MARK

    name = pick(result.region_name, lang)
    where = name if uses_cjk(lang) else f"{name} ({result.region})"
    if result.place is not None:
        where = tr("calc.place_title", lang, place=result.place.name, code=result.place.code, standard=where)
    rows = []
    marks: set[str] = set()
    for m in result.members:
        mark = confidence_mark(m.confidence)
        if m.status == "employee":
            category = tr("calc.employee", lang)
        else:
            # The assisted rule's id (the CLI's "[tekun_free]") is for rate-file editors: left out.
            category = pick(m.category_name, lang) if m.category_name is not None else m.category or ""
        if m.unknown == "assistance":
            category += f" ({tr('calc.assistance_unknown', lang)})"
            marks.add("unknown")
        floor = "≥" if m.gross_is_national_minimum else ""
        rows.append({
            "index": m.index,
            "member": spec_text(m.member, lang),
            "category": category,
            "gross": floor + money_or_unknown(m.gross, lang) + mark,
            "assistance": money_or_unknown(m.assistance, lang),
            "paid": (floor if m.assistance == 0 else "") + paid(m.paid, m.paid_low, m.paid_high) + mark,
            "subsidy": ("≥" if m.subsidy_is_national_minimum else "") + money(m.subsidy),
        })
        marks.update({"low"} if mark else set())
        marks.update({"floor"} if floor or m.subsidy_is_national_minimum else set())
        marks.update({"unknown"} if m.paid is None else set())
    totals = {
        "gross": ("≥" if result.national_fallback else "") + money_or_unknown(result.total_gross, lang),
        "assistance": money_or_unknown(result.total_assistance, lang),
        "paid": paid(result.total_paid, result.total_paid_low, result.total_paid_high),
        "subsidy": ("≥" if result.subsidy_is_national_minimum else "") + money(result.total_subsidy),
    }
    b = result.burden
    burden = [line.text for line in burden_lines(result, lang)]
    level = "none"
    if b.computable and b.thresholds:
        level = "high" if b.thresholds[-1].exceeded else ("medium" if b.thresholds[0].exceeded else "low")
    all_notes = [*result.notes, *b.notes]
    headline = [say(n, lang) for n in all_notes if getattr(n, "key", None) in HEADLINE_NOTES]
    notes = [say(n, lang) for n in all_notes if getattr(n, "key", None) not in HEADLINE_NOTES]
    facts = []
    if result.national_minimum is not None:
        facts.append(f"{labelled('calc.national_min', lang)}{yuan_text(result.national_minimum, lang)}")
    if result.collection_start or result.collection_end:
        start = result.collection_start.isoformat() if result.collection_start else "?"
        end = result.collection_end.isoformat() if result.collection_end else "?"
        facts.append(f"{labelled('calc.window', lang)}{start} .. {end}")
    sources = [
        {
            "title": s.title_in(lang), "url": s.url,
            "confidence": f"{labelled('calc.confidence', lang)}{confidence_word(s.confidence, lang)}"
            + confidence_mark(s.confidence),
        }
        for s in result.sources
    ]
    if any(s.confidence == "low" for s in result.sources):
        marks.add("low")
    return {
        "title": f"{where} {tr('calc.coverage_year', lang)} {result.coverage_year}",
        "region": result.region,
        "coverage_year": result.coverage_year,
        "summary": summary_line(result, lang),
        "headline": headline,
        "columns": {
            k: tr(f"calc.{k}", lang)
            for k in ("member", "category", "gross", "assistance", "paid", "subsidy", "total")
        },
        "members": rows,
        "totals": totals,
        "total_paid": None if result.total_paid is None else str(result.total_paid),
        "burden_ratio": None if b.burden_ratio is None else str(b.burden_ratio),
        "burden_percent": None if b.burden_ratio is None else percent(b.burden_ratio),
        "burden_level": level,
        "burden_words": tr(f"web.burden.{level}", lang),
        "burden": burden,
        "facts": facts,
        "notes": notes,
        "sources": sources,
        "marks": sorted(marks),
    }


# -- the place's premium history ----------------------------------------------------------------


def history(request_json: str) -> str:
    """What one adult resident paid and what the government added in each coverage year of the
    place's standard: ``{"title", "rows": [{year, premium, subsidy, subsidy_at_least, low}]}``.
    Request: ``{"place": "520526", "lang": "zh"}``."""
    return _call(_history, request_json)


def _history(request: dict[str, Any]) -> dict[str, Any]:
    from .. import premium_series
    from ..render.formats import say
    from ..units import money

    lang = _lang(request)
    book = _book()
    region_id, _inside = book.locate(str(request.get("place") or "cn"))
    series = premium_series(book, region_id)
    rows = [
        {
            "year": r.coverage_year,
            "premium": None if r.premium is None else float(r.premium),
            "premium_text": money_or_unknown(r.premium, lang),
            "subsidy": None if r.subsidy is None else float(r.subsidy),
            "subsidy_text": ("≥" if r.subsidy_at_least else "")
            + (money(r.subsidy) if r.subsidy is not None else "-"),
            "subsidy_at_least": r.subsidy_at_least,
            "low": r.premium_low_confidence,
            "missing": say(r.premium_missing, lang) if r.premium_missing is not None else None,
        }
        for r in series.rows
    ]
    name = pick(book.region(region_id).name, lang)
    return {"title": tr("web.history_title", lang, region=name), "region": region_id, "rows": rows}


# -- is it worth it -----------------------------------------------------------------------------


def worth(request_json: str) -> str:
    """The "worth it" view (:func:`~premium_calc.assess_worth`) with a hospital-stay scenario:
    the household request plus ``"stay": {"bill": "30000", "level": "secondary"}`` (see
    :mod:`.worth_view`)."""
    from .worth_view import worth_view

    def view(request: dict[str, Any]) -> dict[str, Any]:
        return worth_view(request, _household(request), _year(request), _book())

    return _call(view, request_json)
