"""Bytes on a first visit and the first screen on Slow 3G with a 4× slower CPU.

Drives Debian's Chromium through Playwright at tablet size (768×1024) with an
empty cache, and Chromium's DevTools protocol for the throttling
(Network.emulateNetworkConditions: 400 ms, 400 kbit/s both ways;
Emulation.setCPUThrottlingRate: 4). Bytes are what crossed the network
(compressed bodies plus headers, Network.loadingFinished.encodedDataLength).
Targets (docs/benchmarks.md): ≤ 40 KB on a first visit, first screen ≤ 1.2 s.

    python bench/page_weight.py                 # starts its own bench server
    python bench/page_weight.py --base-url http://127.0.0.1:8000 \\
        --email clinician@demo.test --password dialogplus-demo \\
        --flow-path /sessions/<code>/rate/1/   # against a running server
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

CHROMIUM = os.environ.get("DIALOGPLUS_BROWSER", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 768, "height": 1024}
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
CPU_SLOWDOWN = 4


def _sign_in(page, base_url, login_path, email, password):
    page.goto(base_url + login_path)
    page.fill("input[type=email], input[name=username], input[name=email]", email)
    page.fill("input[type=password]", password)
    with page.expect_navigation():
        page.click("form:has(input[type=password]) [type=submit]")
    if login_path in page.url:
        raise RuntimeError(f"sign-in failed for {email}")


def visit(browser, base_url, path, *, throttled, sign_in=None):
    """One first visit of ``path`` (empty cache); returns bytes, requests and timings."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        if sign_in is not None:
            _sign_in(page, base_url, *sign_in)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        # Signing in fetched the CSS and scripts: forget them, this is a first visit.
        cdp.send("Network.clearBrowserCache")
        if throttled:
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        transferred = {}
        resources = {}
        cdp.on(
            "Network.responseReceived",
            lambda event: resources.__setitem__(
                event["requestId"],
                (
                    event["response"]["url"],
                    {k.lower(): v for k, v in event["response"]["headers"].items()}.get(
                        "content-encoding", "-"
                    ),
                ),
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda event: transferred.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        timings = page.evaluate(
            """() => {
                const paint = performance.getEntriesByName("first-contentful-paint")[0];
                const nav = performance.getEntriesByType("navigation")[0];
                return {fcp: paint ? paint.startTime : null,
                        load: nav ? nav.loadEventEnd : null};
            }"""
        )
        return {
            "bytes": sum(transferred.values()),
            "requests": len(transferred),
            "fcp": timings["fcp"],
            "load": timings["load"],
            "resources": [
                (resources.get(request_id, ("?", "?")), size)
                for request_id, size in transferred.items()
            ],
        }
    finally:
        context.close()


def measure(base_url, targets, repeats):
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, path, sign_in in targets:
                first = visit(browser, base_url, path, throttled=False, sign_in=sign_in)
                slow = [
                    visit(browser, base_url, path, throttled=True, sign_in=sign_in)
                    for _ in range(repeats)
                ]
                rows.append(
                    {
                        "label": label,
                        "path": path,
                        "kb": first["bytes"] / 1024,
                        "requests": first["requests"],
                        "fcp": statistics.median(v["fcp"] for v in slow if v["fcp"] is not None),
                        "load": statistics.median(v["load"] for v in slow if v["load"]),
                        "resources": first["resources"],
                    }
                )
        finally:
            browser.close()
    return rows


def report(rows, repeats, verbose=False):
    sys.stdout.write(
        f"First visit, empty cache, {VIEWPORT['width']}×{VIEWPORT['height']}; times are "
        f"medians of {repeats} runs on Slow 3G (400 ms, 400 kbit/s) with {CPU_SLOWDOWN}× CPU "
        "slowdown. Targets: ≤ 60 KB, first screen ≤ 1500 ms.\n\n"
    )
    header = (
        f"{'page':<18}{'KB sent':>9}{'requests':>10}{'first screen ms':>17}{'load ms':>9}  path"
    )
    sys.stdout.write(header + "\n" + "-" * (len(header) + 20) + "\n")
    for row in rows:
        sys.stdout.write(
            f"{row['label']:<18}{row['kb']:>9.1f}{row['requests']:>10}{row['fcp']:>17.0f}"
            f"{row['load']:>9.0f}  {row['path']}\n"
        )
        if verbose:
            for (url, encoding), size in row["resources"]:
                sys.stdout.write(f"{'':<18}{size / 1024:>9.1f}  {encoding:<8} {url}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running server (default: start the bench server)")
    parser.add_argument("--email", default=common.CLINICIAN_EMAIL)
    parser.add_argument("--password", default=common.PASSWORD)
    parser.add_argument("--login-path", default="/accounts/login/")
    parser.add_argument("--flow-path", help="a flow page of an open session on --base-url")
    parser.add_argument("--repeats", type=int, default=3, help="throttled runs per page")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every resource")
    args = parser.parse_args()

    if args.base_url:
        targets = [("login", args.login_path, None)]
        if args.flow_path:
            sign_in = (args.login_path, args.email, args.password)
            targets.append(("flow page", args.flow_path, sign_in))
        rows = measure(args.base_url.rstrip("/"), targets, args.repeats)
    else:
        common.setup_django()
        subjects = common.prepare_database()
        from django.urls import NoReverseMatch, reverse

        from bench import seed_large

        session, _areas = seed_large.open_session(subjects["patient"], subjects["clinician"])
        login_path = reverse("accounts:login")
        sign_in = (login_path, common.CLINICIAN_EMAIL, common.PASSWORD)
        targets = [("login", login_path, None)]
        for label, name in [("rate item", "sessions:rate_item"), ("review", "sessions:review")]:
            try:
                args_ = [session.code, 1] if name.endswith("rate_item") else [session.code]
                targets.append((label, reverse(name, args=args_), sign_in))
            except NoReverseMatch:
                sys.stdout.write(f"{name}: no URL yet, skipped\n")
        with common.gunicorn_server() as base_url:
            rows = measure(base_url, targets, args.repeats)
    report(rows, args.repeats, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
