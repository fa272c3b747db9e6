"""The web page's timings, measured in the browser (Debian's Chromium via Playwright):

    python3 bench/web.py [--runs 3]

Builds the site (``premium-calc web build``), serves it on localhost and, for a cold start (a new
browser profile: nothing cached) and a warm one (a reload in the same profile: the HTTP cache
holds the bundle), prints the time to a booted runtime, to the first result (the Bijie family)
and for a recalculation (the household call alone, median of 20), and the bundle size. Needs
playwright and /usr/bin/chromium (see docs/web.md). Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from premium_calc.web.serve import serve_in_thread
from premium_calc.web.site import build_site

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
BIJIE = "#lang=zh&place=520500&year=2025&income=14000&m=45&m=42:female&m=12:student&m=70"


def measure(page: object, url: str) -> dict[str, float]:
    t0 = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function("document.body.dataset.calculated", timeout=300_000)  # type: ignore[attr-defined]
    wall = (time.perf_counter() - t0) * 1000
    timings = page.evaluate("window.pcTimings")  # type: ignore[attr-defined]
    recalcs = []
    for _ in range(20):
        recalcs.append(page.evaluate(  # type: ignore[attr-defined]
            "() => { document.getElementById('calculate').click(); return window.pcTimings.last; }"
        ))
    return {
        "before": timings["bootStart"], "pyodide": timings["pyodide"], "boot": timings["boot"],
        "first": timings["first"], "view": timings["firstView"], "to_result": wall,
        "recalc": statistics.median(recalcs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="premium-calc-web-"))
    t0 = time.perf_counter()
    site = build_site(out)
    print(f"build: {time.perf_counter() - t0:.2f} s; bundle {site.size / 1e6:.1f} MB in {site.files} files")
    server, url = serve_in_thread(site.outdir)
    rows: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(args.runs):
            ctx = browser.new_context()
            page = ctx.new_page()
            rows["cold"].append(measure(page, url + BIJIE))
            page.goto("about:blank")
            rows["warm"].append(measure(page, url + BIJIE))
            ctx.close()
        browser.close()
    server.shutdown()
    heads = ("form", "pyodide", "boot", "1st call", "1st view", "to result", "recalc")
    print(f"{'':6}" + "".join(f"{h:>10}" for h in heads) + f"   (ms, median of {args.runs})")
    for kind, runs in rows.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        keys = ("before", "pyodide", "boot", "first", "view", "to_result")
        print(f"{kind:6}" + "".join(f"{med[k]:10.0f}" for k in keys) + f"{med['recalc']:10.1f}")
    print(
        "form: the form shown, boot starts; pyodide: Pyodide itself loaded; boot: + wheels and the\n"
        "project, api imported; 1st call: the first household (imports and reads the rates); 1st view:\n"
        "that household with its history and 'worth it' views drawn; to result: navigation to the first\n"
        "result shown (wall clock, from Python); recalc: one household call afterwards (median of 20)"
    )


if __name__ == "__main__":
    main()
