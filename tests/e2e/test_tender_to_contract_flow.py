"""Issue 14 in a real browser, through the forms, on "Tryggere hverdag" after its tenders were
opened by tests/e2e/test_tender_flow.py. Under pytest-xdist each worker has its own demo server,
and that module may have run on the other one: then this test runs it first (`tenders_opened`).

Two evaluators declare impartiality and score both demo tenders blind; the lead declares, qualifies
both tenderers through the form, sets the consensus and decides (with a confirmation); both
suppliers find their letter in the portal; the move to the contract phase is refused before the
standstill ends and allowed once the send time is set in the past (through the database, no
waiting); Asker and Bærum each sign their own contract and the "contracts signed" gate item ticks
itself. Elements are found by id, name, class and URL, never by text.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.e2e import test_tender_flow as tender_flow  # the module: its test is not collected again here
from tests.e2e.actions import accept_confirmations, submit, watch_server_errors
from tests.e2e.conftest import sign_in
from tests.e2e.test_tender_flow import DEMO_TITLE, in_server

pytestmark = pytest.mark.e2e

EVALUATORS = (("admin@baerum.demo", "baerum"), ("officer@asker.demo", "asker"))


def to_evaluation() -> str:
    """The opened demo competition in the evaluation phase with two evaluators in the group."""
    from core.db import db
    from core.identity.models import User
    from core.procurement.demo import find_demo_procurement
    from core.procurement.models import Phase, ProjectMember, ProjectRole
    from tenants.models import Tenant

    procurement = find_demo_procurement(DEMO_TITLE)
    procurement.phase = Phase.evaluation
    for email, slug in EVALUATORS:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
        member = db.session.execute(select(ProjectMember).where(
            ProjectMember.procurement_id == procurement.id, ProjectMember.user_id == user.id)).scalar_one_or_none()
        if member is None:
            member = ProjectMember(procurement_id=procurement.id, user_id=user.id, tenant_id=tenant.id)
            db.session.add(member)
        member.role = ProjectRole.evaluator
    return str(procurement.id)


def standstill_over(pid: str):
    def move():
        from core.award.models import AwardDecision
        from core.db import db, utcnow

        row = db.session.execute(select(AwardDecision).where(
            AwardDecision.procurement_id == uuid.UUID(pid))).scalar_one()
        row.letters_sent_at = utcnow() - timedelta(days=11)
        row.standstill_ends_at = utcnow() - timedelta(days=1)
    return move


def person(new_page, failures, email):
    page = new_page()
    accept_confirmations(page)
    watch_server_errors(page, failures)
    sign_in(page, email)
    return page


def declare(page, base: str) -> None:
    page.goto(f"{base}/")
    page.locator("#conflict-no").check()
    submit(page, page.locator("#declare"))
    assert page.locator("#declaration-state").count() == 1


def fill_scores(page, form: str, note: str, score: int) -> None:
    for box in page.locator(f"{form} input[type=number]").all():
        box.fill(str(score))
    for area in page.locator(f"{form} textarea[name^='{note}-']").all():
        area.fill("Vurdert etter kravspesifikasjonen og tilbudet.")


def tenders_opened() -> bool:
    """Whether the demo competition's tenders were opened (by test_tender_flow, on this server)."""
    from core.competition.models import Competition
    from core.db import db
    from core.procurement.demo import find_demo_procurement

    procurement = find_demo_procurement(DEMO_TITLE)
    return db.session.execute(select(Competition.opened_at).where(
        Competition.procurement_id == procurement.id)).scalar() is not None


def test_from_blind_scores_to_signed_contracts(new_page, demo_server):
    if not in_server(demo_server, tenders_opened):  # test_tender_flow ran on the other worker's server
        tender_flow.test_competition_from_announcement_to_opening(new_page, demo_server)
    failures: list[str] = []
    pid = in_server(demo_server, to_evaluation)
    evaluator_pages = []
    for number, (email, slug) in enumerate(EVALUATORS):
        page = person(new_page, failures, email)
        base = f"/t/{slug}/procurements/{pid}/award"
        declare(page, base)
        links = page.locator("a.tender-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(links) == 2
        for link in links:
            page.goto(link)
            assert page.locator(".other-scores").count() == 0  # blind before one's own
            fill_scores(page, "#scores-form", "justification", 6 + number)
            submit(page, page.locator("#submit-scores"))
            assert page.locator("#scores-submitted").count() == 1
        evaluator_pages.append((page, links))
    first, links = evaluator_pages[0]
    first.goto(links[0])
    assert first.locator(".other-scores").count() == 1  # the other's, once both submitted

    lead = person(new_page, failures, "officer@baerum.demo")
    base = f"/t/baerum/procurements/{pid}/award"
    declare(lead, base)
    for score, link in zip((8, 6), lead.locator("a.tender-link").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"), strict=True):
        lead.goto(link)
        lead.locator("#f-qualified").select_option("yes")
        lead.locator("#f-qualification_reason").fill("Oppfyller kravene etter egenerklæringen og referansene.")
        submit(lead, lead.locator("#save-qualification"))
        assert lead.locator("#qualification-state").count() == 1
        fill_scores(lead, "#consensus-form", "motivation", score)
        submit(lead, lead.locator("#save-consensus"))
    lead.goto(f"{base}/")
    assert lead.locator("#evaluation-report tr.ranked").count() == 2
    for i in range(lead.locator("#decision-form fieldset.lot").count()):
        lead.locator(f"#f-tender-{i}").select_option(index=1)
        lead.locator(f"#f-reason-{i}").fill("Best på kvalitet; prisen er konkurransedyktig.")
    submit(lead, lead.locator("#decide-button"))
    assert lead.locator("#award-decision").count() == 1

    for email in ("post@trygg.demo", "post@omsorg.demo"):
        supplier = person(new_page, failures, email)
        supplier.goto(f"/supplier/award/{pid}/")
        assert supplier.locator("#outcome-1").count() == 1 and supplier.locator("#complaint-form").count() == 1

    gates = f"/t/baerum/procurements/{pid}/gates"
    lead.goto(gates)
    submit(lead, lead.locator("#transition-button"))
    assert lead.locator("#transition-errors").count() == 1  # the standstill still runs
    in_server(demo_server, standstill_over(pid))
    lead.goto(gates)
    submit(lead, lead.locator("#transition-button"))
    assert lead.locator("#transition-errors").count() == 0
    lead.goto(gates)
    assert lead.locator("#item-core-contracts-signed").get_attribute("data-state") == "open"

    for email, slug in (("officer@asker.demo", "asker"), ("officer@baerum.demo", "baerum")):
        page = person(new_page, failures, email)
        page.goto(f"/t/{slug}/procurements/{pid}/award/")
        assert page.locator("form.sign-form").count() == 1  # its own contract only
        page.locator("form.sign-form input[type=date]").fill("2026-12-20")
        submit(page, page.locator("form.sign-form button[type=submit]"))
        assert page.locator("form.sign-form").count() == 0
    lead.goto(gates)
    assert lead.locator("#item-core-contracts-signed").get_attribute("data-state") == "auto"  # ticked itself
    assert not failures, failures
