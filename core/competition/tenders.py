"""A supplier's own tender: draft, submit, withdraw, resubmit — until the tender deadline.

- Any confirmed supplier organisation may tender in an announced competition (one tender each).
- Content: qualification answers (yes/no + text per question), a response per requirement,
  prices (per lot once lots exist, else one), business-secret markings with a reason, files.
  Everything the supplier wrote is sealed (`sealing`); in clear are only the status, the
  submission time and the receipt hash.
- Submitting needs every qualification question answered and a price. The receipt is the
  server time and the SHA-256 of the canonical submitted content (file hashes included).
- A submitted tender is withdrawn (DELETE) before it is changed; withdrawn tenders are listed in
  the opening protocol unless submitted again. A draft that was never submitted is discarded.
- After the tender deadline every write is refused with 409 and nothing is stored: checked at
  the start and again when the transaction commits (`core.deadlines.refuse_after`).
- Nothing about a tender reaches the project group before the opening: no audit entry naming
  the supplier, no notification; the group sees only the count of submitted tenders.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core import files, isolation
from core.competition import sealing
from core.competition.documents import TenderDocuments, is_absolute, tender_documents
from core.competition.models import Competition, Tender, TenderFile, TenderStatus
from core.competition.settings import announced, competition_of
from core.db import db
from core.deadlines import RowDeadline, database_now
from core.errors import Conflict, DeadlinePassed, NotFound, ValidationError
from core.i18n import _l
from core.procurement.access import Action, require
from core.procurement.models import Procurement
from core.suppliers.service import SupplierContext, require_supplier, supplier_context

MAX_TEXT = 20000
MAX_PRICE_ORE = 10**15
MAX_FILES = 20
MAX_ITEMS = 500


@dataclass
class SupplierInCompetition:
    context: SupplierContext
    competition: Competition
    procurement: Procurement

    @property
    def supplier_id(self) -> uuid.UUID:
        return self.context.supplier_id


def supplier_reads(procurement_id: uuid.UUID) -> SupplierInCompetition:
    """A confirmed supplier reading an announced competition (404 otherwise)."""
    context = require_supplier()
    competition = announced(procurement_id)
    with isolation.system_scope():  # an announced competition's procurement is a public notice
        procurement = db.session.get(Procurement, procurement_id)
    return SupplierInCompetition(context, competition, procurement)


def readable_competition(procurement_id: uuid.UUID) -> tuple[Procurement, Competition | None]:
    """The competition for the project group (also before it is announced), else for a supplier
    once it is announced; 404 for everyone else."""
    try:
        access = require(procurement_id, Action.read)
        return access.procurement, competition_of(procurement_id)
    except NotFound:
        if supplier_context() is None:
            raise
    actor = supplier_reads(procurement_id)
    return actor.procurement, actor.competition


def _deadline_error() -> DeadlinePassed:
    return DeadlinePassed(_l("The tender deadline has passed: nothing more is accepted."))


# The competition's tender deadline, read again at commit.
_TENDER_DEADLINE = RowDeadline(Competition.tender_deadline, Competition.procurement_id, "deadline_procurement_id")


def supplier_writes(procurement_id: uuid.UUID) -> SupplierInCompetition:
    """A supplier changing its tender: refused after the deadline, now and at commit."""
    actor = supplier_reads(procurement_id)
    if not actor.procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    if database_now(db.session) >= actor.competition.tender_deadline:
        raise _deadline_error()
    _TENDER_DEADLINE.refuse_after(db.session, procurement_id, _deadline_error)
    return actor


def own_tender(actor: SupplierInCompetition) -> Tender | None:
    return db.session.execute(select(Tender).where(
        Tender.procurement_id == actor.competition.procurement_id,
        Tender.supplier_id == actor.supplier_id)).scalar_one_or_none()


def empty_content() -> dict[str, Any]:
    return {"qualification": [], "responses": [], "prices": [], "business_secrets": [], "files": []}


def read_content(competition: Competition, tender: Tender, *, own_supplier: bool) -> dict[str, Any]:
    plain = sealing.unseal(competition, tender.sealed, sealing.aad("tender", tender.id), own_supplier=own_supplier)
    return json.loads(plain)


def _write_content(tender: Tender, content: dict[str, Any]) -> None:
    plain = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    tender.sealed = sealing.seal(tender.procurement_id, plain, sealing.aad("tender", tender.id))


def receipt_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical content (sorted keys, no spaces, UTF-8), file hashes included."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _text(value: Any, field: str, limit: int = MAX_TEXT) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise ValidationError(_l("The tender is not valid."),
                              errors={field: [_l("At most %(max)d characters.", max=limit)]})
    return text


def _list(data: dict[str, Any], name: str) -> list:
    value = data.get(name) or []
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValidationError(_l("The tender is not valid."), errors={name: [_l("A list is expected.")]})
    return value


def clean_content(competition: Competition, data: dict[str, Any], current: dict[str, Any],
                  documents: TenderDocuments) -> dict[str, Any]:
    """The tender's new content from the input (unknown questions and bad values refused)."""
    keys = {q["key"] for q in competition.qualification}
    qualification = []
    for i, item in enumerate(_list(data, "qualification")):
        if not isinstance(item, dict) or item.get("key") not in keys:
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"qualification.{i}.key": [_l("Unknown qualification question.")]})
        answer = item.get("answer")
        if answer not in (True, False, None):
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"qualification.{i}.answer": [_l("Yes or no.")]})
        qualification.append({"key": item["key"], "answer": answer,
                              "text": _text(item.get("text"), f"qualification.{i}.text")})
    responses = []
    requirement_ids = documents.requirement_ids
    for i, item in enumerate(_list(data, "responses")):
        if not isinstance(item, dict) or str(item.get("requirement_id") or "") not in requirement_ids:
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"responses.{i}.requirement_id": [_l("Unknown requirement.")]})
        responses.append({"requirement_id": str(item["requirement_id"]), "confirmed": bool(item.get("confirmed")),
                          "description": _text(item.get("description"), f"responses.{i}.description")})
    prices = []
    for i, item in enumerate(_list(data, "prices")):
        price = item.get("price_ore") if isinstance(item, dict) else None
        if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= MAX_PRICE_ORE:
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"prices.{i}.price_ore": [_l("A whole number of øre, 0 or more.")]})
        lot_id = str(item["lot_id"]) if item.get("lot_id") else None
        if (lot_id is None) != (not documents.lots) or (lot_id is not None and lot_id not in documents.lot_ids):
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"prices.{i}.lot_id": [_l("Give the price for one of the competition's "
                                                                    "lots (or for the whole when it has no lots).")]})
        prices.append({"lot_id": lot_id, "price_ore": price})
    secrets = []
    for i, item in enumerate(_list(data, "business_secrets")):
        part = _text(item.get("part") if isinstance(item, dict) else "", f"business_secrets.{i}.part", 500)
        reason = _text(item.get("reason") if isinstance(item, dict) else "", f"business_secrets.{i}.reason", 2000)
        if not part or not reason:
            raise ValidationError(_l("The tender is not valid."),
                                  errors={f"business_secrets.{i}.reason": [_l("Name the part and give a reason "
                                                                               "why it is a business secret.")]})
        secrets.append({"part": part, "reason": reason})
    kept = current.get("files", [])
    if "files" in data:
        wanted = {str(f) for f in _list(data, "files")}
        kept = [f for f in kept if f["id"] in wanted]
    return {"qualification": qualification, "responses": responses, "prices": prices,
            "business_secrets": secrets, "files": kept}


