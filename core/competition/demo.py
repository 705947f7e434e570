"""Demo content of the competition (idempotent): the finished joint procurement "Digitalt tilsyn".

Bærum leads, Asker buys. Created through the real services, acting as the demo people: the
procurement passes its gates to the market dialogue, where both demo suppliers register; it
moves on to the competition, which Bærum announces with qualification questions; both demo
suppliers submit tenders (Trygg Teknologi withdraws once and submits again). The deadlines are
then moved into the past directly in the database (the demo's one shortcut, so the demo needs
no waiting), and Bærum opens the tenders: the opening protocol is in the audit log. The
specification package may add requirements to the same procurement (found by its title).
"""

from __future__ import annotations

from datetime import timedelta

from flask import g
from sqlalchemy import select

from core import isolation
from core.competition import opening, settings, tenders
from core.competition.models import Competition
from core.db import db, utcnow
from core.dialogue import invitation, registrations
from core.dialogue.demo import acting_as as acting_as_person
from core.procurement import participants, service
from core.procurement.demo import acting_as, find_demo_procurement, pass_gate
from core.procurement.models import Phase, Procedure
from core.suppliers.demo import DEMO_SUPPLIERS
from tenants.service import get_tenant

TITLE = "Digitalt tilsyn"
LEAD_OFFICER = "officer@baerum.demo"
QUALIFICATION = [
    {"key": "espd-crime", "kind": "exclusion",
     "text": "Er leverandøren eller noen i ledelsen rettskraftig dømt for korrupsjon, bedrageri eller "
             "deltakelse i en kriminell organisasjon?"},
    {"key": "espd-tax", "kind": "exclusion", "text": "Har leverandøren ubetalte skatter eller avgifter?"},
    {"key": "qual-experience", "kind": "qualification",
     "text": "Leverandøren har levert digitalt tilsyn til minst to kommuner de siste tre årene."},
]


# Asker's mandate as it accepts the invitation (recorded by the award package).
ASKER_MANDATE = {"decision_ref": "PS 31/26", "decided_on": "2026-09-01", "signatory": "Kommunedirektøren i Asker",
                 "volume_nok": 14000000}


def _ensure_procurement():
    procurement = find_demo_procurement(TITLE, "baerum")
    if procurement is not None:
        return procurement.id
    with acting_as(LEAD_OFFICER, "baerum"):
        procurement = service.create_procurement(
            get_tenant("baerum"), title=TITLE, procedure=Procedure.open, estimated_value_ore=3_200_000_000,
            description="Felles anskaffelse av digitalt tilsyn (sensorer og kamera med samtykke) for "
                        "hjemmeboende i Asker og Bærum.")
        participants.invite(procurement.id, "asker", "buyer")
        pid = procurement.id
    db.session.commit()
    with acting_as("admin@asker.demo", "asker"):
        participants.respond(pid, get_tenant("asker"), accept=True, terms=ASKER_MANDATE)
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        participants.add_member(pid, "officer@asker.demo", "member")
        for _phase in (Phase.anchoring, Phase.needs):
            pass_gate(pid, "Demo: gjennomført før Samspill ble tatt i bruk; dokumentert i arkivet.")
        invitation.open_dialogue(pid)
    db.session.commit()
    return pid


def seed(passwords: dict[str, str]) -> None:
    if find_demo_procurement("Tryggere hverdag", "baerum") is None:
        return  # the demo's tenants and people are not there (a blocked domain plugin)
    pid = _ensure_procurement()
    with isolation.system_scope():
        competition = db.session.execute(select(Competition).where(
            Competition.procurement_id == pid)).scalar_one_or_none()
        if competition is not None and competition.opened_at is not None:
            return
    emails = [f"post@{key}.demo" for key, _name, _org in DEMO_SUPPLIERS]
    for email in emails:
        with acting_as_person(email):
            if registrations.registration_of(pid, _supplier_id()) is None:
                registrations.register(pid)
    db.session.commit()
    now = utcnow().replace(second=0, microsecond=0)
    with acting_as(LEAD_OFFICER, "baerum"):
        if service.get(pid).phase == Phase.dialogue:
            pass_gate(pid, "Demo: dialogen er oppsummert i referatene.")
        if competition is None or competition.announced_at is None:
            settings.save_settings(pid, {"tender_deadline": now + timedelta(days=30),
                                         "question_deadline": now + timedelta(days=20),
                                         "opening_at": now + timedelta(days=30, hours=1),
                                         "qualification": QUALIFICATION})
            settings.announce(pid)
    db.session.commit()
    prices = [2_850_000_00, 3_100_000_00]
    for index, email in enumerate(emails):
        with acting_as_person(email):
            answers = [{"key": q["key"], "answer": q["kind"] == "qualification",
                        "text": "Egenerklæring i henhold til ESPD."} for q in QUALIFICATION]
            body = {"qualification": answers, "prices": [{"lot_id": None, "price_ore": prices[index]}],
                    "business_secrets": [{"part": "Prismodell", "reason": "Konkurransesensitiv prising."}]
                    if index == 0 else []}
            own = tenders.get_own(pid)
            if own.tender is None or own.tender.status.value != "submitted":
                tenders.save(pid, body, submit=True)
            if index == 0 and own.tender is None:
                tenders.withdraw(pid)
                tenders.save(pid, body, submit=True)
    db.session.commit()
    with isolation.system_scope():  # the demo's shortcut: the deadlines have passed
        competition = db.session.execute(select(Competition).where(Competition.procurement_id == pid)).scalar_one()
        competition.question_deadline = now - timedelta(days=12)
        competition.tender_deadline = now - timedelta(days=2)
        competition.opening_at = now - timedelta(days=2) + timedelta(hours=1)
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        opening.open_tenders(pid)
    db.session.commit()


def _supplier_id():
    return g.supplier_id  # the supplier `acting_as_person` acts for
