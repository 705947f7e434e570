"""Two benchmark runs on one database keep their own sign-ins (`bench.targets.give_password`)."""

from __future__ import annotations

from bench.cpu import prepare, sign_in
from bench.databases import prepare_sqlite
from bench.targets import prepare_targets


def test_a_second_run_does_not_sign_out_the_first(tmp_path):
    found = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    app, first = prepare(found.app_url, tmp_path / "instance")
    client = app.test_client()
    name, _, value = first.cookie.partition("=")
    client.set_cookie(name, value)
    dashboard = f"/t/{first.tenant_slug}/"
    assert client.get(dashboard).status_code == 200

    second = prepare_targets(app)  # another run preparing the same person on the same data

    assert second.email == first.email and second.password != first.password
    assert client.get(dashboard).status_code == 200  # the first run's session still works
    assert sign_in(app, second).startswith(f"{name}=")  # and the second run signs in with its own


def test_the_later_phase_page_is_measured_on_a_led_procurement_past_the_dialogue(tmp_path):
    from sqlalchemy import select

    from bench.endpoints import ENDPOINTS, availability
    from bench.targets import LATER_PHASES
    from core import isolation
    from core.db import db
    from core.procurement.models import Procurement, ProcurementStatus

    found = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    app, targets = prepare(found.app_url, tmp_path / "instance")
    assert targets.later_procurement_ids
    with app.app_context(), isolation.system_scope():
        rows = {p.id: p for p in db.session.execute(select(Procurement).where(
            Procurement.id.in_(targets.later_procurement_ids))).scalars()}
    chosen = [rows[pid] for pid in targets.later_procurement_ids]
    assert all(p.lead_tenant_id == targets.tenant_id and p.status == ProcurementStatus.active
               and p.phase in LATER_PHASES for p in chosen)
    assert chosen[0].phase == max((p.phase for p in chosen), key=LATER_PHASES.index)  # the furthest first
    assert chosen[0].template_version_id is None  # then one started from scratch (no lineage statement)
    endpoint = next(e for e in ENDPOINTS if e.name == "procurement_page_later")
    paths, reason = availability(app, endpoint, targets)
    assert paths == [f"/t/{targets.tenant_slug}/procurements/{chosen[0].id}/"], reason
    client = app.test_client()
    name, _, value = targets.cookie.partition("=")
    client.set_cookie(name, value)
    assert client.get(paths[0]).status_code == 200


def test_the_later_phase_page_prefers_a_procurement_started_from_scratch(tmp_path):
    """A newer template-started procurement in the same phase does not take the measured one's
    place: its page reads its lineage, one statement more, and the data has such procurements in
    the furthest phase at some scales only (the page's count would change with the scale)."""
    from datetime import timedelta

    from sqlalchemy import select

    from bench.targets import _later_procurements
    from core import isolation
    from core.db import db
    from core.library.models import TemplateVersion
    from core.procurement.models import Procurement
    from tenants.models import Tenant

    found = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    app, targets = prepare(found.app_url, tmp_path / "instance")
    with app.app_context(), isolation.system_scope():
        first = db.session.get(Procurement, targets.later_procurement_ids[0])
        other = db.session.execute(select(Procurement).where(
            Procurement.lead_tenant_id == targets.tenant_id, Procurement.id != first.id,
            Procurement.status == first.status)).scalars().first()
        version = db.session.execute(select(TemplateVersion)).scalars().first()
        other.phase, other.template_version_id = first.phase, version.id
        other.created_at = first.created_at + timedelta(days=1)
        db.session.flush()
        tenant = db.session.get(Tenant, targets.tenant_id)
        ids = _later_procurements(tenant)
        assert ids[0] == first.id and other.id in ids
        assert ids.index(other.id) == max(i for i, pid in enumerate(ids)
                                          if db.session.get(Procurement, pid).phase == first.phase)
        db.session.rollback()


def test_the_response_overview_keeps_the_generated_questionnaire_after_a_rush(tmp_path):
    """A deadline rush adds a questionnaire (`bench.rush.prepare`, titled
    `RUSH_QUESTIONNAIRE_TITLE`) with more responses than any generated one (150 at the
    benchmark); the harness goes on measuring the generated busiest questionnaire."""
    from sqlalchemy import func, select

    from bench import rush
    from bench.targets import RUSH_QUESTIONNAIRE_TITLE
    from core import isolation
    from core.db import db, utcnow
    from core.dialogue.models import Questionnaire, QuestionnaireResponse, ResponseStatus

    found = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    app, before = prepare(found.app_url, tmp_path / "instance")
    assert before.questionnaire
    procurement_id = rush.rush_procurement(app, before.tenant_id, before.questionnaire[0])
    with app.app_context(), isolation.system_scope():  # what a rush leaves behind
        busiest = db.session.execute(select(func.count()).select_from(QuestionnaireResponse).where(
            QuestionnaireResponse.questionnaire_id == before.questionnaire[1])).scalar_one()
        rushed = Questionnaire(procurement_id=procurement_id, title=RUSH_QUESTIONNAIRE_TITLE,
                               intro="Svar før fristen.", deadline=utcnow(), opened_at=utcnow())
        db.session.add(rushed)
        db.session.flush()
        for supplier_id, _uid in rush._suppliers(procurement_id, busiest + 2, None):
            db.session.add(QuestionnaireResponse(
                questionnaire_id=rushed.id, procurement_id=procurement_id, supplier_id=supplier_id,
                status=ResponseStatus.submitted, submitted_at=utcnow()))
        db.session.commit()
        assert db.session.execute(select(func.count()).select_from(QuestionnaireResponse).where(
            QuestionnaireResponse.questionnaire_id == rushed.id)).scalar_one() > busiest

    after = prepare_targets(app)

    assert after.questionnaire == before.questionnaire