def _check_complete(competition: Competition, content: dict[str, Any], documents: TenderDocuments) -> None:
    answered = {q["key"] for q in content["qualification"] if q["answer"] is not None}
    errors: dict[str, list] = {}
    given = {r["requirement_id"]: r for r in content["responses"]}
    unanswered = [r for r in documents.requirements
                  if not (given.get(str(r.id), {}).get("confirmed") if is_absolute(r)
                          else given.get(str(r.id), {}).get("description"))]
    if unanswered:
        errors["responses"] = [_l("Respond to every requirement: confirm each absolute requirement and describe "
                                  "how you meet each evaluated one (%(n)d missing).", n=len(unanswered))]
    missing = [q for q in competition.qualification if q["key"] not in answered]
    if missing:
        errors["qualification"] = [_l("Answer every qualification question (%(n)d missing).", n=len(missing))]
    if not content["prices"]:
        errors["prices"] = [_l("Give a price.")]
    if errors:
        raise ValidationError(_l("The tender is not complete."), errors=errors)


def _new_tender(actor: SupplierInCompetition) -> Tender:
    tender = Tender(id=uuid.uuid4(), procurement_id=actor.competition.procurement_id,
                    supplier_id=actor.supplier_id, status=TenderStatus.draft, sealed=b"", submissions=0)
    _write_content(tender, empty_content())
    db.session.add(tender)
    return tender


@dataclass
class OwnTender:
    actor: SupplierInCompetition
    tender: Tender | None
    content: dict[str, Any]
    documents: TenderDocuments | None = None


def get_own(procurement_id: uuid.UUID) -> OwnTender:
    actor = supplier_reads(procurement_id)
    tender = own_tender(actor)
    content = read_content(actor.competition, tender, own_supplier=True) if tender else empty_content()
    return OwnTender(actor, tender, content, tender_documents(procurement_id))


