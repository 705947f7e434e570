"""Demo content of publication: what the prior information notice of "Tryggere hverdag" needs
(CPV codes, the planned competition date, a contact telephone) and the register's answer for
the demo municipalities (the demo runs without Enhetsregisteret). Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from core import isolation
from core.db import db
from core.dialogue.demo import DEMO_TITLE
from core.procurement.models import Procurement
from core.publication.models import RegisterCheck, RegisterStatus

# As Enhetsregisteret lists them (business address).
REGISTER = {
    "935478715": ("BÆRUM KOMMUNE", "SANDVIKA", "1304", "3201"),
    "964967636": ("ASKER KOMMUNE", "ASKER", "1383", "3203"),
}


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
        db.session.commit()
