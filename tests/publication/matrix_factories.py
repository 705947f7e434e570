"""Teaches the foundation's isolation matrix publication's URL variables and public pages."""

from __future__ import annotations

import uuid
from typing import Any

from core import isolation
from core.db import db


def _notice(w) -> str:
    from core.publication.models import DoffinStatus, Notice, NoticeKind

    pid = uuid.UUID(w["procurement_id"])
    with w.app.app_context(), isolation.system_scope():
        notice = Notice(procurement_id=pid, kind=NoticeKind.prior_information, subtype="E2",
                        xml="<PriorInformationNotice/>", validation={}, doffin_status=DoffinStatus.manual)
        db.session.add(notice)
        db.session.commit()
        return str(notice.id)


def register(namespace: dict[str, Any]) -> None:
    factories, public = namespace["FACTORIES"], namespace["PUBLIC"]
    assert "notice_id" not in factories, "the URL variable notice_id already means something else in the matrix"
    factories["notice_id"] = _notice
    why = "published once the dialogue is open, to anyone (tests/publication/test_public_pages.py, test_ocds.py)"
    for endpoint in ("publication_pages.procurement", "publication_api.ProcurementOcds",
                     "publication_api.ProcurementOcdsRecord"):
        public[endpoint] = why
