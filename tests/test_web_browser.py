"""The web page in a real browser: Debian's Chromium driven by Playwright for Python.

The site is built once per session and served on localhost; every request that is not to that
server is blocked and recorded (the page must work offline). Pyodide boots twice in all: once in
a desktop page that the tests share in order, once in a phone-sized page opened from the shared
link. Screenshots go to ``build/web-screenshots/`` (``PREMIUM_CALC_SCREENSHOTS`` to change it),
printed once.

Skipped, with the reason, where the browser cannot run: no playwright, or no Chromium at
``/usr/bin/chromium`` (``PREMIUM_CALC_CHROMIUM``). ``.ci/run`` installs both and sets
``PREMIUM_CALC_WEB_TESTS=required``, which turns those skips into failures.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from premium_calc.cli import app

REQUIRED = os.environ.get("PREMIUM_CALC_WEB_TESTS", "") == "required"
CHROMIUM = Path(os.environ.get("PREMIUM_CALC_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("PREMIUM_CALC_SCREENSHOTS", ROOT / "build" / "web-screenshots"))
BOOT_MS = 180_000  # a slow, shared CI machine; a boot takes ~7 s here
BIJIE_HASH = "#lang=zh&place=520500&year=2025&income=14000&m=45&m=42:female&m=12:student&m=70"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests are required here (PREMIUM_CALC_WEB_TESTS=required) but {reason}")
    pytest.skip(reason)


try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page, built once per session (downloads come from the user cache after the first)."""
    from premium_calc.web.fetch import FetchError
    from premium_calc.web.site import build_site

    try:
        return build_site(tmp_path_factory.mktemp("web-site")).outdir
    except FetchError as err:  # offline, with nothing in the download cache
        _unavailable(f"the page cannot be built here: {err}")
        raise


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    from premium_calc.web.serve import serve_in_thread

    httpd, url = serve_in_thread(site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (as root: apt-get install -y chromium; .ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def outside() -> list[str]:
    """Requests to anywhere but the local server (blocked; must stay empty)."""
    return []


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    capman = request.config.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled() if capman else _null():
        print(f"\nweb page screenshots: {SHOTS}")
    return SHOTS


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def _open(
    browser: Browser, url: str, server: str, outside: list[str], loading: Path | None = None, **context: Any
) -> Page:
    """A new page on ``url`` with its runtime booted (``loading``: a screenshot while it boots)."""
    ctx = browser.new_context(**context)

    def route(r: Any) -> None:
        if r.request.url.startswith(server):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.goto(url)
    if loading is not None:
        page.wait_for_function("document.getElementById('status-text').textContent !== ''")
        page.screenshot(path=str(loading))
    page.wait_for_function("document.body.dataset.ready === '1' || /failed/.test(status.className)",
                           timeout=BOOT_MS)
    assert page.get_attribute("#status", "class") == "status ready", page.inner_text("#status")
    return page


def _calculated(page: Page) -> int:
    return int(page.evaluate("Number(document.body.dataset.calculated || 0)"))


def _wait_recalc(page: Page, before: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.calculated || 0) > {before}", timeout=30_000)


@pytest.fixture(scope="module")
def page(browser: Browser, server: str, outside: list[str]) -> Iterator[Page]:
    """The desktop page, opened on the Bijie family's link; the tests below share it in order."""
    p = _open(browser, server + BIJIE_HASH, server, outside, viewport={"width": 1280, "height": 900})
    p.wait_for_function("document.body.dataset.calculated", timeout=60_000)
    yield p
    p.context.close()


SHARED: dict[str, str] = {}


def _cli_numbers() -> dict[str, Any]:
    out = CliRunner().invoke(app, [
        "calc", "--region", "毕节", "--year", "2025", "--member", "45", "--member", "42:female",
        "--member", "12:student", "--member", "70", "--income", "14000", "--json",
    ])
    assert out.exit_code == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def test_bijie_family_gives_the_cli_numbers_offline(page: Page, outside: list[str], shots: Path) -> None:
    cli = _cli_numbers()
    assert (cli["total_paid"], cli["burden"]["burden_ratio"]) == ("1600", "0.1143")
    summary = page.inner_text("#summary")
    assert "1,600元" in summary and "每人400元" in summary and "11.43%" in summary and "2,680元" in summary
    assert page.inner_text("#totals").split() == ["合计", "1,600", "0", "1,600", "2,680"]
    paid = page.locator("#members-table tbody td.paid").all_inner_texts()
    assert paid == ["400†"] * 4
    assert page.inner_text("#burden-words") == "负担很重：超过收入的10%。"
    assert "† 可信度低" in page.inner_text("#marks")
    assert page.locator("#sources li").count() == 2
    assert page.locator("#chart svg circle").count() == 6  # 2024-2026, premium and subsidy
    assert page.locator(".worth-table.stays tbody tr").all_inner_texts()[0].startswith("每个人")
    assert page.get_attribute("html", "lang") == "zh-CN"
    SHARED["url"] = page.url
    page.screenshot(path=str(shots / "desktop-bijie.png"), full_page=True)
    print("timings (ms):", page.evaluate("window.pcTimings"))
    assert outside == []


def test_a_county_without_rates_shows_the_standard_it_uses(page: Page, outside: list[str]) -> None:
    before = _calculated(page)
    page.select_option("#county", "520526")
    _wait_recalc(page, before)
    assert page.inner_text("#standard") == "威宁彝族回族苗族自治县没有单独的费率数据：按毕节市的标准计算。"
    assert page.inner_text("#result-title").startswith("威宁彝族回族苗族自治县（520526），按毕节市的标准")
    assert "1,600" in page.inner_text("#totals")
    assert outside == []


def test_search_by_pinyin_picks_a_place(page: Page) -> None:
    page.fill("#search", "weining")
    hit = page.locator("#search-results button", has_text="威宁")
    assert hit.count() >= 1
    before = _calculated(page)
    hit.first.click()
    _wait_recalc(page, before)
    assert page.input_value("#county") == "520526" and page.input_value("#province") == "520000"


def test_english_switch(page: Page, shots: Path) -> None:
    before = _calculated(page)
    page.click("#lang")
    _wait_recalc(page, before)
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#calculate") == "Calculate"
    assert "1,600" in page.inner_text("#summary")
    assert "by the standard of Bijie" in page.inner_text("#result-title")
    page.screenshot(path=str(shots / "desktop-english.png"), full_page=False)
    before = _calculated(page)
    page.click("#lang")
    _wait_recalc(page, before)
    assert page.inner_text("#calculate") == "计算"


def test_no_members_shows_a_message(page: Page, shots: Path) -> None:
    while page.locator("#members .remove").count():
        page.locator("#members .remove").first.click()
    page.click("#calculate")
    error = page.locator("#error")
    assert error.is_visible()
    assert error.inner_text() == "算不出来：请至少添加一位家庭成员"
    assert page.locator("#result").is_hidden()
    page.screenshot(path=str(shots / "desktop-error.png"))


def test_shared_link_restores_the_household_on_a_phone(
    browser: Browser, server: str, outside: list[str], shots: Path
) -> None:
    assert "m=42%3Afemale" in SHARED["url"] and "income=14000" in SHARED["url"]
    phone_size = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2}
    phone = _open(browser, SHARED["url"], server, outside, shots / "phone-loading.png", **phone_size,
                  is_mobile=True, has_touch=True)
    try:
        phone.wait_for_function("document.body.dataset.calculated", timeout=60_000)
        assert phone.locator("#members .member").count() == 4
        assert phone.input_value("#m2-sex") == "female" and phone.input_value("#m3-school") == "student"
        assert phone.input_value("#income") == "14000" and phone.input_value("#year") == "2025"
        assert phone.input_value("#city") == "520500"
        assert phone.inner_text("#totals").split()[-4:] == ["1,600", "0", "1,600", "2,680"]
        width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1] == 360, f"horizontal scroll on a phone: {width}"
        for selector in ("#members-table", "#chart svg", ".worth-table"):
            box = phone.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, selector
        phone.screenshot(path=str(shots / "phone-bijie.png"), full_page=True)
        phone.screenshot(path=str(shots / "phone-top.png"))
    finally:
        phone.context.close()
    assert outside == []


def test_labels_name_every_field(page: Page) -> None:
    page.click("#add")
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select')].filter(
            (e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id)"""
    )
    assert unlabelled == []
