"""Is it worth it (值不值)? The value side of the resident insurance for a household: average
payback, hospital-stay scenarios layer by layer, and the cost of dropping out."""

from .report import StayView, WorthResult, assess_worth, benefit_chain
from .stay import Basis, Layer, Stay, StayOutcome, parse_stay, price_stay
from .value import USE_MULTIPLES, Average, Dropout, MemberWorth, UseScenario, Utilisation

__all__ = [
    "USE_MULTIPLES", "Average", "Basis", "Dropout", "Layer", "MemberWorth", "Stay", "StayOutcome", "StayView",
    "UseScenario", "Utilisation", "WorthResult", "assess_worth", "benefit_chain", "parse_stay", "price_stay",
]  # fmt: skip
