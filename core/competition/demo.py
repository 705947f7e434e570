"""Demo content of the competition (idempotent): the finished joint procurement "Digitalt tilsyn".

Bærum leads, Asker buys. Created through the real services, acting as the demo people: the
procurement passes its gates to the market dialogue, where both demo suppliers register; it
moves on to the competition, which Bærum announces with qualification questions; both demo
suppliers submit tenders (Trygg Teknologi withdraws once and submits again). The deadlines are
then moved into the past directly in the database (the demo's one shortcut, so the demo needs
no waiting), and Bærum opens the tenders: the opening protocol is in the audit log. The
specification package may add requirements to the same procurement (found by its title).

The procurement started from the welfare-technology template's version that "Tryggere hverdag"
uses (its KPIs, and a use of the template in the arena) in the welfare domain. Its whole
timeline lies about thirteen months back (`timeline`, relative to the seed day, so a year of
benefit measurements from contract start exists whenever the demo is seeded): the same shortcut
writes the business times of every step (creation, phase transitions, invitation answers,
registrations, announcement, deadlines, tenders, opening) to the planned past ones, in the order
the steps happened. The audit log keeps the times the entries were recorded (it is
hash-chained and append-only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import g
from sqlalchemy import select

from core import isolation
from core.competition import opening, settings, tenders
from core.competition.models import Competition, Tender
from core.db import db, utcnow
from core.dialogue import invitation, registrations
from core.dialogue.demo import acting_as as acting_as_person
from core.dialogue.models import DialogueRegistration
from core.library import service as library
from core.library.models import TemplateVersion
from core.procurement import participants, service
from core.procurement.demo import acting_as, find_demo_procurement, pass_gate
from core.procurement.models import Participation, Phase, PhaseTransition, Procedure, Procurement
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


# Asker's mandate as it accepts the invitation (recorded by the award package); decided on
# `Timeline.asker_mandate`.
ASKER_MANDATE = {"decision_ref": "PS 31/26", "signatory": "Kommunedirektøren i Asker", "volume_nok": 14000000}
WELFARE_DOMAIN = "welfare_tech"


def _months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass(frozen=True)
class Timeline:
    """The planned times of "Digitalt tilsyn", all before the seed day, in the order they happen.

    The contracts start on the first day of the month a year before the seed day's month, so the
    twelve whole months from the contract start month end with last month; the contracts are
    signed a month before that (about thirteen months before the seed day), after the standstill
    that follows the award decision, which follows the opening of the tenders, and so on back
    to the creation of the procurement.
    """

    contract_start: date

    @property
    def created(self) -> datetime:
        return _at(self.contract_start - timedelta(days=300), 9)

    @property
    def needs(self) -> datetime:  # anchoring -> needs
        return self.created + timedelta(days=14)

    @property
    def baselines_measured(self) -> date:  # the buyers' baselines, before buying
        return (self.created + timedelta(days=45)).date()

    @property
    def dialogue(self) -> datetime:  # needs -> dialogue, the market dialogue opens
        return self.created + timedelta(days=60)

    @property
    def asker_mandate(self) -> date:
        return (self.announced - timedelta(days=30)).date()

    @property
    def baerum_mandate(self) -> date:
        return (self.announced - timedelta(days=34)).date()

    @property
    def competition(self) -> datetime:  # dialogue -> competition
        return self.announced - timedelta(days=1)

    @property
    def announced(self) -> datetime:
        return _at(self.contract_start - timedelta(days=150))

    @property
    def question_deadline(self) -> datetime:
        return self.tender_deadline - timedelta(days=10)

    @property
    def tender_deadline(self) -> datetime:
        return _at(self.contract_start - timedelta(days=115), 12)

    @property
    def opening_at(self) -> datetime:
        return self.tender_deadline + timedelta(hours=1)

    @property
    def opened(self) -> datetime:
        return self.opening_at + timedelta(minutes=10)

    @property
    def evaluation(self) -> datetime:  # competition -> evaluation
        return self.opened + timedelta(days=1)

    @property
    def scored(self) -> datetime:
        return self.tender_deadline + timedelta(days=14)

    @property
    def decided(self) -> datetime:  # the award decision, its letters sent
        return self.tender_deadline + timedelta(days=30)

    @property
    def standstill_ends(self) -> datetime:
        return self.decided + timedelta(days=10)

    @property
    def contract_phase(self) -> datetime:  # evaluation -> contract
        return self.standstill_ends + timedelta(days=1)

    @property
    def signed_on(self) -> date:
        return self.contract_start - timedelta(days=30)

    @property
    def contract_end(self) -> date:
        return self.contract_start.replace(year=self.contract_start.year + 3) - timedelta(days=1)

    @property
    def option_exercise_by(self) -> date:  # the extension is decided months before the end
        return _months_back(self.contract_end, 6)

    def month(self, offset: int) -> date:
        """The first day of the month `offset` months after the contract start month."""
        return _months_back(self.contract_start, -offset)


def timeline(today: date | None = None) -> Timeline:
    """The timeline for a demo seeded on `today` (Europe/Oslo's date by default)."""
    today = today or datetime.now(ZoneInfo("Europe/Oslo")).date()
    return Timeline(_months_back(today, 12))


def _welfare_version(template_version_id) -> TemplateVersion | None:
    """The welfare template's version "Tryggere hverdag" started from (the arena counts the use)."""
    if template_version_id is None:
        return None
    version = db.session.get(TemplateVersion, template_version_id)
    return version if version is not None and (version.content or {}).get("domain") == WELFARE_DOMAIN else None


def _ensure_procurement(template_version_id):
    procurement = find_demo_procurement(TITLE, "baerum")
    if procurement is not None:
        return procurement.id
    with acting_as(LEAD_OFFICER, "baerum"):
        version = _welfare_version(template_version_id)
        procurement = service.create_procurement(
            get_tenant("baerum"), title=TITLE, procedure=Procedure.open, estimated_value_ore=3_200_000_000,
            domain=WELFARE_DOMAIN, template_version_id=version.id if version is not None else None,
            description="Felles anskaffelse av digitalt tilsyn (sensorer og kamera med samtykke) for "
                        "hjemmeboende i Asker og Bærum.")
        if version is not None:
            library.record_use(version, procurement.lead_tenant_id, procurement.id)
        participants.invite(procurement.id, "asker", "buyer")
        pid = procurement.id
    db.session.commit()
    with acting_as("admin@asker.demo", "asker"):
        participants.respond(pid, get_tenant("asker"), accept=True,
                             terms={**ASKER_MANDATE, "decided_on": timeline().asker_mandate.isoformat()})
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        participants.add_member(pid, "officer@asker.demo", "member")
        for _phase in (Phase.anchoring, Phase.needs):
            pass_gate(pid, "Demo: gjennomført før Samspill ble tatt i bruk; dokumentert i arkivet.")
        invitation.open_dialogue(pid)
    db.session.commit()
    return pid


def seed(passwords: dict[str, str]) -> None:
    first = find_demo_procurement("Tryggere hverdag", "baerum")
    if first is None:
        return  # the demo's tenants and people are not there (a blocked domain plugin)
    pid = _ensure_procurement(first.template_version_id)
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
    plan = timeline()
    with isolation.system_scope():  # the demo's shortcut: the deadlines have passed (long ago)
        competition = db.session.execute(select(Competition).where(Competition.procurement_id == pid)).scalar_one()
        competition.question_deadline = plan.question_deadline
        competition.tender_deadline = plan.tender_deadline
        competition.opening_at = plan.opening_at
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        opening.open_tenders(pid)
    db.session.commit()
    backdate(pid, plan)
    db.session.commit()


def backdate(pid, plan: Timeline) -> None:
    """The demo's shortcut: the business times of the steps so far to the planned past ones (the
    order of the steps is kept: creation, invitation answer, phases, registrations, announcement,
    tenders, deadlines, opening)."""
    with isolation.system_scope():
        procurement = db.session.get(Procurement, pid)
        procurement.created_at = plan.created
        procurement.dialogue_opened_at = plan.dialogue
        for participation in db.session.execute(select(Participation).where(
                Participation.procurement_id == pid)).scalars():
            participation.procurement_created_at = plan.created
            participation.created_at = plan.created
            participation.responded_at = plan.created + timedelta(days=7) \
                if participation.responded_at is not None else None
        moved = {Phase.needs.value: plan.needs, Phase.dialogue.value: plan.dialogue,
                 Phase.competition.value: plan.competition}
        for transition in db.session.execute(select(PhaseTransition).where(
                PhaseTransition.procurement_id == pid)).scalars():
            transition.at = moved.get(transition.to_phase, transition.at)
        for index, registration in enumerate(db.session.execute(select(DialogueRegistration).where(
                DialogueRegistration.procurement_id == pid).order_by(DialogueRegistration.created_at)).scalars()):
            registration.created_at = plan.dialogue + timedelta(days=7 + index)
        competition = db.session.execute(select(Competition).where(Competition.procurement_id == pid)).scalar_one()
        competition.announced_at = plan.announced
        if competition.opened_at is not None:
            competition.opened_at = plan.opened
        for index, tender in enumerate(db.session.execute(select(Tender).where(
                Tender.procurement_id == pid).order_by(Tender.created_at)).scalars()):
            tender.submitted_at = plan.tender_deadline - timedelta(days=5 - 2 * index) \
                if tender.submitted_at is not None else None
            tender.withdrawn_at = tender.submitted_at - timedelta(days=1) \
                if tender.withdrawn_at is not None and tender.submitted_at is not None else tender.withdrawn_at


def _supplier_id():
    return g.supplier_id  # the supplier `acting_as_person` acts for
