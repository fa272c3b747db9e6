"""Many households: price a list of survey records with one rate book (loaded once)."""

from decimal import Decimal

from premium_calc import Household, Member, RateBook, assess

book = RateBook()
records = [
    ("cn/hunan", 2026, [Member(age=60, assisted=("dibao",)), Member(age=35)], Decimal(20000)),
    ("cn/sichuan/guangyuan", 2024, [Member(age=50, assisted=("tekun",)), Member(age=48)], None),
    ("cn/beijing", 2025, [Member(age=62, sex="male"), Member(age=10, student=True)], Decimal(90000)),
]
for region, year, members, income in records:
    result = assess(book, region, year, Household(members=tuple(members), income=income))
    basis = result.burden.income_basis  # "household", or "statistic" when no income is given
    print(f"{region} {year}: pays {result.total_paid}, burden {result.burden_ratio} ({basis})")

# Hunan 2026: 200 (低保) + 400 = 600; Guangyuan 2024: 0 (特困) + 380; Beijing 2025: 430 + 405.
