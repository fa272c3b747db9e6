"""Small text forms the web page's views share."""

from __future__ import annotations

from decimal import Decimal

from ..messages import tr


def money_or_unknown(value: Decimal | None, lang: str) -> str:
    """An amount as the tables write it, or "unknown" with the unknown mark (never 0)."""
    from ..render.formats import UNKNOWN_MARK
    from ..units import money

    return money(value) if value is not None else tr("calc.unknown", lang) + UNKNOWN_MARK
