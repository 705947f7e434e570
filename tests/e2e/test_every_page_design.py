"""Every kind of page, as the people who use it, passes axe-core and fits a phone.

The pages are each role's start pages, then pages linked from them (one page per route, ids
normalised): a Bærum officer (dashboard, the demo's joint procurement with its tabs, market
dialogue, requirement-specification, publication and benefit pages (charts, report), a new
procurement, the arena, plugin pages, a missing page; the competition pages and contract follow-up
of the finished "Digitalt tilsyn"), a Bærum admin (members, sign-in settings, audit, plugin admin,
sharing benefit results), a supplier (the supplier portal; the competition pages) and an anonymous
visitor (start page, sign-in, sign-up, an error page, the public pages; the public page of
"Digitalt tilsyn" with its competition and award). Each is checked in Bokmål,
Nynorsk and English at 1280 px and at 390 px: axe-core reports no violation and the document is
no wider than the viewport. At 390 px the header's menu is folded behind its button.

Each page is loaded once per language and checked at both widths by resizing the viewport (the
layout is CSS only; samspill.js reads no width), and the Bokmål pages are checked as the links
are followed, so each (page, language) costs one page load.
"""

from __future__ import annotations

import re
import time
from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.e2e.axe import add_axe, violations
from tests.e2e.conftest import _measurements, sign_in

pytestmark = pytest.mark.e2e

LANGUAGES = ("nb", "nn", "en")
WIDTHS = (1280, 390)
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
NOT_A_PAGE = re.compile(r"^/api/|/(signout|lang)$|export|calendar|\.(ics|pdf|xlsx|csv|json|xml|txt)$|/files?/|download")
MISSING_PROCUREMENT = "/t/baerum/procurements/00000000-0000-4000-8000-000000000000"
DEMO_TITLE = "Tryggere hverdag"
P = "/t/baerum/procurements/{pid}"  # the demo's joint procurement, led by Bærum
COMPETITION_TITLE = "Digitalt tilsyn"  # the demo's finished joint procurement, its tenders opened
C = "/t/baerum/procurements/{cid}/competition"
S = "/supplier/competitions/{cid}"
PEOPLE = [
    # (who, start pages, only paths under, at most this many pages)
    ("officer@baerum.demo", ["/t/baerum/", f"{P}/", f"{P}/needs", f"{P}/gates", f"{P}/participants", f"{P}/protocol",
                             f"{P}/edit", f"{P}/dialogue/", f"{P}/dialogue/conference", f"{P}/dialogue/questionnaires",
                             f"{P}/dialogue/meetings", f"{P}/dialogue/questions", f"{P}/specification/",
                             f"{P}/specification/traceability", f"{P}/specification/lots",
                             f"{P}/specification/award-criteria",
                             f"{P}/benefits", f"{P}/benefits/report", "/t/baerum/procurements/new",
                             f"{P}/publication", "/arena/", MISSING_PROCUREMENT], "/", 24),
    ("admin@baerum.demo", ["/t/baerum/admin/members", "/t/baerum/admin/sign-in", "/t/baerum/admin/audit",
                           "/t/baerum/admin/plugins/", "/t/baerum/admin/benefit-sharing"], "/t/baerum/admin", 8),
    ("post@trygg.demo", ["/supplier/"], "/supplier", 8),
    ("officer@baerum.demo", [f"{C}/", f"{C}/tenders", f"{C}/opening", f"{C}/questions",
                             "/t/baerum/procurements/{cid}/benefits"], "/t/baerum/procurements", 5),
    ("post@omsorg.demo", ["/supplier/competitions/", f"{S}/", f"{S}/receipt", f"{S}/questions"],
     "/supplier/competitions", 4),
    # the award page and a tender's scoring page linked from it
    ("officer@baerum.demo", ["/t/baerum/procurements/{cid}/award/"], "/t/baerum/procurements/{cid}/award", 2),
    ("post@omsorg.demo", ["/supplier/award/{cid}/"], "/supplier/award", 1),
    (None, ["/", "/signin", "/supplier/signup", "/no-such-page", "/public/"], "/public/procurements", 6),
    # the public page of the finished procurement (competition and award sections; not on the list of
    # open dialogues, so reached with its id)
    ("officer@baerum.demo", ["/public/procurements/{cid}"], "/public/procurements", 1),
]


