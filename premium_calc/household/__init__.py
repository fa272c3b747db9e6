"""3. Household calculation: members and their facts, parsing what people type, pricing one
household under a resolved schedule (``rules``, ``premium``), its burden against income
(``burden``), and many households at once in integer fen (``batch``, ``survey``).

Importing from ``premium_calc.household`` keeps working for the names below (``batch`` and
``survey`` need numpy and are imported on their own).
"""

from .members import MEMBER_FLAGS, Household, HouseholdFile, Member
from .parsing import build_household, load_household_file, parse_member

__all__ = [
    "MEMBER_FLAGS",
    "Household",
    "HouseholdFile",
    "Member",
    "build_household",
    "load_household_file",
    "parse_member",
]
