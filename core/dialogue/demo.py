"""Demo content for the market dialogue of "Tryggere hverdag" (idempotent).

Runs after the procurement domain's seeder created the procurement; adds the two demo
suppliers (`post@<supplier>.demo`), opens the dialogue, and — through the real services, acting
as the Bærum officer or as each supplier — a dialogue conference with both suppliers
registered, a published Q&A, a questionnaire with submitted responses from both, and a round
of one-to-one meetings with both booked.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import g
from sqlalchemy import select

from core import isolation
from core.auth import principal_for
from core.db import db, utcnow
from core.dialogue import conference, invitation, meetings, questionnaires, questions, registrations, responses
from core.dialogue.models import DialogueConference, MeetingRound, Questionnaire
from core.identity import service as identity
from core.identity.demo import DEMO_NAMES
from core.procurement.models import Phase, Procurement
from core.suppliers import service as suppliers
from core.suppliers.demo import DEMO_SUPPLIERS
from core.suppliers.models import SupplierOrganisation

DEMO_TITLE = "Tryggere hverdag"
LEAD_OFFICER = "officer@baerum.demo"


@contextmanager
def acting_as(email: str) -> Iterator[None]:
    """Run services as this person, exactly as in one of their requests."""
    saved = (g.get("principal"), g.get("tenant_scope", isolation.SYSTEM), g.get("stamp_tenant_id"),
             g.get("supplier_id"))
    with isolation.system_scope():
        principal = principal_for(identity.find_user_by_email(email))
    g.principal = principal
    supplier = principal.extra.get("supplier")
    g.supplier_id = uuid.UUID(supplier["id"]) if supplier else None
    isolation.set_scope(principal.tenant_ids)
    try:
        yield
    finally:
        db.session.flush()  # while this person's row-level security settings are still in force
        g.principal, g.tenant_scope, g.stamp_tenant_id, g.supplier_id = saved
        isolation.set_supplier(g.supplier_id)


def _ensure_suppliers(passwords: dict[str, str]) -> list[str]:
    emails = []
    for key, name, org_number in DEMO_SUPPLIERS:
        email = f"post@{key}.demo"
        emails.append(email)
        exists = db.session.execute(select(SupplierOrganisation.id).where(
            SupplierOrganisation.org_number == org_number)).first()
        if not exists:
            suppliers.create_supplier(org_number, name, email, password=passwords.get(email))
        user = identity.find_user_by_email(email)
        if user is not None and passwords.get(email) and identity.authenticate(email, passwords[email]) is None:
            identity.set_password(user, passwords[email])
        if user is not None and user.email_verified_at is None:
            user.email_verified_at = utcnow()
        if user is not None and not user.name:
            user.name = DEMO_NAMES.get(email, "")
    db.session.flush()
    return emails


def seed(passwords: dict[str, str]) -> None:
    with isolation.system_scope():
        emails = _ensure_suppliers(passwords)
        procurement = db.session.execute(select(Procurement).where(Procurement.title == DEMO_TITLE)
                                         .order_by(Procurement.created_at)).scalars().first()
        lead = identity.find_user_by_email(LEAD_OFFICER)
        if procurement is None or procurement.phase != Phase.dialogue or lead is None:
            return
        pid = procurement.id
        has_conference = db.session.execute(select(DialogueConference.id).where(
            DialogueConference.procurement_id == pid)).first() is not None
        has_questionnaire = db.session.execute(select(Questionnaire.id).where(
            Questionnaire.procurement_id == pid)).first() is not None
        has_round = db.session.execute(select(MeetingRound.id).where(MeetingRound.procurement_id == pid)).first()
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    with acting_as(LEAD_OFFICER):
        invitation.open_dialogue(pid)
        if not has_conference:
            start = (now + timedelta(days=14)).replace(hour=8)
            conference.save_conference(pid, {
                "title": "Dialogkonferanse: Tryggere hverdag", "starts_at": start,
                "ends_at": start + timedelta(hours=4),
                "place": "Bærum rådhus, Arnold Haukelands plass 10, Sandvika", "online_link": "https://example.org/stream",
                "agenda": "1. Velkommen og bakgrunn\n2. Behovene: trygghet hjemme og responssenter\n"
                          "3. Veien videre: tilbakemeldinger og en-til-en-møter\n4. Spørsmål",
                "capacity": 60, "registration_deadline": start - timedelta(days=2)})
    for email in emails:
        with acting_as(email):
            registrations.register(pid)
            if not has_conference:
                registrations.attend_conference(pid, 2)
    if has_questionnaire and has_round:
        return
    with acting_as(emails[0]):
        asked = questions.ask(pid, "Kan løsningen bygge på eksisterende trygghetsalarmer med SCAIP, "
                                   "eller forventes nye enheter hos alle brukere?")
    with acting_as(LEAD_OFFICER):
        questions.answer(asked.id, "Vi ønsker innspill på begge: gjenbruk av SCAIP-kompatible alarmer er "
                                   "ønskelig der det er mulig, og vi vil gjerne høre om overgangsløsninger.")
        questionnaire = questionnaires.create_questionnaire(
            pid, title="Tilbakemeldinger og løsningsforslag", deadline=now + timedelta(days=21),
            intro="Svar så konkret som mulig. Marker forretningshemmeligheter med en begrunnelse.",
            questions=[
                {"kind": "text", "text": "Beskriv løsningen dere ser for dere for responssentertjenesten.",
                 "required": True},
                {"kind": "choice", "text": "Hvor moden er løsningen?", "options": ["Idé", "Pilot", "I drift"],
                 "required": True},
                {"kind": "multichoice", "text": "Hvilke standarder støttes?",
                 "options": ["SCAIP (SS 91100)", "CLC/TS 50134-9", "Normen"]},
                {"kind": "attachment", "text": "Legg ved produktark (valgfritt)."},
            ], open_now=True)
        first = (now + timedelta(days=30)).replace(hour=9)
        meeting_round = meetings.create_round(
            pid, title="En-til-en-møter", slot_minutes=45, starts=[first + timedelta(hours=i) for i in range(6)],
            cutoff=first - timedelta(days=2), agenda="1. Presentasjon av løsningsforslaget (20 min)\n"
                                                      "2. Spørsmål fra prosjektgruppen (20 min)\n3. Avslutning",
            place="Bærum rådhus, møterom 3")
        meetings.open_round(meeting_round.id)
    texts = ["Skybasert responssenter med døgnbemanning og integrasjon mot kommunens fagsystem.",
             "Plattform for digitalt tilsyn med åpne grensesnitt og lokal lagring i Norge."]
    for index, email in enumerate(emails):
        with acting_as(email):
            qs = questionnaire.questions
            responses.save_response(questionnaire.id, [
                {"question_id": str(qs[0].id), "value": texts[index % 2],
                 "business_secret": index == 0, "secret_reason": "Prismodell og arkitektur" if index == 0 else ""},
                {"question_id": str(qs[1].id), "value": "Pilot" if index == 0 else "I drift"},
                {"question_id": str(qs[2].id), "value": ["SCAIP (SS 91100)", "Normen"]},
            ], submit=True)
            slot = meetings.list_slots(pid).slots[index]
            meetings.book(slot.id)
