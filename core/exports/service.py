"""Asking for an export, making it (in a job or in the request) and reading it back.

- `request_export(procurement_id, kind, params)`: the kind's access check as the caller, then a
  `queued` record (the caller commits); `start(export)` queues the job `exports.render` keyed by
  the export's id when a queue is configured, else makes the file right away (the embedded
  default). A retried or twice-delivered job finds the record done and does nothing; a job that
  dies half-way writes the same key again, so one export never leaves two files or records.
- The job runs as the person who asked (their principal and tenant scope, their language), so
  the kind's renderer applies the same rules as in a request; an access or input problem fails
  the export for good, anything else is retried by the queue with backoff.
- `get(export_id)` / `ready(export_id)`: the kind's access rule again (404 for anyone who may
  not make this export, another tenant's people included).
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from flask import current_app, g
from flask_babel import force_locale, get_locale
from sqlalchemy import func, select

from core import files, isolation
from core.access import require_user
from core.auth import principal_for
from core.db import db, utcnow
from core.errors import DomainError, NotFound
from core.exports.kinds import ExportKind, kind_named
from core.exports.models import Export, ExportStatus
from core.i18n import _l
from core.identity.models import User
from core.jobs import queue as jobs
from core.ops.metrics import Sample
from core.plugin_platform.host import require_procurement

log = logging.getLogger(__name__)
JOB = "exports.render"
SPOOL_BYTES = 1024 * 1024


def storage_key(export: Export, kind: ExportKind) -> str:
    """`procurements/<procurement id>/exports/<export id>.<ext>`: fixed by the export's id."""
    return f"{files.owner_prefix(procurement_id=export.procurement_id)}/exports/{export.id}.{kind.extension}"


def request_export(procurement_id: uuid.UUID, kind_name: str, params: dict[str, Any] | None) -> Export:
    """A new export for the caller, after the kind's access check (404/403/422 as the direct
    download would answer); not yet made — call `start` after the commit."""
    principal = require_user()
    require_procurement(procurement_id)  # an unseen procurement is 404 before any word on the input
    kind = kind_named(kind_name)
    cleaned = kind.check(procurement_id, dict(params or {}))
    export = Export(procurement_id=procurement_id, requested_by_id=principal.user.id, kind=kind.name,
                    params=cleaned, locale=str(get_locale() or "nb"), status=ExportStatus.queued.value)
    db.session.add(export)
    db.session.flush()
    return export


def start(export: Export) -> bool:
    """Queue the committed export's job (True), or make it now without a queue (False)."""
    if jobs.configured():
        try:
            jobs.enqueue(JOB, key=str(export.id), export_id=str(export.id))  # False: queued already
            return True
        except Exception:  # Redis away: make it in the request rather than leave it queued forever
            log.exception("could not queue export %s; making it in the request", export.id)
    _make(export.id, as_requester=False)
    return False


def _visible(export_id: uuid.UUID) -> Export:
    export = db.session.get(Export, export_id)
    if export is None:
        raise NotFound(_l("No such export."))
    try:
        kind = kind_named(export.kind)
        kind.check(export.procurement_id, dict(export.params))
    except DomainError:
        raise NotFound(_l("No such export.")) from None
    return export


def get(export_id: uuid.UUID) -> Export:
    """The export, for whoever may make that export of that procurement (else 404)."""
    require_user()
    return _visible(export_id)


def ready(export_id: uuid.UUID) -> Export:
    """The done export whose file may be downloaded (404 until it is done, and for others)."""
    export = get(export_id)
    if export.status != ExportStatus.done.value or not export.file_key:
        raise NotFound(_l("The export is not ready."))
    return export


def run_job(export_id: str) -> None:
    """The job `exports.render`: make the export once, as the person who asked."""
    _make(uuid.UUID(export_id), as_requester=True)


def _claim(export_id: uuid.UUID) -> Export | None:
    """The export marked running (None when it is gone or already done or failed)."""
    with isolation.system_scope():
        export = db.session.get(Export, export_id, populate_existing=True)
        if export is None or export.status in (ExportStatus.done.value, ExportStatus.failed.value):
            db.session.rollback()
            return None
        export.status, export.started_at = ExportStatus.running.value, utcnow()
        export.attempts += 1
        db.session.commit()
        return export


def _finish(export_id: uuid.UUID, **changes: Any) -> None:
    with isolation.system_scope():
        export = db.session.get(Export, export_id, populate_existing=True)
        for name, value in changes.items():
            setattr(export, name, value)
        export.finished_at = utcnow() if changes.get("status") in (ExportStatus.done.value,
                                                                   ExportStatus.failed.value) else None
        db.session.commit()


@contextmanager
def _as_requester(user_id: uuid.UUID, locale: str) -> Iterator[None]:
    """The requester's principal, tenant scope and language (the job has no request of its own)."""
    with current_app.test_request_context(), force_locale(locale):
        with isolation.system_scope():
            user = db.session.get(User, user_id)
        if user is None or not user.is_active:
            raise NotFound(_l("No such export."))
        principal = principal_for(user)
        g.principal = principal
        isolation.set_scope(principal.tenant_ids)
        yield


def _make(export_id: uuid.UUID, *, as_requester: bool) -> None:
    export = _claim(export_id)
    if export is None:
        return
    procurement_id, params, locale = export.procurement_id, dict(export.params), export.locale
    try:
        kind = kind_named(export.kind)
        key = storage_key(export, kind)
        with _as_requester(export.requested_by_id, locale) if as_requester else nullcontext():
            kind.check(procurement_id, params)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
                filename = kind.render(procurement_id, params, out)
                size = out.tell()
                out.seek(0)
                files.file_store().save(key, out, kind.content_type)
        db.session.rollback()  # the renderer only read
    except DomainError as exc:  # no access any more, or bad parameters: retrying will not help
        db.session.rollback()
        _finish(export_id, status=ExportStatus.failed.value, error=f"{type(exc).__name__}: {exc.detail}"[:2000])
        return
    except Exception as exc:
        db.session.rollback()
        retries = int(current_app.config.get("SAMSPILL_JOB_MAX_RETRIES", 8))
        gave_up = not as_requester or export.attempts > retries
        _finish(export_id, status=(ExportStatus.failed if gave_up else ExportStatus.queued).value,
                error=f"{type(exc).__name__}: {exc}"[:2000])
        if as_requester:
            raise  # the queue retries with backoff
        log.exception("export %s failed", export_id)
        return
    _finish(export_id, status=ExportStatus.done.value, file_key=key, filename=filename[:200],
            content_type=kind.content_type, size=size, error="")


def metric_samples() -> list[Sample]:
    """Exports by status (queued and running are the export jobs' backlog)."""
    with isolation.system_scope():
        rows = db.session.execute(select(Export.status, func.count()).group_by(Export.status)).all()
    counts = {str(status): count for status, count in rows}
    return [Sample("samspill_exports", "Exports by status (queued and running: waiting for a worker).",
                   counts.get(status.value, 0), {"status": status.value}) for status in ExportStatus]
