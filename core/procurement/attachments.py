"""Attachments on a procurement or on one of its needs (evidence), stored through `core.files`.

Access follows the procurement: reading a file needs read access, uploading needs write
access, deleting needs write access and being the uploader or a manager. An attachment id
that belongs to another procurement answers 404.
"""

from __future__ import annotations

import uuid
from typing import BinaryIO

from flask import Response
from sqlalchemy import select

from core import audit, files
from core.db import db
from core.errors import Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.procurement.access import Action, require
from core.procurement.models import Attachment, Need
from core.procurement.service import ensure_active


def list_attachments(procurement_id: uuid.UUID) -> list[Attachment]:
    """Every attachment of the procurement (need evidence included), oldest first."""
    require(procurement_id)
    return list(db.session.execute(
        select(Attachment).where(Attachment.procurement_id == procurement_id)
        .order_by(Attachment.created_at, Attachment.id)).scalars())


def upload(procurement_id: uuid.UUID, stream: BinaryIO | None, filename: str, *,
           need_id: uuid.UUID | None = None) -> Attachment:
    access = require(procurement_id, Action.write)
    ensure_active(access.procurement)
    if stream is None or not filename:
        raise ValidationError(_l("Choose a file."), errors={"file": [_l("Choose a file.")]})
    if need_id is not None:
        need = db.session.get(Need, need_id)
        if need is None or need.procurement_id != procurement_id:
            raise NotFound(_l("No such need."))
    stored = files.store_upload(stream, filename, owner=files.owner_prefix(procurement_id=procurement_id))
    attachment = Attachment(
        procurement_id=procurement_id, need_id=need_id, tenant_id=access.acting_tenant_id,
        filename=stored.filename, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, storage_key=stored.key, uploaded_by_id=access.principal.user.id)
    db.session.add(attachment)
    db.session.flush()
    audit.record("attachment.added", "attachment", attachment.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"after": {"filename": stored.filename, "content_type": stored.content_type,
                                    "size": stored.size, "sha256": stored.sha256,
                                    "need_id": str(need_id) if need_id else None}})
    return attachment


def get_attachment(procurement_id: uuid.UUID, attachment_id: uuid.UUID, action: Action = Action.read) -> Attachment:
    require(procurement_id, action)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.procurement_id != procurement_id:
        raise NotFound(_l("No such attachment."))
    return attachment


def download(procurement_id: uuid.UUID, attachment_id: uuid.UUID) -> Response:
    attachment = get_attachment(procurement_id, attachment_id)
    return files.download_response(attachment.storage_key, attachment.filename, attachment.content_type)


def delete(procurement_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
    access = require(procurement_id, Action.write)
    ensure_active(access.procurement)
    attachment = get_attachment(procurement_id, attachment_id, Action.write)
    if attachment.uploaded_by_id != access.principal.user.id and not access.can(Action.manage):
        raise Forbidden(_l("Only the person who uploaded the file or the lead can delete it."))
    files.delete_after_commit(attachment.storage_key)
    db.session.delete(attachment)
    db.session.flush()
    audit.record("attachment.deleted", "attachment", attachment_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"before": {"filename": attachment.filename, "sha256": attachment.sha256}})


def forget_files_of_need(need: Need) -> None:
    """A need is being deleted: its evidence rows go with it (cascade), the bytes after commit."""
    for key in db.session.execute(
            select(Attachment.storage_key).where(Attachment.need_id == need.id)).scalars():
        files.delete_after_commit(key)
