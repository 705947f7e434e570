"""The deadline rush: `samspill bench rush` — N suppliers (150) saving and submitting their
questionnaire responses during the last seconds (10) before the deadline, as wrk drives them over
`--connections` (48) against `samspill serve` with `--workers` (4).

A new questionnaire (three questions) is opened on the procurement of the benchmark tenant's
busiest questionnaire (or, when suppliers may no longer write there, on its writable procurement
with most registered suppliers), with its deadline a few seconds after the measured window; the first N
suppliers registered there (more are registered when there are too few) each get a one-day API
token. wrk then rotates over the suppliers, each request a `PUT /api/v1/questionnaires/<id>/
response` with `submit: true`: what a supplier's browser sends when its people press "send" again
and again as the clock runs out. Printed: throughput, p50/p90/p99, non-2xx answers, and how many
suppliers ended with a submitted response.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, g
from sqlalchemy import func, select

from bench import CEILING_ENV, runner, server, wrk
from bench.databases import env_var
from bench.endpoints import CEILING
from bench.targets import RUSH_QUESTIONNAIRE_TITLE, prepare_targets
from core import isolation
from core.app import create_app
from core.db import db, utcnow
from core.dialogue.models import (
    DialogueRegistration,
    QuestionKind,
    Questionnaire,
    QuestionnaireQuestion,
    QuestionnaireResponse,
    ResponseStatus,
)
from core.identity import service as identity
from core.identity.models import User
from core.procurement.models import Phase, Procurement, ProcurementStatus
from core.suppliers.models import SupplierMember

REQUEST = r"""
local tokens = {%(tokens)s}
local path = [==[%(path)s]==]
local body = [==[%(body)s]==]
local threads = %(threads)d
local counter = 0
-- wrk's threads take turns over the suppliers (thread k: k, k + threads, ...), so no supplier is
-- saved by two threads at the same moment: one supplier's people press "send" one at a time.
local started = 0
setup = function(thread)
  thread:set("offset", started)
  started = started + 1
end

