"""Acceptance: starting a procurement from the "Tryggere hverdag" template fills needs,
questionnaire, requirement skeleton, award criteria and gate items from the welfare-technology
plugin. The library reads the template through the `samspill_templates` hook."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import db
from plugins.welfare_tech import content
from tests.conftest import bearer
from tests.plugins.conftest import acting, enable


@pytest.fixture
def baerum(app, make):
    tenant = make.tenant("baerum", "Bærum kommune")
    enable(app, "baerum", "welfare_tech")
    return tenant, make.user("officer@baerum.test", tenant=tenant, role="officer")


def _plugin_template_version(app):
    from core.library.models import Template, TemplateSource
    from core.library.platform import sync_plugin_templates

    with app.app_context():
        assert [v.content["key"] for v in sync_plugin_templates()] == ["tryggere-hverdag"]
        assert sync_plugin_templates() == []  # unchanged content: no new version
        db.session.commit()
        template = db.session.execute(select(Template).where(
            Template.source == TemplateSource.plugin, Template.owner_key == "welfare_tech",
            Template.key == "tryggere-hverdag")).scalar_one()
        return template.latest_version_id


def test_starting_from_tryggere_hverdag_fills_the_procurement_from_the_plugin(app, baerum):
    from core.library import reuse
    from core.procurement import gates
    from core.procurement.models import Need, Procurement

    tenant, officer = baerum
    version_id = _plugin_template_version(app)
    with acting(app, officer, tenant):
        from tenants.models import Tenant

        procurement = reuse.start_procurement(db.session.get(Tenant, tenant.id), version_id)
        db.session.commit()
        procurement = db.session.get(Procurement, procurement.id)
        assert procurement.domain == "welfare_tech"
        needs = db.session.execute(select(Need).where(Need.procurement_id == procurement.id)
                                   .order_by(Need.position)).scalars().all()
        assert [n.statement for n in needs] == [n["statement"] for n in content.TEMPLATE["needs"]]
        keys = {status.item.key: status.item for status in gates.checklist(procurement)}
        for item in content.GATE_ITEMS:
            assert item["key"] in keys, item["key"]
        assert keys["wt-dpia-planned"].phase.value == "dialogue"
        # questionnaire, requirement skeleton and award criteria travel with the procurement
        # (its template lineage) and into any template published from it
        carried = reuse.build_template_content(procurement)
        assert carried["questionnaire"] == content.TEMPLATE["questionnaire"]
        assert carried["requirements"] == content.TEMPLATE["requirements"]
        assert carried["award_criteria"] == content.TEMPLATE["award_criteria"]
        assert sum(c["weight"] for c in carried["award_criteria"]) == 100
        # the plugin's procurement_created hook ran inside the creating transaction
        assert procurement.extension["welfare_tech"]["scaip_required"] is True


def test_plugin_templates_reach_only_the_tenants_that_enabled_the_plugin(app, make, baerum):
    _tenant, officer = baerum
    outsider = make.user(tenant=make.tenant("drammen"), role="officer")
    _plugin_template_version(app)

    def keys(person):
        listed = app.test_client().get("/api/v1/templates", headers=bearer(make.token(person)))
        assert listed.status_code == 200
        body = listed.json
        return {t.get("key") for t in (body["items"] if isinstance(body, dict) else body)}

    assert "tryggere-hverdag" in keys(officer)
    assert "tryggere-hverdag" not in keys(outsider)


def test_the_demo_reads_domain_templates_through_the_hook(fresh_app):
    from core.procurement.demo import domain_templates

    app = fresh_app(SAMSPILL_BLOCKED_PLUGINS=("smart_mat",))
    with app.app_context():
        templates = domain_templates()
    assert templates["welfare_tech"]["key"] == "tryggere-hverdag"
    assert "smart_mat" not in templates  # a blocked plugin contributes no template
