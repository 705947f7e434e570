"""Demo content of publication: what the prior information notice of "Tryggere hverdag" and the
contract and award notices of "Digitalt tilsyn" need (CPV codes, the planned competition date, a
contact telephone, innovation codes) and the register's answer for
the demo municipalities (the demo runs without Enhetsregisteret). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import isolation
from core.competition.demo import TITLE as FINISHED_TITLE
from core.competition.demo import timeline
from core.competition.settings import competition_of
from core.db import db
from core.dialogue.demo import DEMO_TITLE
from core.procurement.models import Procurement
from core.publication.models import RegisterCheck, RegisterStatus

# As Enhetsregisteret lists them (business address).
REGISTER = {
    "935478715": ("BÆRUM KOMMUNE", "SANDVIKA", "1304", "3201"),
    "964967636": ("ASKER KOMMUNE", "ASKER", "1383", "3203"),
    # the demo suppliers (the award notice names the winner with its address)
    "915345727": ("TRYGG TEKNOLOGI AS", "OSLO", "0150", "0301"),
    "914778271": ("OMSORGSDATA AS", "DRAMMEN", "3015", "3301"),
}
SUPPLIER_SIZES = {"915345727": "small", "914778271": "medium"}


def seed() -> None:
    with isolation.system_scope():
        for number, (name, city, postal_zone, municipality) in REGISTER.items():
            known = db.session.execute(select(RegisterCheck).where(RegisterCheck.org_number == number)).first()
            if known is None:
                db.session.add(RegisterCheck(org_number=number, name=name, status=RegisterStatus.active, city=city,
                                             postal_zone=postal_zone, municipality_number=municipality))
        procurement = db.session.execute(select(Procurement).where(Procurement.title == DEMO_TITLE)
                                         .order_by(Procurement.created_at)).scalars().first()
        if procurement is not None:
            if not procurement.cpv_codes:
                procurement.cpv_codes = ["85300000", "32500000"]
            if "competition_notice" not in (procurement.key_dates or {}):
                procurement.key_dates = {**(procurement.key_dates or {}), "competition_notice": "2027-04-01"}
            if "publication" not in (procurement.extension or {}):
                procurement.extension = {**(procurement.extension or {}), "publication": {
                    "contact_phone": "+47 67 50 40 50", "contact_email": "", "innovation": ["mar-nov"]}}
        finished = db.session.execute(select(Procurement).where(Procurement.title == FINISHED_TITLE)
                                      .order_by(Procurement.created_at)).scalars().first()
        if finished is not None:
            if not finished.cpv_codes:
                finished.cpv_codes = ["85300000", "72000000"]
            if "contract_start" not in (finished.key_dates or {}):
                plan = timeline()  # the contracts' planned start and end (the award demo signs them so)
                finished.key_dates = {**(finished.key_dates or {}), "contract_start": plan.contract_start.isoformat(),
                                      "contract_end": plan.contract_end.isoformat()}
            competition = competition_of(finished.id)
            if competition is not None and competition.announced_at and competition.tender_deadline \
                    and competition.announced_at >= competition.tender_deadline:
                # the competition demo moves the deadlines into the past; the announcement goes before them
                competition.announced_at = competition.tender_deadline - timedelta(days=30)
            if "publication" not in (finished.extension or {}):
                finished.extension = {**(finished.extension or {}), "publication": {
                    "contact_phone": "+47 67 50 40 50", "contact_email": "", "innovation": ["proc-innov"],
                    "supplier_sizes": SUPPLIER_SIZES, "subcontracting": {org: "no" for org in SUPPLIER_SIZES}}}
        db.session.commit()
