from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest

from premium_calc.household.burden import Assessment, assess
from premium_calc.household.parsing import build_household
from premium_calc.ratebook.book import RateBook


def pytest_configure(config: pytest.Config) -> None:
    """Tests expect English unless they ask for Chinese: a developer's Chinese locale or
    PREMIUM_CALC_LANG must not change the language the CLI picks (chosen when it is imported,
    which happens after this, during collection)."""
    for name in ("PREMIUM_CALC_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True, scope="session")
def _rate_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The rate cache in a temporary directory, never the developer's (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREMIUM_CALC_CACHE_DIR", str(tmp_path_factory.mktemp("rate-cache")))
        patch.delenv("PREMIUM_CALC_NO_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True)
def _no_user_rate_dirs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests see the bundled rates only, whatever the developer's environment says."""
    monkeypatch.delenv("PREMIUM_CALC_RATES", raising=False)
    yield


@pytest.fixture(scope="session")
def book() -> RateBook:
    return RateBook(use_env=False)


def price(
    book: RateBook,
    region: str,
    year: int,
    *members: str,
    income: int | str | None = None,
    tier: str | None = None,
    late: bool = False,
    statistic: str = "rural",
) -> Assessment:
    household = build_household(members, income)
    return assess(book, region, year, household, tier=tier, late=late, statistic=statistic)


def paid(result: Assessment) -> list[Decimal]:
    return [m.paid for m in result.members]
