"""One household: what a rural family of four in Bijie pays for 2025, and how heavy it is."""

from decimal import Decimal

from premium_calc import RateBook, assess, build_household

book = RateBook()  # the bundled rate tables (plus any PREMIUM_CALC_RATES directories)
family = build_household(["45", "42:female", "12:student", "70"], income=14000)
result = assess(book, "毕节", 2025, family)  # region by Chinese or English name, or id

print(result.region, result.coverage_year, result.total_paid, result.burden_ratio)
for member in result.members:
    print(member.index, member.category, member.gross, member.assistance, member.paid)

assert result.total_paid == Decimal("1600")  # 4 x 400
assert result.burden_ratio == Decimal("0.1143")  # 1600 / 14000