def save(procurement_id: uuid.UUID, data: dict[str, Any], *, submit: bool = False) -> OwnTender:
    """Save the draft (and submit it when `submit`)."""
    actor = supplier_writes(procurement_id)
    tender = own_tender(actor)
    if tender is not None and tender.status == TenderStatus.submitted:
        raise Conflict(_l("The tender is submitted: withdraw it before you change it."))
    if tender is None:
        tender = _new_tender(actor)
    current = read_content(actor.competition, tender, own_supplier=True)
    documents = tender_documents(procurement_id)
    content = clean_content(actor.competition, data, current, documents)
    _drop_files(tender, {f["id"] for f in current["files"]} - {f["id"] for f in content["files"]})
    tender.status = TenderStatus.draft if tender.status == TenderStatus.draft else TenderStatus.withdrawn
    tender.updated_by_id = actor.context.user.id
    if submit:
        _check_complete(actor.competition, content, documents)
        tender.status, tender.submitted_at = TenderStatus.submitted, database_now(db.session)
        tender.receipt_sha256, tender.withdrawn_at = receipt_hash(content), None
        tender.submissions += 1
    _write_content(tender, content)
    db.session.flush()
    return OwnTender(actor, tender, content, documents)


def _drop_files(tender: Tender, ids: set[str]) -> None:
    if not ids:
        return
    for row in db.session.execute(select(TenderFile).where(
            TenderFile.tender_id == tender.id, TenderFile.id.in_([uuid.UUID(i) for i in ids]))).scalars():
        files.delete_after_commit(row.storage_key)
        db.session.delete(row)


def withdraw(procurement_id: uuid.UUID) -> Tender | None:
    """Withdraw a submitted tender (kept, marked withdrawn); discard a draft never submitted."""
    actor = supplier_writes(procurement_id)
    tender = own_tender(actor)
    if tender is None:
        raise NotFound(_l("You have no tender in this competition."))
    if tender.status == TenderStatus.submitted:
        tender.status, tender.withdrawn_at = TenderStatus.withdrawn, database_now(db.session)
        tender.updated_by_id = actor.context.user.id
        db.session.flush()
        return tender
    if tender.status == TenderStatus.withdrawn:
        raise Conflict(_l("The tender is already withdrawn."))
    for row in db.session.execute(select(TenderFile).where(TenderFile.tender_id == tender.id)).scalars():
        files.delete_after_commit(row.storage_key)
    db.session.delete(tender)
    db.session.flush()
    return None


def add_file(procurement_id: uuid.UUID, upload: FileStorage | None) -> dict[str, Any]:
    """Attach a file to the draft: checked like every upload, then encrypted before it is stored."""
    actor = supplier_writes(procurement_id)
    if upload is None or not upload.filename:
        raise ValidationError(_l("Choose a file."), errors={"file": [_l("Choose a file.")]})
    tender = own_tender(actor) or _new_tender(actor)
    if tender.status == TenderStatus.submitted:
        raise Conflict(_l("The tender is submitted: withdraw it before you change it."))
    content = read_content(actor.competition, tender, own_supplier=True)
    if len(content["files"]) >= MAX_FILES:
        raise ValidationError(_l("Too many files."), errors={"file": [_l("At most %(n)d files.", n=MAX_FILES)]})
    checked = files.check_upload(upload.stream, upload.filename)
    row = TenderFile(id=uuid.uuid4(), procurement_id=procurement_id, supplier_id=actor.supplier_id,
                     tender_id=tender.id, storage_key="")
    row.storage_key = files.save_bytes(sealing.seal(procurement_id, checked.data, sealing.aad("file", row.id)),
                                       owner=files.owner_prefix(procurement_id=procurement_id))
    db.session.add(row)
    meta = {"id": str(row.id), "filename": checked.filename, "content_type": checked.content_type,
            "size": len(checked.data), "sha256": checked.sha256}
    content["files"].append(meta)
    tender.updated_by_id = actor.context.user.id
    _write_content(tender, content)
    db.session.flush()
    return meta


def file_bytes(competition: Competition, tender: Tender, file_id: uuid.UUID, *,
               own_supplier: bool) -> tuple[dict[str, Any], bytes]:
    """A tender file's name and decrypted bytes (the caller decided who may read)."""
    content = read_content(competition, tender, own_supplier=own_supplier)
    meta = next((f for f in content["files"] if f["id"] == str(file_id)), None)
    row = db.session.get(TenderFile, file_id)
    if meta is None or row is None or row.tender_id != tender.id:
        raise NotFound(_l("No such file."))
    with files.file_store().open(row.storage_key) as handle:
        blob = handle.read()
    return meta, sealing.unseal(competition, blob, sealing.aad("file", row.id), own_supplier=own_supplier)


def own_file(procurement_id: uuid.UUID, file_id: uuid.UUID) -> tuple[dict[str, Any], bytes]:
    actor = supplier_reads(procurement_id)
    tender = own_tender(actor)
    if tender is None:
        raise NotFound(_l("No such file."))
    return file_bytes(actor.competition, tender, file_id, own_supplier=True)


def receipt(tender: Tender | None) -> dict[str, Any] | None:
    if tender is None or tender.submitted_at is None or tender.status != TenderStatus.submitted:
        return None
    return {"submitted_at": tender.submitted_at, "sha256": tender.receipt_sha256}


def deadline_passed(competition: Competition, now: datetime | None = None) -> bool:
    return (now or database_now(db.session)) >= competition.tender_deadline
