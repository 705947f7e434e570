"""Plugins cost a bounded number of queries per page: the tenant's enabled plugins are read
once per request, and plugin pages do not grow with their data."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.plugins.conftest import enable


def _bookmark(client, refs):
    for ref in refs:
        assert client.post(f"/t/asker/plugins/welfare_tech/requirements/{ref}/bookmark",
                           data={"bookmarked": "1"}).status_code == 302


def test_plugin_pages_do_not_grow_with_their_data(app, make, count_queries):
    tenant = make.tenant("asker")
    enable(app, "asker", "welfare_tech", "smart_mat")
    client = app.test_client()
    sign_in(client, make.user(tenant=tenant, role="admin"))
    url = "/t/asker/plugins/welfare_tech/requirements"
    client.get(url)
    _bookmark(client, ["WT-FUN-01"])
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _bookmark(client, ["WT-FUN-02", "WT-SEC-01", "WT-SEC-02", "WT-OPS-01"])
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count <= 12, many.statements


def test_enabled_plugins_are_read_once_per_page(app, make, count_queries):
    tenant = make.tenant("asker")
    enable(app, "asker", "welfare_tech", "smart_mat")
    client = app.test_client()
    sign_in(client, make.user(tenant=tenant, role="admin"))
    client.get("/t/asker/")
    with count_queries() as counter:
        assert client.get("/t/asker/admin/plugins/").status_code == 200
    reads = [s for s in counter.statements if "FROM tenant_plugins" in s]
    assert len(reads) <= 2, reads  # the enabled set (cached) and the admin page's own rows
    with count_queries() as dashboard:
        assert client.get("/t/asker/").status_code == 200
    enabled_reads = [s for s in dashboard.statements
                     if "FROM tenant_plugins" in s and "tenant_plugins.enabled" in s]
    assert len(enabled_reads) == 1, enabled_reads
    assert "FROM users" in enabled_reads[0], enabled_reads  # with the principal, not on its own
