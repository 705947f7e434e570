"""A plugin's tab and page inside a procurement (`samspill_procurement_navigation_items`,
`plugin_api.procurement_pages`): the platform checks membership, that the caller may read the
procurement (else 404) and that its lead enabled the plugin; the page gets the procurement and
whether the caller may change it from the facade, never from core.procurement."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.plugins.conftest import enable, factory, joint_procurement

FERRIES = """
    from flask import render_template_string, url_for

    from core.plugin_api import (can_change_procurement, current_procurement, hookimpl,
                                 procurement_pages, require_procurement_change)

    pages = procurement_pages("ferries", __name__)
    PAGE = ('{% include "procurement/_header.html" %}'
            '<p id="ferry" data-can-change="{{ can }}">{{ p.title }}</p>'
            '<a id="self" href="{{ url_for(\\'plugin_ferries_procurement.overview\\') }}">self</a>')

    @pages.get("/")
    def overview():
        return render_template_string(PAGE, p=current_procurement(), can=can_change_procurement())

    @pages.post("/")
    def change():
        require_procurement_change()
        return "changed"

    @hookimpl
    def samspill_blueprints():
        return [pages]

    @hookimpl
    def samspill_procurement_navigation_items(procurement, tenant):
        return [{"label": "Ferjer", "url": url_for("plugin_ferries_procurement.overview",
                                                    procurement_id=procurement.id)}]
"""


def _client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_a_plugin_page_inside_a_procurement_follows_the_procurements_access(plugin_dist, fresh_app):
    plugin_dist("ferries", FERRIES)
    app = fresh_app()
    make = factory(app)
    baerum, asker, drammen = make.tenant("baerum"), make.tenant("asker"), make.tenant("drammen")
    officer = make.user(tenant=baerum, role="officer")
    reader = make.user(tenant=asker, role="viewer")
    stranger = make.user(tenant=drammen, role="admin")
    pid = joint_procurement(app, officer, baerum, asker, title="Ferjeanbud")
    enable(app, "baerum", "ferries")  # the lead's choice governs; Asker has not enabled it

    lead = _client(app, officer)
    url = f"/t/baerum/procurements/{pid}/plugins/ferries/"
    page = lead.get(url).get_data(as_text=True)
    assert 'id="ferry" data-can-change="True">Ferjeanbud' in page
    assert f'id="self" href="{url}"' in page  # url_for fills in the procurement
    assert 'id="tab-ferries"' in page and 'aria-current="page">Ferjer' in page
    assert lead.post(url).status_code == 200
    assert f'id="tab-ferries" href="{url}"' in lead.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)

    participant = _client(app, reader)
    shown = participant.get(f"/t/asker/procurements/{pid}/plugins/ferries/")
    assert shown.status_code == 200 and 'data-can-change="False"' in shown.get_data(as_text=True)
    assert participant.post(f"/t/asker/procurements/{pid}/plugins/ferries/").status_code == 403
    assert 'id="tab-ferries"' in participant.get(f"/t/asker/procurements/{pid}/").get_data(as_text=True)

    outsider = _client(app, stranger)
    assert outsider.get(f"/t/drammen/procurements/{pid}/plugins/ferries/").status_code == 404
    assert participant.get(f"/t/baerum/procurements/{pid}/plugins/ferries/").status_code == 404  # not a member

    own = joint_procurement(app, make.user(tenant=asker, role="officer"), asker, None, title="Asker alene")
    assert participant.get(f"/t/asker/procurements/{own}/plugins/ferries/").status_code == 404  # lead: off
    assert 'id="tab-ferries"' not in participant.get(f"/t/asker/procurements/{own}/").get_data(as_text=True)

    with app.app_context():
        from core.db import db
        from core.plugin_platform import state as service
        from tenants import service as tenants

        service.set_enabled(tenants.get_tenant("baerum"), "ferries", False, check_access=False)
        db.session.commit()
    assert lead.get(url).status_code == 404
    assert 'id="tab-ferries"' not in lead.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)
