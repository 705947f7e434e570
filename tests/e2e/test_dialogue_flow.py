"""Issue 5 in a real browser: the market dialogue of "Tryggere hverdag", equal treatment included.

A new supplier signs up in the supplier portal and confirms its email address with the link the
development mail transport wrote into the instance folder; it registers for the dialogue and
asks a question. A Bærum officer answers; a second supplier (Omsorgsdata, from the demo) reads
the answer without learning who asked. The officer opens a new questionnaire and a new round of
one-to-one slots; both suppliers submit responses, which an Asker member of the project group
reads side by side. The new supplier books a slot, the officer writes the minutes, and only that
supplier reads them. Elements are found by id, name and URL, never by translated text.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.e2e.actions import accept_confirmations, submit, watch_server_errors
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

DEMO_TITLE = "Tryggere hverdag"
OTHER_SUPPLIER = "post@omsorg.demo"
WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def new_org_number() -> str:
    """A random organisation number with a valid mod-11 check digit."""
    while True:
        digits = [random.randint(1, 9)] + [random.randint(0, 9) for _ in range(7)]
        check = 11 - sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def oslo_input(moment: datetime) -> str:
    """A value for a datetime-local field (read as Europe/Oslo wall time by the server)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def mail_to(instance_path: Path, address: str, timeout: float = 10.0):
    """The newest message the file transport wrote for `address` (waits until it exists)."""
    folder = instance_path / "mail"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for path in folder.glob("*.eml") if folder.exists() else []:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address:
                found.append((path.stat().st_mtime, message))
        if found:
            return max(found, key=lambda pair: pair[0])[1]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} in {folder}")


def sign_up_supplier(page, demo_server, org_name: str, email: str, person: str) -> None:
    """Register an organisation in the supplier portal and confirm the email address."""
    page.goto("/supplier/")
    page.locator("#supplier-signup").click()
    page.wait_for_url("**/supplier/signup")
    page.fill("#f-org_number", new_org_number())
    page.fill("#f-org_name", org_name)
    page.fill("#f-name", person)
    page.fill("#f-email", email)
    page.fill("#f-password", "a supplier's long password")
    page.fill("#f-confirm_password", "a supplier's long password")
    submit(page, page.locator("#signup-submit"))
    assert page.url.endswith("/supplier/")
    assert page.locator("#resend-verification-form").count() == 1  # not confirmed yet

    body = mail_to(demo_server.instance_path, email).get_content()
    link = re.search(r"https?://\S+/supplier/verify/\S+", body).group(0)
    assert link.startswith(demo_server.base_url)
    page.goto(link)
    page.wait_for_url("**/supplier/")
    assert page.locator("#resend-verification-form").count() == 0


def demo_dialogue_id(page) -> str:
    """The demo "Tryggere hverdag" among the open market dialogues of the supplier portal."""
    page.goto("/supplier/")
    links = page.locator("#open-dialogues a[id^=dialogue-]")
    ids = [links.nth(i).get_attribute("id") for i in range(links.count())
           if links.nth(i).inner_text().strip() == DEMO_TITLE]
    assert len(ids) == 1, "the demo dialogue is open to suppliers"
    return ids[0].removeprefix("dialogue-")


def submit_response(page, pid: str, qid: str, text: str, maturity_option: int) -> None:
    page.goto(f"/supplier/dialogues/{pid}/questionnaires")
    page.locator(f"#questionnaire-{qid}").click()
    page.wait_for_url(f"**/supplier/dialogues/{pid}/questionnaires/{qid}")
    assert page.locator("#response-status").get_attribute("data-status") == "none"
    page.locator("#question-1 textarea[name^=q-]").fill(text)
    page.locator(f"#question-2 input[type=radio][id$='-{maturity_option}']").check()
    submit(page, page.locator("#submit-response"))
    assert page.locator("#form-error").count() == 0
    assert page.locator("#response-status").get_attribute("data-status") == "submitted"


