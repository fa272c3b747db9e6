"""One syntax for changing a value, in ``rates set``, ``rates new-year --bump`` and reform
files (``[[change]]``, ``--set``) alike.

========  ==========================================  =====================================
written   means                                       for
========  ==========================================  =====================================
``730``   the new value is 730                         every kind of value
``+30``   30 more than the value in force             amounts, days
``-30``   30 less                                     amounts, days
``+5%``   5 % more (half-up to the fen)               amounts
``-5%``   5 % less                                    amounts
``50%``   the share 0.5                               shares (``assisted.ID.pays_share``)
========  ==========================================  =====================================

Ambiguous forms are refused rather than guessed: ``5%`` for an amount (the amount 5 % of
what?), ``+10%`` for a share (ten points, or a tenth more?), a sign on a date or a yes/no.
"The value in force" is the region's effective value for the year, its own or inherited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..errors import EditError
from ..messages import Note
from ..ratefiles.model import MAX_AMOUNT
from ..units import FEN

_FORM = re.compile(r"^([+-]?)([0-9]+(?:\.[0-9]+)?)(%?)$")

#: Kinds of value a relative change applies to.
RELATIVE_KINDS = ("money", "int")


@dataclass(frozen=True)
class Change:
    """A parsed change: ``mode`` is ``"set"`` (``value`` is the new value, as written),
    ``"add"`` (``amount`` is signed) or ``"percent"`` (``amount`` is signed percent)."""

    text: str
    mode: str
    amount: Decimal | None = None

    @property
    def relative(self) -> bool:
        return self.mode != "set"

    def apply(self, old: Decimal | None, key: str) -> Decimal:
        """The new amount from the one in force (``old``; ``None`` if there is none)."""
        assert self.amount is not None
        if old is None:
            raise EditError(Note("edit.change_no_value", key=key, change=self.text))
        if self.mode == "percent":
            new = old + (old * self.amount / 100).quantize(FEN, rounding=ROUND_HALF_UP)
        else:
            new = old + self.amount
        if new < 0:
            raise EditError(Note("edit.bump_negative", what=key, bump=self.text, old=old, new=new))
        if new > MAX_AMOUNT:
            raise EditError(Note("edit.bump_too_large", what=key, bump=self.text, limit=MAX_AMOUNT))
        return new


def parse_change(text: str, kind: str, key: str) -> Change:
    """A change written in the one syntax (see the module), checked against the value's kind.

    ``kind`` is that of :class:`~premium_calc.ratefiles.change_keys.KeySpec` (``money``, ``rate``,
    ``date``, ``int``, ``bool``, ``text``). Texts and dates are always new values.
    """
    raw = text.strip().replace(" ", "")
    if kind == "text":
        return Change(text, "set")
    m = _FORM.match(raw)
    if m is None:
        if raw.startswith(("+", "-")) and kind not in RELATIVE_KINDS:
            raise EditError(Note("edit.change_not_relative", key=key, change=text))
        return Change(text, "set")  # a date, a yes/no, or a typo the kind's check will name
    sign, number, percent = m.groups()
    if not sign:
        if percent and kind == "money":
            raise EditError(Note("edit.change_ambiguous_percent", key=key, change=text, number=number))
        return Change(text, "set")
    if kind not in RELATIVE_KINDS:
        if kind == "rate":
            raise EditError(Note("edit.change_ambiguous_share", key=key, change=text))
        raise EditError(Note("edit.change_not_relative", key=key, change=text))
    if percent and kind != "money":
        raise EditError(Note("edit.change_not_relative", key=key, change=text))
    amount = Decimal(number)
    if amount > (1000 if percent else MAX_AMOUNT):  # no premium rises by more than that
        raise EditError(Note("edit.bump_too_large", what=key, bump=text, limit=f"1000%/{MAX_AMOUNT}"))
    if amount != amount.quantize(FEN) and not percent:
        raise EditError(Note("edit.not_an_amount", key=key, value=repr(text)))
    return Change(raw, "percent" if percent else "add", -amount if sign == "-" else amount)


__all__ = ["RELATIVE_KINDS", "Change", "parse_change"]