# The innermost elements reaching past the viewport (outside scrolling wrappers), for the message.
WIDE_ELEMENTS = """width => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll')
            && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
                       + ' "' + (e.textContent || '').trim().slice(0, 40) + '"').join('; ')"""


def route_of(path: str) -> str:
    return ID.sub("{id}", path.rstrip("/") or "/")


def find_pages(page, starts: list[str], under: str, limit: int, visit=None) -> list[str]:
    """Start pages, then pages linked from them (breadth first), one per route; `visit(path)` is
    called on each page found, as loaded."""
    found: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(found) < limit:
        path = queue.popleft()
        route = route_of(path)
        if route in found or NOT_A_PAGE.search(path):
            continue
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        found[route] = path
        for href in page.eval_on_selector_all("main a[href], header nav a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc == urlsplit(page.url).netloc and parts.path.startswith(under):
                queue.append(target)
        if visit is not None:
            visit(path)
    return list(found.values())


def choose_language(page, code: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f"form.lang-switch button[name=lang][value={code}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def check(page, path: str, code: str) -> list[str]:
    """The page as loaded, at each width (the viewport resized in place), left at the first width."""
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{code} {width}px {path}: {v}" for v in violations(page)]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(WIDE_ELEMENTS, width)
            problems.append(f"{code} {width}px {path}: the page is {scroll_width} px wide ({wide})")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    return problems


@pytest.mark.parametrize("who, starts, under, limit", PEOPLE, ids=[p[0] or "anonymous" for p in PEOPLE])
def test_every_page_passes_axe_and_fits_a_phone(request, browser, demo_server, who, starts, under, limit):
    started = time.monotonic()
    # axe-core is evaluated in every document (an init script); the policy stays bypassed, as
    # `violations` injects an inline script into a page that lacks it.
    context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO", bypass_csp=True)
    context.set_default_timeout(15_000)
    add_axe(context)
    try:
        _check_pages_of(context.new_page(), who, starts, under, limit)
    finally:
        context.close()
    _measurements[f"axe and width, {request.node.callspec.id} (s)"] = time.monotonic() - started


def _check_pages_of(page, who, starts, under, limit) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    if who:
        sign_in(page, who)
    if any("{pid}" in start for start in starts):
        page.goto("/t/baerum/procurements/")
        href = page.locator("main a", has_text=DEMO_TITLE).first.get_attribute("href")
        pid = ID.search(href).group(0)
        starts = [start.format(pid=pid) for start in starts]
    if any("{cid}" in start for start in starts):
        page.goto("/supplier/competitions/" if who.startswith("post@") else "/t/baerum/procurements/")
        href = page.locator("main a", has_text=COMPETITION_TITLE).first.get_attribute("href")
        cid = ID.search(href).group(0)
        starts = [start.format(cid=cid) for start in starts]
        under = under.format(cid=cid)
    problems: list[str] = []
    page.goto(starts[0])
    choose_language(page, LANGUAGES[0])
    try:
        paths = find_pages(page, starts, under, limit,
                           visit=lambda path: problems.extend(check(page, path, LANGUAGES[0])))
        print(who, paths)
        assert len(paths) >= min(limit, 3), paths
        for code in LANGUAGES[1:]:
            page.goto(paths[0])
            choose_language(page, code)
            for path in paths:
                page.goto(path)
                problems += check(page, path, code)
    finally:  # the choice is kept on the person; later browser tests expect the default, Bokmål
        page.goto(starts[0])
        choose_language(page, "nb")
    assert not problems, "\n".join(problems)


def test_header_menu_folds_at_phone_width(page):
    sign_in(page, "officer@baerum.demo")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/t/baerum/")
    menu, toggle = page.locator("#site-menu"), page.locator("#menu-toggle")
    assert toggle.is_visible() and not menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("form[action='/signout'] button[type=submit]").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not toggle.is_visible() and menu.is_visible()
