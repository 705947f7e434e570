"""The benchmark data generator at a tiny scale: the rules it must keep, not its speed."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from core import audit, isolation
from core.db import db
from core.orgnumber import is_valid
from core.procurement.access import visible_procurement_ids
from core.procurement.models import Participation, ParticipationStatus, Procurement, ProjectMember
from tenants.models import Membership, Tenant
from tenants.service import SLUG_RE


def _generate(runner):
    result = runner.invoke(args=["bench-data", "--tiny"])
    assert result.exit_code == 0, result.output
    return result


def test_tiny_data_is_valid_tenants_with_people(app, runner):
    from bench.data import TINY_SCALE, Volumes

    _generate(runner)
    volumes = Volumes.for_scale(TINY_SCALE)
    with app.app_context():
        tenants = db.session.execute(select(Tenant)).scalars().all()
        assert len(tenants) == volumes.tenants
        assert all(SLUG_RE.match(t.slug) for t in tenants)
        assert all(is_valid(t.org_number) for t in tenants)
        assert all(len(t.municipality_number) == 4 and t.municipality_number.isdigit() for t in tenants)
        roles = Counter((m.tenant_id, m.role.value) for m in db.session.execute(select(Membership)).scalars())
        assert all(roles[(t.id, "admin")] >= 1 and roles[(t.id, "officer")] >= 1 for t in tenants)


def test_procurements_have_lead_participation_and_a_fifth_are_joint(app, runner):
    from bench.data import TINY_SCALE, Volumes

    _generate(runner)
    volumes = Volumes.for_scale(TINY_SCALE)
    with app.app_context():
        procurements = db.session.execute(select(Procurement)).scalars().all()
        assert len(procurements) == volumes.procurements
        parts = db.session.execute(select(Participation)).scalars().all()
        leads = {(p.procurement_id, p.tenant_id) for p in parts
                 if p.role.value == "lead" and p.status == ParticipationStatus.active}
        assert all((p.id, p.lead_tenant_id) in leads for p in procurements)
        per_procurement = Counter(p.procurement_id for p in parts)
        joint = [pid for pid, n in per_procurement.items() if n > 1]
        assert len(joint) == -(-volumes.procurements // 5)
        # every project member comes from a tenant that takes part in the procurement
        taking_part = {(p.procurement_id, p.tenant_id) for p in parts}
        members = db.session.execute(select(ProjectMember)).scalars().all()
        assert members and all((m.procurement_id, m.tenant_id) in taking_part for m in members)


def test_tenant_scope_sees_its_procurements_through_participations(app, runner):
    _generate(runner)
    with app.app_context():
        busiest, expected = db.session.execute(
            select(Participation.tenant_id, func.count())
            .where(Participation.status == ParticipationStatus.active)
            .group_by(Participation.tenant_id).order_by(func.count().desc()).limit(1)
        ).one()
        db.session.commit()
        with app.test_request_context():
            isolation.set_scope({busiest}, busiest)
            seen = db.session.execute(
                select(func.count()).select_from(Procurement)
                .where(Procurement.id.in_(visible_procurement_ids({busiest})))
            ).scalar_one()
            assert seen == expected


def test_audit_chain_verifies_and_has_the_scale_volume(app, runner):
    from bench.data import TINY_SCALE, Volumes

    _generate(runner)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        checked, problem = audit.verify()
        assert problem is None
        assert checked == Volumes.for_scale(TINY_SCALE).audit_entries
        chains = db.session.execute(select(audit.AuditEntry.chain).distinct()).scalars().all()
        assert any(c.startswith("procurement:") for c in chains)
        assert any(c.startswith("tenant:") for c in chains)


def test_second_run_is_refused_and_writes_nothing(app, runner):
    _generate(runner)
    with app.app_context():
        before = db.session.execute(select(func.count()).select_from(audit.AuditEntry)).scalar_one()
    result = runner.invoke(args=["bench-data", "--tiny"])
    assert result.exit_code != 0
    assert "without tenants" in result.output
    with app.app_context():
        after = db.session.execute(select(func.count()).select_from(audit.AuditEntry)).scalar_one()
    assert after == before


def test_dialogue_rows_come_only_from_registered_suppliers(app, runner):
    dialogue = pytest.importorskip("core.dialogue.models")
    _generate(runner)
    with app.app_context():
        registered = set(db.session.execute(select(dialogue.DialogueRegistration.procurement_id,
                                                   dialogue.DialogueRegistration.supplier_id)).all())
        assert registered
        opened = set(db.session.execute(select(Procurement.id).where(Procurement.dialogue_open.is_(True))).scalars())
        assert {pid for pid, _ in registered} <= opened
        responses = db.session.execute(select(dialogue.QuestionnaireResponse)).scalars().all()
        questions = db.session.execute(select(dialogue.DialogueQuestion)).scalars().all()
        assert responses and questions
        assert all((r.procurement_id, r.supplier_id) in registered for r in responses)
        assert all((q.procurement_id, q.supplier_id) in registered for q in questions)
        assert all(r.submitted_at is not None for r in responses if r.status.value == "submitted")
        answers = {a.id: a.procurement_id for a in db.session.execute(select(dialogue.DialogueAnswer)).scalars()}
        answered = [q for q in questions if q.answer_id is not None]
        assert answered and all(answers[q.answer_id] == q.procurement_id for q in answered)


def test_template_reuse_matches_procurement_lineage(app, runner):
    library = pytest.importorskip("core.library.models")
    _generate(runner)
    with app.app_context():
        uses = db.session.execute(select(library.TemplateUse)).scalars().all()
        lineage = dict(db.session.execute(select(Procurement.id, Procurement.template_version_id)
                                          .where(Procurement.template_version_id.is_not(None))).all())
        assert lineage == {u.procurement_id: u.version_id for u in uses}
        versions = db.session.execute(select(library.TemplateVersion)).scalars().all()
        assert versions and all(v.status.value == "published" for v in versions)
