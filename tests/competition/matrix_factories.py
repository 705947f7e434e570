"""Teaches the foundation's isolation matrix the competition's URL variables.

`register(namespace)` is called from tests/foundation/test_isolation_matrix.py. The factory
announces tenant A's procurement's competition and lets the dialogue's matrix supplier submit a
tender with a file (not opened: the project group reads files only after the opening, which
tests/competition/test_sealing.py covers)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

from core import isolation
from core.db import db, utcnow


def _competition(w) -> dict[str, Any]:
    if "_competition" in w._values:
        return w._values["_competition"]
    from werkzeug.datastructures import FileStorage

    from core.competition import settings, tenders
    from core.dialogue.demo import acting_as
    from core.procurement.models import Phase, Procurement
    from tests.dialogue.matrix_factories import SUPPLIER_EMAIL, _dialogue

    _dialogue(w)  # the matrix supplier exists and is registered
    pid = uuid.UUID(w["procurement_id"])
    with w.app.test_request_context():
        with isolation.system_scope():
            db.session.get(Procurement, pid).phase = Phase.competition
            db.session.commit()
        now = utcnow()
        with acting_as("admin@a.example.no"):
            settings.save_settings(pid, {"tender_deadline": now + timedelta(days=20),
                                         "question_deadline": now + timedelta(days=10),
                                         "opening_at": now + timedelta(days=21), "qualification": []})
            settings.announce(pid)
        db.session.commit()
        with acting_as(SUPPLIER_EMAIL):
            meta = tenders.add_file(pid, FileStorage(io.BytesIO(b"tender\n"), "tender.txt"))
            own = tenders.save(pid, {"prices": [{"lot_id": None, "price_ore": 100}]}, submit=True)
            values = {"tender_id": str(own.tender.id), "file_id": meta["id"]}
        db.session.commit()
    w._values["_competition"] = values
    return values


def register(namespace: dict[str, Any]) -> None:
    factories, skip = namespace["FACTORIES"], namespace["OWNER_CONTROL_SKIP"]
    assert "tender_id" not in factories, "the URL variable tender_id already means something else in the matrix"
    factories["tender_id"] = lambda w: _competition(w)["tender_id"]
    for scope in ("competition_api:file_id", "supplier_competition:file_id"):
        factories[scope] = lambda w: _competition(w)["file_id"]
    skip["competition_api.OwnTender"] = "a supplier's own tender: tenant A's admin is no supplier"
    skip["competition_api.OwnTenderFile"] = "a supplier's own file: tenant A's admin is no supplier"
    skip["competition_api.TenderFileDownload"] = ("readable by the project group only after the opening "
                                                  "(tests/competition/test_sealing.py)")
    for rule in namespace["ALL_RULES"]:
        if rule.endpoint.startswith("supplier_competition.") and rule.arguments:
            skip[rule.endpoint] = ("a supplier's own page: tenant A's admin is no supplier; supplier isolation "
                                   "is tested in tests/competition/test_rules.py")
