"""The questionnaire builder in Chromium: without JavaScript every button is a round trip (add a
question, add an option, move up, remove, save), an invalid save shows an error summary naming
the question whose link lands on the field; with JavaScript the options of a free-text question
fold away; the builder with its errors passes axe-core and fits a phone. Elements are found by
id and name, the summary's wording is read in Bokmål on purpose."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta

import pytest

from tests.e2e.actions import submit, watch_server_errors
from tests.e2e.axe import add_axe, violations
from tests.e2e.conftest import _measurements, sign_in

pytestmark = pytest.mark.e2e

DEMO_TITLE = "Tryggere hverdag"
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _questionnaires_url(page) -> str:
    page.goto("/t/baerum/procurements/")
    href = page.locator("main a", has_text=DEMO_TITLE).first.get_attribute("href")
    return f"/t/baerum/procurements/{ID.search(href).group(0)}/dialogue/questionnaires"


def _texts(page) -> list[str]:
    return page.eval_on_selector_all("#question-builder textarea[name$='-text']", "els => els.map(e => e.value)")


def test_builder_works_without_javascript(browser, demo_server):
    started, loads = time.monotonic(), 0
    context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO", java_script_enabled=False)
    context.set_default_timeout(15_000)
    server_errors: list[str] = []
    try:
        page = context.new_page()
        watch_server_errors(page, server_errors)
        sign_in(page, "officer@baerum.demo")
        page.goto(_questionnaires_url(page))
        title = f"Byggetest {uuid.uuid4().hex[:6]}"
        page.fill("#questionnaire-form #f-title", title)
        page.fill("#questionnaire-form #f-deadline", (datetime.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("#f-q-0-text", "Beskriv løsningen")
        for button in ("#f-add-question", "#f-add-question"):
            submit(page, page.locator(button))
            loads += 1
        assert page.locator("#question-builder fieldset.question-row").count() == 3
        assert page.locator("#f-q-2-text").evaluate("e => e === document.activeElement")  # autofocus, no script
        page.fill("#f-q-1-text", "Hvor moden er løsningen?")
        page.select_option("#f-q-1-kind", "choice")
        page.fill("#f-q-1-option-1", "Idé")  # one option only: refused on save
        page.fill("#f-q-2-text", "Hvilke standarder støttes?")
        submit(page, page.locator("#f-q-2-up"))
        loads += 1
        assert _texts(page) == ["Beskriv løsningen", "Hvilke standarder støttes?", "Hvor moden er løsningen?"]
        assert page.locator("#f-title").input_value() == title  # nothing typed is lost on a round trip
        submit(page, page.locator("#questionnaire-save"))
        loads += 1
        summary = page.locator("#form-error")
        link = summary.locator("a[href='#f-q-2-option-1']")
        assert link.count() == 1 and link.inner_text().startswith("Spørsmål 3: ")
        assert page.locator("#f-q-2-options-error").is_visible()
        link.click()
        assert page.url.endswith("#f-q-2-option-1")
        page.fill("#f-q-2-option-2", "Pilot")
        submit(page, page.locator("#f-q-2-addoption"))
        loads += 1
        page.fill("#f-q-2-option-3", "I drift")
        submit(page, page.locator("#f-q-1-remove"))
        loads += 1
        assert _texts(page) == ["Beskriv løsningen", "Hvor moden er løsningen?"]
        page.locator("#f-q-0-text").press("Enter")  # a textarea: a new line, not a submit
        page.fill("#f-title", title)
        with page.expect_navigation():  # not `wait_for_load_state`: under load it can return before the POST
            page.locator("#f-title").press("Enter")  # Enter in a field saves (the hidden default button)
        loads += 1
        assert page.locator("#form-error").count() == 0
        link = page.locator("#questionnaires-table a", has_text=title)
        assert link.count() == 1
        link.click()
        assert [e.strip() for e in page.eval_on_selector_all(
            "#questionnaire-questions > li", "els => els.map(e => e.firstChild.textContent)")] == [
            "Beskriv løsningen", "Hvor moden er løsningen?"]
        assert page.locator("#questionnaire-questions > li").nth(1).locator("li").all_inner_texts() == [
            "Idé", "Pilot", "I drift"]
    finally:
        context.close()
    assert server_errors == []
    _measurements["questionnaire builder without JavaScript: round trips"] = loads
    _measurements["questionnaire builder without JavaScript (s)"] = time.monotonic() - started


def test_builder_with_javascript_passes_axe_and_fits_a_phone(browser, demo_server):
    context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO", bypass_csp=True)
    context.set_default_timeout(15_000)
    add_axe(context)
    try:
        page = context.new_page()
        sign_in(page, "officer@baerum.demo")
        url = _questionnaires_url(page)
        page.goto(url)
        options = page.locator("#f-q-0-options")
        assert not options.is_visible()  # a free-text question: the options fold away with JavaScript
        page.select_option("#f-q-0-kind", "multichoice")
        assert options.is_visible()
        page.fill("#f-q-0-option-1", "Bare ett")
        submit(page, page.locator("#questionnaire-save"))  # no title, no deadline, one option
        assert page.locator("#form-error a[href='#f-q-0-option-1']").count() == 1
        problems = []
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{width}px: {v}" for v in violations(page)]
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{width}px: the page is {scroll_width} px wide")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_response_errors_name_the_question_and_pass_axe(browser, demo_server):
    """A supplier (from the demo) submits the demo's questionnaire with the required free text
    emptied: the summary says "Spørsmål 1: …" and its link lands on that field; nothing is saved."""
    context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO", bypass_csp=True)
    context.set_default_timeout(15_000)
    add_axe(context)
    try:
        page = context.new_page()
        sign_in(page, "post@trygg.demo")
        page.goto("/supplier/")
        # the demo's open dialogue (the supplier also took part in the finished "Digitalt tilsyn")
        dialogue = page.locator("main a[href*='/supplier/dialogues/']", has_text="Tryggere hverdag").first
        href = dialogue.get_attribute("href")
        pid = ID.search(href).group(0)
        page.goto(f"/supplier/dialogues/{pid}/questionnaires")
        page.locator("main a[href*='/questionnaires/']").first.click()
        page.wait_for_load_state()
        first = page.locator("#question-1 textarea[name^='q-']")
        kept = first.input_value()
        first.fill("")
        submit(page, page.locator("#submit-response"))
        link = page.locator("#form-error li a").first
        assert link.inner_text().startswith("Spørsmål 1: ")
        link.click()
        assert page.evaluate("document.activeElement.id") == first.get_attribute("id")
        problems = []
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            problems += [f"{width}px: {v}" for v in violations(page)]
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{width}px: wider than the viewport")
        assert not problems, "\n".join(problems)
        page.goto(page.url.split("#")[0])  # a fresh GET (a reload would post again)
        assert page.locator("#question-1 textarea[name^='q-']").input_value() == kept  # nothing saved
    finally:
        context.close()
