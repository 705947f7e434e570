"""The foundation in a real browser against the real demo server (`samspill demo`)."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_officer_signs_in_sees_asker_switches_language_and_signs_out(page, demo_server):
    sign_in(page, "officer@asker.demo")
    assert page.url == demo_server.base_url + "/t/asker/"
    assert "Asker kommune" in page.locator("main h1").inner_text()
    assert html_lang(page) == "nb"

    page.locator("form.lang-switch button[name=lang][value=en]").click()
    page.wait_for_url("**/t/asker/")
    assert html_lang(page) == "en"
    page.goto("/account")
    assert html_lang(page) == "en"  # sticks across pages
    page.goto("/t/asker/")
    assert html_lang(page) == "en"

    page.locator("form.lang-switch button[name=lang][value=nb]").click()
    page.wait_for_url("**/t/asker/")
    assert html_lang(page) == "nb"
    page.goto("/account")
    assert html_lang(page) == "nb"

    page.locator("form[action='/signout'] button[type=submit]").click()
    page.wait_for_url(demo_server.base_url + "/")
    assert page.locator("header a[href='/signin']").count() == 1
    page.goto("/t/asker/")
    assert "/signin" in page.url


def test_admin_invites_a_person_who_accepts_in_another_browser(new_page, demo_server):
    admin = new_page()
    sign_in(admin, "admin@asker.demo")
    admin.goto("/t/asker/admin/members")
    email = f"invitee-{uuid.uuid4().hex[:8]}@asker.demo"
    admin.fill("#f-email", email)
    admin.select_option("#f-role", "member")
    admin.locator("form[action='/t/asker/admin/members/invite'] button[type=submit]").click()
    link = admin.locator("#invite-link").inner_text().strip()
    assert link.startswith(demo_server.base_url + "/invite/")

    invitee = new_page()  # a second browser context: no cookies shared with the admin
    invitee.goto(link)
    invitee.fill("#f-name", "Ina Invitert")
    invitee.fill("#f-password", "a fresh long password")
    invitee.fill("#f-confirm_password", "a fresh long password")
    invitee.locator("main form button[type=submit]").click()
    invitee.wait_for_url(demo_server.base_url + "/t/asker/")
    assert "Asker kommune" in invitee.locator("main h1").inner_text()

    admin.goto("/t/asker/admin/members")
    assert admin.locator(f"text={email}").count() >= 1
    assert invitee.request.get(link).status == 404  # the link is used up


@pytest.mark.parametrize("path", ["/signin", "/t/asker/"])
def test_the_skip_link_is_the_first_focusable_element(page, path):
    if path.startswith("/t/"):
        sign_in(page, "officer@asker.demo")
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_the_sign_in_form_is_labelled_and_refuses_a_wrong_password(page):
    page.goto("/signin")
    for field in ("f-email", "f-password"):
        assert page.locator(f"label[for={field}]").count() == 1
    page.fill("#f-email", "officer@asker.demo")
    page.fill("#f-password", "not the password")
    page.locator("main form[action='/signin'] button[type=submit]").click()
    assert page.locator("[role=alert]").count() == 1
    assert "/signin" in page.url


def test_the_demo_seeds_without_plugin_problems(demo_server):
    """The demo's seeding publishes notices outside a request: their links need the address the
    demo serves at (core.config.apply_base_url), or the publication hooks fail and are logged."""
    log = demo_server.log()
    assert "Demo data is in place." in log or "ready in" in log
    problems = [line for line in log.splitlines() if "samspill.plugins" in line and "problem" in line]
    assert not problems, problems[:3]
