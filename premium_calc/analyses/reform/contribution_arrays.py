"""The contribution schedules of :mod:`.contribution` on many households at once: int64 fen
numpy arrays, the same rules and the same rounding (half-up to the fen, once, where an amount
is produced), equal to the exact household path to the fen (a hypothesis test holds them so).

numpy is imported inside the function: the household path never imports this module's
dependencies (it runs in the browser, where numpy is not available).

Products that could leave int64 (a very large income times a rate with six decimals, an
interpolated bracket) are computed on Python integers (numpy object arrays): exact, slower.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .contribution import Brackets, FlatReductions, IncomeShare

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: What :func:`member_amounts_fen` gives a member not subject to the schedule (the rate files'
#: own amount stands) and one whose amount cannot be known (no income and nothing stands in).
NOT_SUBJECT = -1
UNKNOWN = -2

#: Rates have at most six decimals: rate = numerator / RATE_DENOMINATOR.
RATE_DENOMINATOR = 1_000_000

_SAFE = 2**62


def member_amounts_fen(
    contribution: IncomeShare | Brackets | FlatReductions,
    *,
    household: NDArray[np.int64],
    applies: NDArray[np.bool_],
    exempt: NDArray[np.bool_],
    adult: NDArray[np.bool_],
    standard_fen: NDArray[np.int64],
    household_income_fen: NDArray[np.int64],
    household_size: NDArray[np.int64],
    stand_in_income_fen: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Each member's gross contribution in fen under ``contribution``.

    Per member (length m): ``household`` the household's index (0..H-1; a household's members
    contiguous, in the household's order), ``applies`` (subject to the schedule), ``exempt``,
    ``adult`` (18+ in the coverage year), ``standard_fen`` (the flat amount the rate files
    charge, -1 unknown). Per household (length H): ``household_income_fen`` (-1 unknown),
    ``household_size`` (every member), ``stand_in_income_fen`` (the household income standing
    in for an unknown one: the regional per-capita statistic x size; -1 or ``None``: none).

    Returns per member: the amount (>= 0; exempt members and members beyond
    ``max_paying_members`` get 0), :data:`NOT_SUBJECT` or :data:`UNKNOWN`. Which households
    rest on the stand-in is ``(household_income_fen < 0) & (stand_in_income_fen >= 0)``.
    """
    import numpy as np

    hh = np.asarray(household, dtype=np.int64)
    applies = np.asarray(applies, dtype=bool)
    exempt = np.asarray(exempt, dtype=bool)
    adult = np.asarray(adult, dtype=bool)
    standard = np.asarray(standard_fen, dtype=np.int64)
    income = np.asarray(household_income_fen, dtype=np.int64)
    size = np.asarray(household_size, dtype=np.int64)
    n_households = income.shape[0]
    stand_in = (
        np.full(n_households, -1, dtype=np.int64)
        if stand_in_income_fen is None
        else np.asarray(stand_in_income_fen, dtype=np.int64)
    )
    out = np.full(hh.shape[0], NOT_SUBJECT, dtype=np.int64)
    if hh.shape[0] == 0:
        return out
    paying = applies & ~exempt
    rank = _paying_rank(np, hh, paying, adult, n_households)
    cap = contribution.max_paying_members
    pays = paying & (rank < cap) if cap is not None else paying
    out[applies] = 0  # exempt, or beyond the cap: 0 (the payers are set below)

    use_stand_in = (income < 0) & (stand_in >= 0) & (contribution.unknown_income == "statistic")
    effective = np.where(use_stand_in, stand_in, income)
    known = effective >= 0
    member_known = known[hh]
    if contribution.unknown_income == "standard":
        by_standard = pays & ~member_known
        out[by_standard] = np.where(standard[by_standard] >= 0, standard[by_standard], UNKNOWN)
    else:
        out[pays & ~member_known] = UNKNOWN
    todo = pays & member_known
    if not todo.any():
        return out
    m_income = effective[hh][todo]
    m_size = size[hh][todo]
    if isinstance(contribution, IncomeShare) and contribution.per == "household":
        whole = _share(np, contribution, effective, size)
        whole = _clamp(np, whole, contribution.floor, contribution.cap)
        payers = np.bincount(hh[pays], minlength=n_households)
        each, rest = np.divmod(whole, np.maximum(payers, 1))
        pay_rank = _paying_rank(np, hh, pays, adult, n_households)
        amounts = each[hh] + (pay_rank < rest[hh]).astype(np.int64)
        out[todo] = amounts[todo]
        return out
    if isinstance(contribution, IncomeShare):
        value = _share(np, contribution, m_income, m_size)
        out[todo] = _clamp(np, value, contribution.floor, contribution.cap)
    elif isinstance(contribution, Brackets):
        out[todo] = _brackets(np, contribution, m_income, m_size)
    else:
        out[todo] = _reductions(np, contribution, m_income, m_size, standard[todo])
    return out


def _paying_rank(
    np: Any, hh: NDArray[np.int64], paying: NDArray[np.bool_], adult: NDArray[np.bool_], n: int
) -> NDArray[np.int64]:
    """Each paying member's place in its household's paying order (adults first, then
    children, each in the household's order; only the payers' places are read)."""
    pay_adult = (paying & adult).astype(np.int64)
    pay_child = (paying & ~adult).astype(np.int64)
    adults_in = np.bincount(hh, weights=pay_adult, minlength=n).astype(np.int64)
    before_adult = _within(np, hh, pay_adult, n)
    before_child = _within(np, hh, pay_child, n)
    result: NDArray[np.int64] = np.where(adult, before_adult, adults_in[hh] + before_child)
    return result


