"""Enhetsregisteret (Brønnøysund's open API): names and standing of organisation numbers.

At tenant creation and supplier sign-up the number is looked up (`check_new_organisations`,
a session hook: new `Tenant` and `SupplierOrganisation` rows take the register's name); the
answer is kept in `publication_register_checks` and shown to buyers (bankruptcy, winding-up,
deletion). When the register cannot be reached the organisation is created anyway, marked
`not_verified`, and `samspill publication recheck-register` tries again later. Without the
`SAMSPILL_BRREG_URL` setting nothing is looked up (numbers are only checksum-checked).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.db import db, utcnow
from core.dialogue.models import DialogueRegistration
from core.publication.models import RegisterCheck, RegisterStatus
from core.suppliers.models import SupplierOrganisation
from tenants.models import Tenant

log = logging.getLogger(__name__)
CONCERNS = {RegisterStatus.bankrupt, RegisterStatus.winding_up, RegisterStatus.forced_dissolution,
            RegisterStatus.deleted, RegisterStatus.unknown}


@dataclass
class Entry:
    """What the register said about one number."""

    status: RegisterStatus
    name: str = ""
    deleted_on: str = ""
    city: str = ""
    postal_zone: str = ""
    municipality_number: str = ""


def base_url() -> str | None:
    url = current_app.config.get("SAMSPILL_BRREG_URL")
    return url.rstrip("/") if url else None


def lookup(org_number: str) -> Entry:
    """Ask the register; `not_verified` when it cannot be reached or answers nonsense."""
    url = base_url()
    if url is None:
        return Entry(RegisterStatus.not_verified)
    timeout = float(current_app.config.get("SAMSPILL_BRREG_TIMEOUT") or 5)
    try:
        response = requests.get(f"{url}/enheter/{org_number}", timeout=timeout,
                                headers={"Accept": "application/json"})
        if response.status_code in (404, 410):
            return Entry(RegisterStatus.unknown)
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.warning("Enhetsregisteret not reachable for %s: %s", org_number, exc)
        return Entry(RegisterStatus.not_verified)
    return entry_from(body)


def entry_from(body: dict) -> Entry:
    if body.get("slettedato"):
        status = RegisterStatus.deleted
    elif body.get("konkurs"):
        status = RegisterStatus.bankrupt
    elif body.get("underTvangsavviklingEllerTvangsopplosning"):
        status = RegisterStatus.forced_dissolution
    elif body.get("underAvvikling"):
        status = RegisterStatus.winding_up
    else:
        status = RegisterStatus.active
    address = body.get("forretningsadresse") or body.get("postadresse") or {}
    return Entry(status, name=str(body.get("navn") or "")[:300], deleted_on=str(body.get("slettedato") or "")[:10],
                 city=str(address.get("poststed") or "")[:120], postal_zone=str(address.get("postnummer") or "")[:10],
                 municipality_number=str(address.get("kommunenummer") or "")[:4])


def remember(session: Session, org_number: str, entry: Entry) -> RegisterCheck:
    """Store the answer; a `not_verified` answer never overwrites what the register said before."""
    check = session.execute(select(RegisterCheck).where(RegisterCheck.org_number == org_number)).scalar_one_or_none()
    if check is None:
        check = RegisterCheck(org_number=org_number, status=entry.status)
        session.add(check)
    elif entry.status == RegisterStatus.not_verified and check.status != RegisterStatus.not_verified:
        return check
    check.status = entry.status
    check.checked_at = utcnow()
    for name in ("name", "deleted_on", "city", "postal_zone", "municipality_number"):
        if getattr(entry, name) or entry.status != RegisterStatus.not_verified:
            setattr(check, name, getattr(entry, name))
    return check


def check(org_number: str) -> RegisterCheck:
    return remember(db.session, org_number, lookup(org_number))


def checks_for(org_numbers) -> dict[str, RegisterCheck]:
    numbers = sorted({n for n in org_numbers if n})
    if not numbers:
        return {}
    rows = db.session.execute(select(RegisterCheck).where(RegisterCheck.org_number.in_(numbers))).scalars()
    return {row.org_number: row for row in rows}


def dialogue_suppliers(procurement_id) -> list[SupplierOrganisation]:
    """The suppliers registered in the procurement's dialogue (callers checked group access)."""
    return list(db.session.execute(
        select(SupplierOrganisation)
        .join(DialogueRegistration, DialogueRegistration.supplier_id == SupplierOrganisation.id)
        .where(DialogueRegistration.procurement_id == procurement_id)
        .order_by(SupplierOrganisation.name).limit(500)).scalars())


def recheck_unverified(limit: int = 200) -> tuple[int, int]:
    """Ask again for every number marked `not_verified`; (verified now, still not verified)."""
    rows = list(db.session.execute(
        select(RegisterCheck).where(RegisterCheck.status == RegisterStatus.not_verified)
        .order_by(RegisterCheck.checked_at, RegisterCheck.id).limit(limit)).scalars())
    verified = 0
    for row in rows:
        entry = lookup(row.org_number)
        remember(db.session, row.org_number, entry)
        if entry.status != RegisterStatus.not_verified:
            verified += 1
            rename(row.org_number, entry.name)
    db.session.commit()
    return verified, len(rows) - verified


def rename(org_number: str, name: str) -> None:
    """Use the register's name for the organisations with this number."""
    if not name:
        return
    for model in (Tenant, SupplierOrganisation):
        for obj in db.session.execute(select(model).where(model.org_number == org_number)).scalars():
            obj.name = name[:200]


def _before_flush(session: Session, _context, _instances) -> None:
    if not has_app_context() or base_url() is None:
        return
    for obj in list(session.new):
        if isinstance(obj, (Tenant, SupplierOrganisation)) and obj.org_number:
            entry = lookup(obj.org_number)
            if entry.name:
                obj.name = entry.name[:200]
            remember(session, obj.org_number, entry)


def install() -> None:
    """Look up new tenants and suppliers as they are written (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
