"""A custom rate directory: a county file that inherits from the bundled Sichuan rates."""

import tempfile
from decimal import Decimal
from pathlib import Path

from premium_calc import RateBook, assess, build_household

COUNTY = """\
[region]
name = { zh = "示例县", en = "Example County" }
parent = "cn/sichuan"
level = "county"

[[year]]
coverage = 2025
policy = 2024
source = { title = "示例县医保局 2025年度缴费通知 (example)", confidence = "medium" }

  [[year.category]]
  id = "resident"
  individual = 420
"""

with tempfile.TemporaryDirectory() as folder:
    Path(folder, "example_county.toml").write_text(COUNTY, encoding="utf-8")
    book = RateBook(extra_dirs=[folder])  # overlays the bundled tree
    schedule = book.schedule("Example County", 2025)
    print(schedule.chain)  # ('cn', 'cn/sichuan', 'example_county')
    result = assess(book, "example_county", 2025, build_household(["40"], income=30000))
    assert result.total_paid == Decimal("420")
    assert result.members[0].subsidy == Decimal("670")  # inherited: Sichuan 2025
