"""Files in the dialogue: conference presentations and supplier response attachments.

Bytes are stored through `core.files` (size limit, content sniffing, safe names, cleanup on
rollback); the row here decides who may read a file:

- presentation: the project group and every registered supplier;
- response attachment: the project group and the supplier that uploaded it — nobody else.
"""

from __future__ import annotations

import uuid

from flask import Response
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core import files
from core.db import db
from core.dialogue.models import AttachmentKind, DialogueAttachment, QuestionnaireResponse, ResponseStatus
from core.dialogue.rules import group_reads, reader, supplier_reads
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.suppliers.service import supplier_context


def store(procurement_id: uuid.UUID, kind: AttachmentKind, upload: FileStorage | None, *,
          uploaded_by_id: uuid.UUID, supplier_id: uuid.UUID | None = None,
          response_id: uuid.UUID | None = None) -> DialogueAttachment:
    if upload is None or not upload.filename:
        raise ValidationError(_l("Choose a file."), errors={"file": [_l("Choose a file.")]})
    stored = files.store_upload(upload.stream, upload.filename,
                                owner=files.owner_prefix(procurement_id=procurement_id))
    attachment = DialogueAttachment(
        id=uuid.uuid4(), procurement_id=procurement_id, supplier_id=supplier_id, kind=kind,
        response_id=response_id, filename=stored.filename, content_type=stored.content_type,
        size=stored.size, sha256=stored.sha256, storage_key=stored.key, uploaded_by_id=uploaded_by_id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def delete(attachment: DialogueAttachment) -> None:
    files.delete_after_commit(attachment.storage_key)
    db.session.delete(attachment)


def presentations(procurement_id: uuid.UUID) -> list[DialogueAttachment]:
    return list(db.session.execute(
        select(DialogueAttachment).where(DialogueAttachment.procurement_id == procurement_id,
                                         DialogueAttachment.kind == AttachmentKind.presentation)
        .order_by(DialogueAttachment.created_at, DialogueAttachment.id).limit(200)).scalars())


def readable_attachment(attachment_id: uuid.UUID, *, prefer_supplier: bool = False,
                        procurement_id: uuid.UUID | None = None) -> DialogueAttachment:
    """The attachment if the caller may read it; 404 otherwise (for every path that serves files)."""
    attachment = db.session.get(DialogueAttachment, attachment_id)
    if attachment is None or (procurement_id is not None and attachment.procurement_id != procurement_id):
        raise NotFound(_l("No such file."))
    pid = attachment.procurement_id
    if attachment.kind == AttachmentKind.presentation:
        reader(pid, prefer_supplier=prefer_supplier)
        return attachment
    context = supplier_context()
    if prefer_supplier and context is not None:
        actor = supplier_reads(pid)
        if attachment.supplier_id != actor.supplier_id:
            raise NotFound(_l("No such file."))
        return attachment
    try:
        group_reads(pid)
        if not _submitted(attachment):
            raise NotFound(_l("No such file."))  # drafts stay the supplier's own until submitted
        return attachment
    except NotFound:
        if context is None:
            raise
    actor = supplier_reads(pid)
    if attachment.supplier_id != actor.supplier_id:
        raise NotFound(_l("No such file."))
    return attachment


def _submitted(attachment: DialogueAttachment) -> bool:
    if attachment.response_id is None:
        return False
    response = db.session.get(QuestionnaireResponse, attachment.response_id)
    return response is not None and response.status == ResponseStatus.submitted


def download(attachment_id: uuid.UUID, *, prefer_supplier: bool = False,
             procurement_id: uuid.UUID | None = None) -> Response:
    attachment = readable_attachment(attachment_id, prefer_supplier=prefer_supplier, procurement_id=procurement_id)
    return files.download_response(attachment.storage_key, attachment.filename, attachment.content_type)
