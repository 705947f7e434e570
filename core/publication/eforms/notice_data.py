"""What a notice is built from: the procurement's buyers, subject, CPV codes and value.

`NoticeData` is computed by the publication service from the procurement; a notice builder
(this package's prior information notice, or the contract and award notices the competition and
award domains register through `samspill_notice_builders`) turns it into eForms XML.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any


@dataclass
class Buyer:
    """A contracting party: its name and organisation number as the register knows them."""

    name: str
    org_number: str
    city: str = ""
    postal_zone: str = ""
    nuts: str = ""
    email: str = ""
    website: str = ""
    telephone: str = ""


NATIONAL = {"E1", "E2", "E3", "E4", "E5", "E6"}
# The review body for Norwegian procurements (the complaints board, KOFA); its organisation
# number comes from the `SAMSPILL_REVIEW_BODY_ORG_NUMBER` setting (see the README).
REVIEW_BODY = Buyer(name="Klagenemnda for offentlige anskaffelser (KOFA)", org_number="", city="Bergen",
                    postal_zone="5805", nuts="NO0A2", email="postmottak@kofa.no", telephone="+47 55 59 75 00")


@dataclass
class NoticeData:
    kind: str
    subtype: str
    title: str
    description: str
    buyers: list[Buyer]
    cpv_codes: list[str]
    contact_email: str
    contact_phone: str = ""
    notice_id: uuid.UUID = field(default_factory=uuid.uuid4)
    version: int = 1
    issue_date: str = ""   # "YYYY-MM-DD+01:00" (Oslo offset)
    issue_time: str = ""   # "HH:MM:SS+01:00"
    planned_date: str = ""
    contract_nature: str = "services"
    estimated_value: Decimal | None = None  # NOK
    language: str = "ENG"  # the EU SDK allows EU languages only (DFØ's SDK adds NOR)
    place_nuts: str = ""
    legal_basis: str = "Lov om offentlige anskaffelser (LOA) og anskaffelsesforskriften (FOA) del I og II"
    innovation: list[str] = field(default_factory=list)  # BT-776 codes (contract notices)
    above_threshold: bool = False
    # Stage data contributed by the competition and award domains (lots, tenders, results).
    extra: dict[str, Any] = field(default_factory=dict)

    review_body: Buyer = field(default_factory=lambda: replace(REVIEW_BODY))

    def parties(self) -> list[Buyer]:
        """Every organisation in the notice: the buyers, then the review body (subtype 4 only)."""
        return self.buyers + ([self.review_body] if self.subtype not in NATIONAL else [])

    @property
    def customization_id(self) -> str:
        return "eforms-sdk-1.14"

    @staticmethod
    def org_ref(index: int) -> str:
        return f"ORG-{index:04d}"
