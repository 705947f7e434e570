"""The tenant's admin links (hook `samspill_admin_links`) are listed in the dashboard's
administration section for admins, and the hook runs only for a page that lists them
(`core.plugin_platform.wiring.AdminLinks`): not for an officer's dashboard, not for other pages."""

from __future__ import annotations

from flask import url_for

from tests.conftest import add_internal_plugin, sign_in


def test_admin_links_are_listed_for_admins_and_asked_for_only_then(app, make):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    asked = []

    def samspill_admin_links(tenant):
        asked.append(tenant.slug)
        return [{"label": "Lenker <& \"admin\">", "url": "/lenker?a=1&b=2"}]
    add_internal_plugin(app, "lenker", samspill_admin_links=samspill_admin_links)
    admin, officer = app.test_client(), app.test_client()
    sign_in(admin, make.user(tenant=tenant, role="admin"))
    sign_in(officer, make.user(tenant=tenant, role="officer"))

    page = admin.get("/t/nordvik/").get_data(as_text=True)
    assert '<li><a href="/lenker?a=1&amp;b=2">Lenker &lt;&amp; &#34;admin&#34;&gt;</a></li>' in page
    with app.test_request_context("/"):
        for endpoint in ("plugins_admin.index", "benefits.sharing"):  # the platform's own links
            assert f'<li><a href="{url_for(endpoint, slug="nordvik")}">' in page
    assert asked == ["nordvik"]

    assert admin.get("/t/nordvik/procurements/").status_code == 200  # a page without the section
    officers = officer.get("/t/nordvik/").get_data(as_text=True)
    assert 'id="admin-heading"' not in officers and "/lenker" not in officers
    assert asked == ["nordvik"]  # neither asked the plugins for their links
