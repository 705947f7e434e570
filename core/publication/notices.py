"""eForms notices of a procurement: build, validate (XSD + schematron), store, queue for Doffin.

The notice of each kind is made by a builder registered through `samspill_notice_builders`
(this package: the prior information, contract and award notices; another plugin may add kinds).
Nothing is stored that fails validation: the caller gets 422 with every failed rule.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core import audit
from core.db import db, utcnow
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.plugin_platform.host import current_host
from core.procurement.access import Action, require
from core.procurement.models import ContractKind, ParticipantRole, Participation, ParticipationStatus, Procurement
from core.procurement.notice import notice_hint
from core.publication import settings
from core.publication.eforms.notice_data import NATIONAL, Buyer, NoticeData
from core.publication.eforms.validator import Result, validator_for
from core.publication.models import DoffinStatus, Notice, NoticeKind, RegisterCheck
from tenants.models import Tenant

OSLO = ZoneInfo("Europe/Oslo")
NATURE = {ContractKind.works: "works", ContractKind.goods_services: "services",
          ContractKind.social_services: "services"}


def nature_of(main_cpv: str, kind: ContractKind) -> str:
    """Works, supplies or services as the main CPV code says (eForms checks the two agree):
    45… works; below 45 and 48… supplies; the rest services."""
    if main_cpv[:2] == "45":
        return "works"
    if main_cpv[:2].isdigit() and (int(main_cpv[:2]) < 45 or main_cpv[:2] == "48"):
        return "supplies"
    return NATURE.get(kind, "services")


def cpv_codes(codes) -> list[str]:
    """eForms wants the 8 digits without the check digit ("85300000-2" -> "85300000"), once each."""
    seen: list[str] = []
    for code in codes or []:
        digits = str(code).split("-")[0].strip()
        if digits and digits not in seen:
            seen.append(digits)
    return seen


def validator():
    root = settings.standards_dir()
    return validator_for(root / settings.SDK, root / settings.SCHXSLT, settings.eforms_cache_dir())


def builders() -> dict[str, object]:
    found: dict[str, object] = {}
    for answer in current_host().call("samspill_notice_builders"):
        for kind, builder in (answer or {}).items():
            found.setdefault(kind, builder)
    return found


# NUTS-3 of each county of the 2024 county structure (the first two digits of the municipality
# number), as the eForms SDK 1.14's NUTS codelist has them (the codes its schematron accepts; NUTS
# 2024: Viken, Vestfold og Telemark and Troms og Finnmark split again). NO0B1 (Jan Mayen) and NO0B2
# (Svalbard) belong to no county. Check this table when the counties or the SDK change.
COUNTY_NUTS = {
    "03": "NO081",  # Oslo
    "31": "NO083",  # Østfold
    "32": "NO084",  # Akershus
    "33": "NO085",  # Buskerud
    "34": "NO020",  # Innlandet
    "39": "NO093",  # Vestfold
    "40": "NO094",  # Telemark
    "42": "NO092",  # Agder
    "11": "NO0A1",  # Rogaland
    "46": "NO0A2",  # Vestland
    "15": "NO0A3",  # Møre og Romsdal
    "50": "NO060",  # Trøndelag
    "18": "NO071",  # Nordland
    "55": "NO072",  # Troms
    "56": "NO073",  # Finnmark
}


def buyers_of(procurement: Procurement) -> list[Buyer]:
    """The lead and every active buyer, lead first; each must have an organisation number.
    Name and address come from the business register when it has answered."""
    rows = db.session.execute(
        select(Participation.role, Tenant.name, Tenant.org_number, Tenant.municipality_number,
               RegisterCheck.name.label("register_name"), RegisterCheck.city, RegisterCheck.postal_zone,
               RegisterCheck.municipality_number.label("register_municipality"))
        .join(Tenant, Tenant.id == Participation.tenant_id)
        .outerjoin(RegisterCheck, RegisterCheck.org_number == Tenant.org_number)
        .where(Participation.procurement_id == procurement.id,
               Participation.status == ParticipationStatus.active,
               Participation.role.in_([ParticipantRole.lead, ParticipantRole.buyer]))
        .order_by(Participation.role != ParticipantRole.lead, Tenant.name)
    ).all()
    missing = [row.name for row in rows if not row.org_number]
    if missing:
        raise ValidationError(
            _l("Every buyer needs an organisation number before a notice can be made."),
            errors={"buyers": [_l("No organisation number: %(names)s.", names=", ".join(missing))]})
    buyers = []
    for row in rows:
        municipality = row.register_municipality or row.municipality_number or ""
        buyers.append(Buyer(name=row.register_name or row.name, org_number=row.org_number, city=row.city or "",
                            postal_zone=row.postal_zone or "", nuts=COUNTY_NUTS.get(municipality[:2], "")))
    return buyers


def notice_data(procurement: Procurement, kind: str, contact_email: str) -> NoticeData:
    """The common data of every notice, from the procurement (raises 422 for gaps)."""
    errors: dict[str, list] = {}
    if not procurement.cpv_codes:
        errors["cpv_codes"] = [_l("Add at least one CPV code to the procurement.")]
    if not (procurement.description or "").strip():
        errors["description"] = [_l("Describe the procurement before making a notice.")]
    if errors:
        raise ValidationError(_l("The procurement lacks what the notice needs."), errors=errors)
    hint = notice_hint(procurement.estimated_value_ore, procurement.procedure, procurement.contract_kind)
    now = utcnow().astimezone(OSLO)
    offset = now.strftime("%z")
    zone = f"{offset[:3]}:{offset[3:]}"
    extension = procurement.extension if isinstance(procurement.extension, dict) else {}
    own = extension.get("publication") if isinstance(extension.get("publication"), dict) else {}
    innovation = own.get("innovation", [])
    data = NoticeData(
        kind=kind, subtype="", title=procurement.title, description=procurement.description.strip(),
        buyers=buyers_of(procurement), cpv_codes=cpv_codes(procurement.cpv_codes),
        contact_email=own.get("contact_email") or contact_email, contact_phone=str(own.get("contact_phone") or ""),
        issue_date=now.strftime("%Y-%m-%d") + zone,
        issue_time=now.strftime("%H:%M:%S") + zone,
        contract_nature=nature_of(cpv_codes(procurement.cpv_codes)[0], procurement.contract_kind),
        estimated_value=(Decimal(procurement.estimated_value_ore) / 100
                         if procurement.estimated_value_ore is not None else None),
        innovation=[str(code) for code in innovation] if isinstance(innovation, list) else [],
        above_threshold=hint.band == "eea",
    )
    data.review_body.org_number = settings.review_body_org_number()  # KOFA's: the operator's setting
    planned = (procurement.key_dates or {}).get("competition_notice")
    if isinstance(planned, str) and len(planned) >= 10:
        data.planned_date = planned[:10] + zone
    for extra in current_host().call("samspill_notice_data", procurement=procurement, kind=kind):
        if extra:
            data.extra.update(extra)
    return data


def invalid(result: Result) -> ValidationError:
    return ValidationError(
        _l("The notice does not pass the eForms rules (%(count)s failed).", count=len(result.failures)),
        errors={"notice": [f"{f.rule}: {f.message}" for f in result.failures[:100]]},
        failures=[f.as_dict() for f in result.failures[:100]])


def create(procurement_id: uuid.UUID, kind: str) -> Notice:
    """Build, validate and store a notice; queued for Doffin when it is configured."""
    access = require(procurement_id, Action.write)
    builder = builders().get(kind)
    if builder is None:
        raise ValidationError(_l("This kind of notice cannot be made yet."),
                              errors={"kind": [_l("Choose one of: %(kinds)s.", kinds=", ".join(sorted(builders())))]})
    procurement = access.procurement
    user = access.principal.user
    data = notice_data(procurement, kind, user.email)
    xml = builder(procurement, data)
    if data.subtype not in NATIONAL and not settings.review_body_org_number():
        # eForms wants every organisation's number (BR-BT-00501-0007); the standards copies name no
        # number for KOFA, so it is the operator's setting: say so instead of the rule id.
        raise ValidationError(
            _l("Notices at or above the EEA threshold name the complaints board (KOFA), "
               "and its organisation number is not configured."),
            errors={"review_body": [_l("Ask the operator to set the complaints board's organisation number "
                                       "(SAMSPILL_REVIEW_BODY_ORG_NUMBER).")]})
    result = validator().validate(xml)
    if not result.valid:
        raise invalid(result)
    configured = settings.doffin() is not None
    notice = Notice(id=data.notice_id, procurement_id=procurement.id, kind=NoticeKind(kind), subtype=data.subtype,
                    xml=xml.decode("utf-8"), validation=result.as_dict(), created_by_id=user.id,
                    doffin_status=DoffinStatus.pending if configured else DoffinStatus.manual,
                    doffin_next_attempt_at=utcnow() if configured else None)
    db.session.add(notice)
    db.session.flush()
    audit.record("notice.created", "notice", notice.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement.id, changes={"kind": kind, "subtype": data.subtype})
    return notice


def list_for(procurement_id: uuid.UUID) -> list[Notice]:
    require(procurement_id, Action.read)
    return list(db.session.execute(
        select(Notice).where(Notice.procurement_id == procurement_id)
        .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(200)).scalars())


def get(notice_id: uuid.UUID) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(_l("No such notice."))
    try:
        require(notice.procurement_id, Action.read)
    except NotFound:
        raise NotFound(_l("No such notice.")) from None
    return notice
