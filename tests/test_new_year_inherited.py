"""``rates new-year`` keeps what a region inherited: over every region and each of its years
whose next year is not in the data, the new year (no bumps) prices as the old one, except for
keys set by a level above that has published the new year (they follow it, and it is said)."""

from __future__ import annotations

import pytest

from premium_calc import RateBook
from premium_calc.upkeep.inherited import lost_keys, resolve_with, signature
from premium_calc.upkeep.new_year import new_year

BOOK = RateBook(use_env=False)
CASES = [
    (rid, y)
    for rid in BOOK.region_ids()
    for y in BOOK.region(rid).years()
    if y + 1 not in BOOK.region(rid).years()
]


def test_there_are_many_cases() -> None:
    assert len(CASES) > 50  # every region's latest year at least, and the years before gaps


@pytest.mark.parametrize(("region", "year"), CASES)
def test_new_year_without_bumps_keeps_every_inherited_value(region: str, year: int) -> None:
    result = new_year(BOOK, region, year, year + 1, dry_run=True)
    after = resolve_with(BOOK, region, result.path, result.new_text, year + 1)
    before = BOOK.schedule(region, year)
    lost = lost_keys(before, after, 1)
    published = {r.id for r in BOOK.chain(region) if r.year(year + 1) is not None} - {region}
    for key in lost:
        # Only what a level above has published for the new year may change, and it is said.
        origins = (
            {c.amount_origin.region for c in before.categories}
            if key == "category"
            else {a.origin.region for a in before.assisted}
            if key == "assisted"
            else {before.origins[key].region}
        )
        assert origins & published, (key, origins, published)
        assert any(key in note and "follows" in note for note in result.notes), result.notes


def test_chengdu_keeps_sichuans_assisted_rules() -> None:
    """Sichuan has no 2027 entry: Chengdu 2027 must not lose 特困/低保 rules inherited from it."""
    result = new_year(BOOK, "成都", 2026, 2027, dry_run=True)
    after = resolve_with(BOOK, "cn/sichuan/chengdu", result.path, result.new_text, 2027)
    assert signature(after)["assisted"] == signature(BOOK.schedule("cn/sichuan/chengdu", 2026), 1)["assisted"]
    assert any("assisted" in n and "cn/sichuan" in n for n in result.notes)
    assert '[[year.assisted]]\n  id = "dibao_monitored"' in result.new_text
