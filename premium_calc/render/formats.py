"""Marks and small text forms shared by every renderer: the low-confidence mark, year ranges,
signed percentages, bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..messages import Bilingual, Note, tr, tr_or, uses_cjk
from ..units import money

if TYPE_CHECKING:
    pass


LOW_MARK = "†"


def year_ranges(years: Sequence[int]) -> str:
    """``[2004, 2005, 2006, 2027]`` -> ``2004-2006, 2027`` (``-`` for none)."""
    if not years:
        return "-"
    out: list[str] = []
    start = prev = years[0]
    for y in [*years[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(out)


def confidence_mark(confidence: str | None) -> str:
    return LOW_MARK if confidence == "low" else ""


BREAK_MARK = "‖"


BAR_WIDTH = 36


_EIGHTHS = " ▏▎▍▌▋▊▉"


def signed_pct(value: Decimal | None) -> str:
    """0.0870 -> ``+8.70%``."""
    if value is None:
        return "-"
    return f"{value * 100:+.2f}%"


def index_text(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def multiple_text(value: Decimal | None, lang: str = "en") -> str:
    """A multiple: ``x4.4444`` in English, ``4.44倍`` in Chinese (two decimals, half-up)."""
    if value is None:
        return "-"
    short = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}"
    return tr("history.multiple", lang, value=f"{value.normalize():f}", short=short)


def bar(value: Decimal | float, maximum: Decimal | float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar in eighth-block resolution (value 0..maximum over ``width`` cells)."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(float(value) / float(maximum) * width * 8)
    full, part = divmod(min(eighths, width * 8), 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def region_name(name: Bilingual, lang: str) -> str:
    """A region's name as a heading shows it: ``毕节市`` in Chinese, ``Bijie (毕节市)`` in English."""
    return name.zh if uses_cjk(lang) else f"{name.en} ({name.zh})"


def say(text: str | None, lang: str) -> str:
    """A library note (a :class:`~premium_calc.messages.Note`) in ``lang``; other text as it is."""
    if text is None:
        return ""
    return text.text(lang) if isinstance(text, Note) else str(text)


def confidence_word(confidence: str | None, lang: str) -> str:
    """``high`` / ``medium`` / ``low`` in ``lang`` (高 / 中 / 低); other levels as they are."""
    if confidence is None:
        return "-"
    return tr_or(f"confidence.{confidence}", lang, confidence)


def component_name(component: str, lang: str) -> str:
    """A part collected with the premium (``ltc``: long-term care insurance) in ``lang``."""
    return tr_or(f"component.{component}", lang, component)


def level_name(level: str, lang: str) -> str:
    """``country`` / ``province`` / ``city`` / ``county`` in ``lang`` (全国 / 省级 / 市级 / 县级)."""
    return tr_or(f"level.{level}", lang, level)


def amount_text(value: Decimal | None, lang: str, wan: bool = False) -> str:
    """An amount; with ``wan`` in Chinese, 10,000 yuan or more in 万 to two decimals, half-up
    (``14000`` -> ``1.4万``, ``46238`` -> ``4.62万``); otherwise as :func:`~premium_calc.units.money`."""
    if value is None or not wan or not uses_cjk(lang) or abs(value) < 10000:
        return money(value)
    shown = (value / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return tr("calc.wan", lang, value=f"{shown:f}")


def yuan_text(value: Decimal | None, lang: str, wan: bool = False) -> str:
    """An amount with its unit where the language writes one (``400元``; English: ``400``)."""
    if value is None:
        return money(value)
    return tr("calc.yuan", lang, amount=amount_text(value, lang, wan))


#: The mark of a value that is not known (an assistance amount or a category amount the data
#: lacks): shown with the bounds that are known, and a note saying why.
UNKNOWN_MARK = "?"


def range_text(low: Decimal, high: Decimal | None, lang: str) -> str:
    """Bounds of an amount that is not known exactly: ``0–400`` or ``≥400`` (no upper bound)."""
    if high is None:
        return f"≥{money(low)}"
    if high == low:
        return money(low)
    return f"{money(low)}–{money(high)}"
