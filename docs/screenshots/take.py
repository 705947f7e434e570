"""Take the README's screenshots from a running demo with headless Chromium (Playwright).

    samspill demo --bind 127.0.0.1:8765            # in one shell (note the printed password)
    python docs/screenshots/take.py http://127.0.0.1:8765 'DEMO PASSWORD'

Writes dashboard.png, procurement.png, supplier-portal.png and arena.png beside this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1100, "height": 760}


def _signed_in(browser, base_url: str, email: str, password: str):
    page = browser.new_context(base_url=base_url, locale="nb-NO", viewport=VIEWPORT).new_page()
    page.goto("/signin")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    page.locator("main form[action='/signin'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    return page


def main(base_url: str, password: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        officer = _signed_in(browser, base_url, "officer@baerum.demo", password)
        officer.goto("/t/baerum/")
        officer.screenshot(path=HERE / "dashboard.png")
        officer.goto(officer.locator("main a", has_text="Tryggere hverdag").first.get_attribute("href"))
        officer.screenshot(path=HERE / "procurement.png")
        officer.goto("/arena/")
        officer.screenshot(path=HERE / "arena.png")
        supplier = _signed_in(browser, base_url, "post@trygg.demo", password)
        supplier.goto("/supplier/")
        supplier.screenshot(path=HERE / "supplier-portal.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