def _within(np: Any, hh: NDArray[np.int64], flags: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """How many flagged members come before each member in its household (``hh`` sorted)."""
    running = np.cumsum(flags) - flags
    first = np.searchsorted(hh, hh, side="left")  # each member's household's first member
    result: NDArray[np.int64] = running - running[first]
    return result


def _half_up(np: Any, num: Any, den: Any) -> NDArray[np.int64]:
    """``num / den`` rounded half-up (both >= 0, den > 0)."""
    result: NDArray[np.int64] = np.asarray((2 * num + den) // (2 * den), dtype=np.int64)
    return result


def _exact(np: Any, arrays: list[Any], bound: int) -> list[Any]:
    """The arrays as int64 when every product stays below 2**62, else as Python ints."""
    if bound < _SAFE:
        return [np.asarray(a, dtype=np.int64) for a in arrays]
    return [np.asarray(a, dtype=np.int64).astype(object) for a in arrays]


def _rate(value: Any) -> int:
    return int(value * RATE_DENOMINATOR)


def _share(np: Any, c: IncomeShare, income: Any, size: Any) -> NDArray[np.int64]:
    """rate x (per-capita or household) income, half-up to the fen (income < 0 gives 0)."""
    income = np.maximum(np.asarray(income, dtype=np.int64), 0)
    rate = _rate(c.rate)
    top = int(income.max()) if income.size else 0
    income, size = _exact(np, [income, size], 2 * top * max(rate, 1) + RATE_DENOMINATOR * 64)
    den = size * RATE_DENOMINATOR if c.income == "per_capita" else np.full_like(size, RATE_DENOMINATOR)
    result: NDArray[np.int64] = _half_up(np, income * rate, den)
    return result


def _clamp(np: Any, value: Any, floor: Any, cap: Any) -> NDArray[np.int64]:
    out = np.asarray(value, dtype=np.int64)
    if floor is not None:
        out = np.maximum(out, int(floor * 100))
    if cap is not None:
        out = np.minimum(out, int(cap * 100))
    result: NDArray[np.int64] = out
    return result


def _brackets(np: Any, c: Brackets, income: Any, size: Any) -> NDArray[np.int64]:
    """Per member: the bracket of the per-capita income (income / size, compared exactly as
    income < below x size); the last bracket holds every income above the last edge."""
    out = np.zeros(income.shape[0], dtype=np.int64)
    done = np.zeros(income.shape[0], dtype=bool)
    lower = 0
    for b in c.brackets:
        upper = int(b.below * 100) if b.below is not None else None
        inside = ~done if upper is None else ~done & (income < upper * size)
        if inside.any():
            out[inside] = _bracket_fen(np, b, income[inside], size[inside], lower, upper)
        done |= inside
        lower = upper if upper is not None else lower
    result: NDArray[np.int64] = out
    return result


def _bracket_fen(np: Any, b: Any, income: Any, size: Any, lower: int, upper: int | None) -> Any:
    if b.amount is not None:
        return np.full(income.shape[0], int(b.amount * 100), dtype=np.int64)
    r0 = _rate(b.rate)
    if b.rate_to is None or upper is None:
        top = int(income.max())
        income, size = _exact(np, [income, size], 2 * top * max(r0, 1) + 64 * RATE_DENOMINATOR)
        return _half_up(np, income * r0, size * RATE_DENOMINATOR)
    # amount = I/S x (r0 + (r1 - r0) (I/S - L) / (U - L)) / D
    #        = I (r0 (U - L) S + (r1 - r0)(I - L S)) / (S^2 D (U - L))
    r1 = _rate(b.rate_to)
    width = upper - lower
    income, size = _exact(np, [income, size], _SAFE)  # always Python ints: the terms are large
    num = income * (r0 * width * size + (r1 - r0) * (income - lower * size))
    den = size * size * RATE_DENOMINATOR * width
    return _half_up(np, num, den)


def _reductions(np: Any, c: FlatReductions, income: Any, size: Any, standard: Any) -> NDArray[np.int64]:
    base = (
        np.full(income.shape[0], int(c.amount * 100), dtype=np.int64)
        if c.amount is not None
        else np.asarray(standard, dtype=np.int64)
    )
    keep = np.full(income.shape[0], RATE_DENOMINATOR, dtype=np.int64)  # share kept, of 10^6
    done = np.zeros(income.shape[0], dtype=bool)
    for r in c.reductions:
        edge = int(r.below * 100)
        under = ~done & (income < edge * size if c.income == "per_capita" else income < edge)
        keep[under] = RATE_DENOMINATOR - _rate(r.share)
        done |= under
    top = int(base.max()) if base.size else 0
    base, keep = _exact(np, [base, keep], 2 * top * RATE_DENOMINATOR + RATE_DENOMINATOR)
    out = _half_up(np, base * keep, np.full(income.shape[0], RATE_DENOMINATOR))
    result: NDArray[np.int64] = np.where(np.asarray(base, dtype=np.int64) < 0, UNKNOWN, out)
    return result


__all__ = ["NOT_SUBJECT", "RATE_DENOMINATOR", "UNKNOWN", "member_amounts_fen"]