request = function()
  local token = tokens[((offset or 0) + counter * threads) %% #tokens + 1]
  counter = counter + 1
  return wrk.format("PUT", path, {["Authorization"] = "Bearer " .. token,
                                  ["Content-Type"] = "application/json"}, body)
end

"""


@dataclass
class Rush:
    questionnaire_id: str
    procurement_id: str
    tokens: list[str]
    body: str
    deadline_in_s: float


def _suppliers(procurement_id, count: int, created_by_id) -> list[tuple]:
    """(supplier id, one of its people) for `count` suppliers registered in the dialogue."""
    member = (select(SupplierMember.supplier_id, func.min(SupplierMember.user_id.cast(db.String)).label("uid"))
              .group_by(SupplierMember.supplier_id).subquery())
    registered = list(db.session.execute(
        select(member.c.supplier_id, member.c.uid)
        .join(DialogueRegistration, DialogueRegistration.supplier_id == member.c.supplier_id)
        .where(DialogueRegistration.procurement_id == procurement_id).limit(count)).all())
    if len(registered) < count:
        more = list(db.session.execute(
            select(member.c.supplier_id, member.c.uid)
            .where(member.c.supplier_id.not_in(select(DialogueRegistration.supplier_id)
                                               .where(DialogueRegistration.procurement_id == procurement_id)))
            .limit(count - len(registered))).all())
        for supplier_id, _uid in more:
            db.session.add(DialogueRegistration(procurement_id=procurement_id, supplier_id=supplier_id,
                                                registered_by_id=created_by_id))
        registered += more
    return registered


def rush_procurement(app: Flask, tenant_id, preferred):
    """The procurement to rush on: the busiest questionnaire's (`preferred`) when suppliers may
    still write in its dialogue, else the tenant's writable procurement with most registered
    suppliers. (A completed or frozen procurement answers every save with 409: at some scales
    the busiest questionnaire's procurement has moved on to the contract.)"""
    writable = (Procurement.dialogue_open.is_(True), Procurement.status == ProcurementStatus.active,
                Procurement.phase.in_([Phase.anchoring, Phase.needs, Phase.dialogue]))
    with app.app_context(), isolation.system_scope():
        if db.session.execute(select(Procurement.id).where(Procurement.id == preferred, *writable)).first():
            return preferred
        return db.session.execute(
            select(Procurement.id)
            .outerjoin(DialogueRegistration, DialogueRegistration.procurement_id == Procurement.id)
            .where(Procurement.lead_tenant_id == tenant_id, *writable)
            .group_by(Procurement.id).order_by(func.count(DialogueRegistration.id).desc(), Procurement.id)
            .limit(1)).scalar_one()


def prepare(app: Flask, procurement_id, officer_email: str, suppliers: int, deadline_in_s: float) -> Rush:
    """The questionnaire, the registrations and the suppliers' tokens (committed)."""
    with app.app_context(), isolation.system_scope():
        g.audit_actor_label = "bench"
        officer = identity.find_user_by_email(officer_email)
        now = utcnow()
        questionnaire = Questionnaire(procurement_id=procurement_id, title=RUSH_QUESTIONNAIRE_TITLE,
                                      intro="Svar før fristen.", deadline=now + timedelta(seconds=deadline_in_s),
                                      opened_at=now, created_by_id=officer.id)
        db.session.add(questionnaire)
        db.session.flush()
        questions = [
            QuestionnaireQuestion(questionnaire_id=questionnaire.id, procurement_id=procurement_id, position=1,
                                  kind=QuestionKind.text, text="Beskriv løsningen", required=True),
            QuestionnaireQuestion(questionnaire_id=questionnaire.id, procurement_id=procurement_id, position=2,
                                  kind=QuestionKind.choice, text="Modenhet", options=["Idé", "Pilot", "I drift"]),
            QuestionnaireQuestion(questionnaire_id=questionnaire.id, procurement_id=procurement_id, position=3,
                                  kind=QuestionKind.multichoice, text="Standarder", options=["SCAIP", "Normen"]),
        ]
        db.session.add_all(questions)
        db.session.flush()
        chosen = _suppliers(procurement_id, suppliers, officer.id)
        tokens = [identity.create_token(db.session.get(User, uid), "bench-rush", 1).secret
                  for _sid, uid in chosen]
        body = json.dumps({"answers": [
            {"question_id": str(questions[0].id), "value": "Alarm med toveis tale og responssenter døgnet rundt."},
            {"question_id": str(questions[1].id), "value": "Pilot"},
            {"question_id": str(questions[2].id), "value": ["SCAIP"]}], "submit": True}, ensure_ascii=False)
        rush = Rush(str(questionnaire.id), str(procurement_id), tokens, body, deadline_in_s)
        # The deadline counts from now, when the rush can start: making 150 tokens takes seconds on
        # a loaded machine, and a deadline set before them could pass before the first request.
        questionnaire.deadline = utcnow() + timedelta(seconds=deadline_in_s)
        db.session.commit()
        return rush


def submitted(app: Flask, questionnaire_id: str) -> int:
    with app.app_context(), isolation.system_scope():
        return db.session.execute(select(func.count()).select_from(QuestionnaireResponse).where(
            QuestionnaireResponse.questionnaire_id == questionnaire_id,
            QuestionnaireResponse.status == ResponseStatus.submitted)).scalar_one()


def script(rush: Rush, threads: int = 1) -> str:
    done = "done = function" + wrk.LUA.split("done = function", 1)[1]
    return (REQUEST + done) % {"tokens": ", ".join(f"[==[{t}]==]" for t in rush.tokens),
                               "path": f"/api/v1/questionnaires/{rush.questionnaire_id}/response",
                               "body": rush.body, "marker": wrk.MARKER, "threads": threads}


def drive(base_url: str, rush: Rush, *, seconds: float, connections: int, threads: int) -> wrk.WrkResult:
    binary = shutil.which("wrk")
    if binary is None:
        raise wrk.WrkMissing("wrk is not installed; on Debian: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="samspill-rush-") as tmp:
        path = Path(tmp) / "rush.lua"
        path.write_text(script(rush, threads))
        out = subprocess.run([binary, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",  # noqa: S603
                              "--timeout", "10s", "-s", str(path), base_url],
                             capture_output=True, text=True, timeout=seconds + 60, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    return wrk.parse_output(out.stdout)


def run(settings, scale: float, suppliers: int, seconds: float, echo) -> dict:
    """Prepare the data and the rush, start the server, measure the ceiling and the rush."""
    instance = settings.out / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    database = runner._prepare_database(settings, scale, echo)
    with env_var(CEILING_ENV, "1"):  # the ceiling route exists in this app too (`availability`)
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.app_url, "INSTANCE_PATH": str(instance)})
    targets = prepare_targets(app)
    if not targets.questionnaire:
        raise RuntimeError("the data has no questionnaire to rush on")
    env = server.server_env(database.app_url, instance)
    running = server.start(env, settings.workers, settings.out / f"rush-server-s{scale:g}.log")
    try:
        server.wait_for_workers(running, settings.workers)
        ceiling = runner._measure(app, running.base_url, CEILING, targets, settings)
        # The window ends a little before the deadline: every request is one a supplier may send.
        procurement_id = rush_procurement(app, targets.tenant_id, targets.questionnaire[0])
        rush = prepare(app, procurement_id, targets.email, suppliers, settings.warmup + seconds + 3)
        if settings.warmup > 0:
            drive(running.base_url, rush, seconds=settings.warmup, connections=settings.connections,
                  threads=settings.threads)
        result = drive(running.base_url, rush, seconds=seconds, connections=settings.connections,
                       threads=settings.threads)
    finally:
        server.stop_process(running.process)
    report = {"scale": scale, "database": settings.database, "workers": settings.workers,
              "connections": settings.connections, "suppliers": len(rush.tokens), "seconds": seconds,
              "ceiling_rps": ceiling.get("rps"), **result.as_dict(),
              "submitted": submitted(app, rush.questionnaire_id)}
    echo(f"deadline rush: {report['suppliers']} suppliers, {settings.connections} connections, "
         f"{settings.workers} workers, {seconds:g} s: {result.rps:.1f} req/s, p50 {result.p50_ms:.0f} ms, "
         f"p90 {result.p90_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, errors {result.errors or 'none'}; "
         f"{report['submitted']} submitted; ceiling {ceiling.get('rps')} req/s")
    return report