def test_market_dialogue_from_sign_up_to_minutes(new_page, demo_server):
    tag = uuid.uuid4().hex[:8]
    org_name, email, person = f"Nattevakt Teknologi {tag} AS", f"post-{tag}@nattevakt.example", f"Nora Natt {tag}"
    server_errors: list[str] = []

    # A supplier signs up, confirms its address and registers for "Tryggere hverdag".
    supplier = new_page()
    watch_server_errors(supplier, server_errors)
    accept_confirmations(supplier)
    sign_up_supplier(supplier, demo_server, org_name, email, person)
    pid = demo_dialogue_id(supplier)
    supplier.locator(f"#dialogue-{pid}").click()
    supplier.wait_for_url(f"**/supplier/dialogues/{pid}/")
    submit(supplier, supplier.locator("#register-button"))
    assert supplier.locator("#registration-status").count() == 1
    supplier.goto("/supplier/")
    assert supplier.locator(f"#my-dialogues a[href='/supplier/dialogues/{pid}/']").count() == 1

    # ... and asks a question, which waits for an answer.
    supplier.goto(f"/supplier/dialogues/{pid}/")
    supplier.locator("#questions-link").click()
    question = f"Må responssenteret ha døgnbemanning i Norge, eller kan nattevakt deles med andre land? ({tag})"
    supplier.fill("#question-text", question)
    submit(supplier, supplier.locator("#question-submit"))
    own = supplier.locator("#my-questions li", has_text=tag)
    assert own.get_attribute("data-status") == "open"

    # A Bærum officer sees who asked, answers, and publishes the answer to every supplier.
    officer = new_page()
    watch_server_errors(officer, server_errors)
    accept_confirmations(officer)
    sign_in(officer, "officer@baerum.demo")
    group = f"/t/baerum/procurements/{pid}/dialogue"
    officer.goto(f"{group}/")
    officer.locator("#nav-questions").click()
    officer.wait_for_url(f"**{group}/questions")
    officer.locator("#open-questions a", has_text=tag).click()
    officer.wait_for_url(f"**{group}/questions/*")
    assert officer.locator("#question-original").inner_text().strip() == question
    assert org_name in officer.locator("main").inner_text()  # the project group knows the asker
    answer = f"Tjenesten skal driftes fra EØS, med norsktalende operatører hele døgnet ({tag})."
    officer.fill("#answer-form textarea[name=text]", answer)
    submit(officer, officer.locator("#answer-submit"))
    assert officer.locator("#form-error").count() == 0
    officer.goto(f"{group}/questions")
    assert officer.locator("#published-answers", has_text=answer).count() == 1
    assert officer.locator("#open-questions a", has_text=tag).count() == 0

    supplier.goto(f"/supplier/dialogues/{pid}/questions")
    assert supplier.locator("#my-questions li", has_text=tag).get_attribute("data-status") == "answered"
    assert supplier.locator("#published-answers li", has_text=answer).count() == 1

    # A second supplier reads the answer (and the question) without learning who asked.
    other = new_page()
    watch_server_errors(other, server_errors)
    accept_confirmations(other)
    sign_in(other, OTHER_SUPPLIER)
    other.goto(f"/supplier/dialogues/{pid}/")
    other.locator("#questions-link").click()
    other.wait_for_url(f"**/supplier/dialogues/{pid}/questions")
    published = other.locator("#published-answers li", has_text=answer)
    assert published.count() == 1
    assert question in published.inner_text()
    assert other.locator("#my-questions li", has_text=tag).count() == 0
    page_html = other.content()
    for revealing in (org_name, email, person):
        assert revealing not in page_html, revealing

    # The officer opens a questionnaire with a deadline ahead, and a round of equal slots.
    officer.goto(f"{group}/questionnaires")
    title = f"Løsningsforslag nattevakt {tag}"
    officer.fill("#questionnaire-form #f-title", title)
    officer.fill("#questionnaire-form #f-deadline", oslo_input(datetime.now() + timedelta(days=10)))
    officer.fill("#f-q-0-text", "Beskriv løsningen for nattestid.")
    officer.check("#f-q-0-required")
    submit(officer, officer.locator("#f-add-question"))  # a round trip: the form comes back with a second question
    officer.fill("#f-q-1-text", "Hvor moden er løsningen?")
    officer.select_option("#f-q-1-kind", "choice")
    for n, option in enumerate(("Idé", "Pilot"), start=1):
        officer.fill(f"#f-q-1-option-{n}", option)
    submit(officer, officer.locator("#f-q-1-addoption"))
    officer.fill("#f-q-1-option-3", "I drift")
    officer.check("#f-q-1-required")
    officer.check("#f-open_now")
    submit(officer, officer.locator("#questionnaire-save"))
    assert officer.locator("#form-error").count() == 0
    qid = officer.locator("#questionnaires-table a", has_text=title).get_attribute("id").removeprefix("questionnaire-")

    officer.locator("#nav-meetings").click()
    officer.wait_for_url(f"**{group}/meetings")
    round_title = f"En-til-en nattevakt {tag}"
    first = (datetime.now() + timedelta(days=40)).replace(hour=9, minute=0)
    officer.fill("#round-form #f-title", round_title)
    officer.fill("#round-form #f-agenda", "1. Løsningsforslaget\n2. Spørsmål fra prosjektgruppen")
    officer.fill("#round-form #f-slot_minutes", "45")
    officer.fill("#round-form #f-first_start", oslo_input(first))
    officer.fill("#round-form #f-count", "3")
    officer.fill("#round-form #f-gap_minutes", "15")
    officer.fill("#round-form #f-cutoff", oslo_input(first - timedelta(days=3)))
    submit(officer, officer.locator("#round-save"))
    assert officer.locator("#form-error").count() == 0
    round_section = officer.locator("section[id^=round-]", has=officer.locator("h2", has_text=round_title))
    round_id = round_section.get_attribute("id").removeprefix("round-")
    assert round_section.locator("tbody tr").count() == 3
    submit(officer, officer.locator(f"#open-round-{round_id} button[type=submit]"))
    assert officer.locator(f"#round-{round_id} [data-open=true]").count() == 1

    # Both suppliers submit their responses.
    answers = {supplier: f"Sensorer og kamera etter samtykke, responssenter i Sandvika ({tag}).",
               other: f"Digitalt tilsyn med lokal lagring, nattevakt fra Drammen ({tag})."}
    submit_response(supplier, pid, qid, answers[supplier], maturity_option=2)
    submit_response(other, pid, qid, answers[other], maturity_option=3)

    # An Asker member of the project group reads both side by side.
    asker = new_page()
    watch_server_errors(asker, server_errors)
    sign_in(asker, "officer@asker.demo")
    asker.goto(f"/t/asker/procurements/{pid}/participants")
    assert asker.locator("#project-group tr[data-email='officer@asker.demo']").count() == 1
    asker.goto(f"/t/asker/procurements/{pid}/dialogue/questionnaires")
    asker.locator(f"#questionnaire-{qid}").click()
    asker.locator("#responses-link").click()
    asker.wait_for_url(f"**/t/asker/procurements/{pid}/dialogue/questionnaires/{qid}/responses")
    table = asker.locator("#responses-table")
    assert table.locator("thead th[id^=supplier-]").count() == 2
    assert table.locator("thead th", has_text=org_name).count() == 1
    first_row = table.locator("tbody tr").first
    for text in answers.values():
        assert first_row.locator("td", has_text=text).count() == 1

    # The new supplier books a slot of the new round.
    supplier.goto(f"/supplier/dialogues/{pid}/")
    supplier.locator("#meetings-link").click()
    supplier.wait_for_url(f"**/supplier/dialogues/{pid}/meetings")
    slots = supplier.locator(f"#round-{round_id} tbody tr")
    assert slots.count() == 3
    assert slots.evaluate_all("rows => rows.map(r => r.dataset.state)") == ["free", "free", "free"]
    slot_id = slots.nth(1).get_attribute("data-slot-id")
    submit(supplier, slots.nth(1).locator("button[id^=book-slot-]"))
    assert supplier.locator("#form-error").count() == 0
    booked = supplier.locator(f"tr[data-slot-id='{slot_id}']")
    assert booked.get_attribute("data-state") == "mine"
    booked.locator("a[id^=minutes-slot-]").click()
    supplier.wait_for_url(f"**/supplier/dialogues/{pid}/meetings/{slot_id}/minutes")
    assert supplier.locator("#meeting-minutes-pending").count() == 1

    # The other supplier sees the slot taken, not by whom, and cannot open its minutes.
    other.goto(f"/supplier/dialogues/{pid}/meetings")
    assert other.locator(f"tr[data-slot-id='{slot_id}']").get_attribute("data-state") == "taken"
    assert org_name not in other.content()
    assert other.goto(f"/supplier/dialogues/{pid}/meetings/{slot_id}/minutes").status == 404

    # The officer writes the minutes of that meeting ...
    officer.goto(f"{group}/meetings")
    officer.locator(f"#minutes-link-{slot_id}").click()
    officer.wait_for_url(f"**{group}/meetings/{slot_id}/minutes")
    assert org_name in officer.locator("main h1").inner_text()
    minutes = f"Nattevakt presenterte løsningen; prosjektgruppen spurte om personvern og bemanning ({tag})."
    officer.fill("#minutes-form textarea[name=minutes]", minutes)
    submit(officer, officer.locator("#minutes-save"))
    assert officer.locator("#form-error").count() == 0

    # ... and the supplier reads them later; the other supplier still cannot.
    supplier.goto(f"/supplier/dialogues/{pid}/meetings")
    supplier.locator(f"tr[data-slot-id='{slot_id}'] a[id^=minutes-slot-]").click()
    supplier.wait_for_url(f"**/meetings/{slot_id}/minutes")
    assert supplier.locator("#meeting-minutes").inner_text().strip() == minutes
    assert other.goto(f"/supplier/dialogues/{pid}/meetings/{slot_id}/minutes").status == 404
    assert server_errors == []
