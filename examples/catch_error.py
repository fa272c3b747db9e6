"""Catching errors: every user-facing problem is a PremiumCalcError with structured fields."""

from premium_calc import (
    MissingFactError,
    PremiumCalcError,
    RateBook,
    YearNotCoveredError,
    assess,
    build_household,
)

book = RateBook()
try:
    assess(book, "cn/beijing", 2019, build_household(["40"]))
except YearNotCoveredError as error:
    print(error.region, error.year, error.available)  # cn/beijing 2019 (2024, 2025, 2026)

try:
    # A 55-year-old in Beijing is "elderly" if a woman (50+), not if a man (60+).
    assess(book, "cn/beijing", 2025, build_household(["55"]))
except MissingFactError as error:
    print(error.member, error.fact)  # 1 sex

try:
    assess(book, "Atlantis", 2025, build_household(["40"]))
except PremiumCalcError as error:  # the base class catches them all
    print(f"error: {error}")
