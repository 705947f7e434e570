"""The request's principal, tenant scope and supplier, and the URL helpers' app and script root,
are read from Flask's context variables, not through the `g` / `current_app` / `request`
proxies (speed round 8: a proxy look-up is three Python calls, and these run many times per
page); the answers are the same, and outside a context Flask's own error is raised."""

from __future__ import annotations

import uuid

import pytest
from flask import g

from core import auth, isolation
from core.web import layout, urls


class NoProxy:
    """Stands in for a proxy a function must not use."""

    def __getattr__(self, name):
        raise AssertionError(f"looked up through the proxy: {name}")


def test_principal_scope_and_supplier_are_read_without_the_g_proxy(app, monkeypatch):
    tenant, supplier = uuid.uuid4(), uuid.uuid4()
    with app.test_request_context("/"):
        g.principal = principal = object()
        isolation.set_scope({tenant}, stamp_tenant_id=tenant)
        isolation.set_supplier(supplier)
        monkeypatch.setattr(auth, "g", NoProxy())
        monkeypatch.setattr(isolation, "g", NoProxy())
        assert auth.current_principal() is principal
        assert isolation.current_scope() == frozenset({tenant})
        assert isolation.current_tenant_id() == tenant and isolation.current_supplier_id() == supplier
        monkeypatch.undo()
        del g.principal
        assert auth.current_principal() is auth.ANONYMOUS
    with app.app_context():  # no request: the scope is still the context's
        assert isolation.current_scope() == isolation.SYSTEM
    assert isolation.current_scope() == isolation.SYSTEM and isolation.current_supplier_id() is None
    with pytest.raises(RuntimeError):  # outside any context, as before
        auth.current_principal()


def test_the_url_helpers_read_the_app_and_script_root_without_proxies(app, monkeypatch):
    with app.test_request_context("/t/baerum/", base_url="http://localhost/kommune"):
        g.tenant_slug = "baerum"
        expected = (urls.fixed_url("arena.index"), urls.slug_url("procurement.index")("baerum"),
                    urls.tenant_url_per_id("procurement.show", "procurement_id")(uuid.UUID(int=7)),
                    layout.layout_texts())
        for module, names in ((urls, ("current_app", "request", "g")), (layout, ("current_app", "request"))):
            for name in names:
                monkeypatch.setattr(module, name, NoProxy())
        assert (urls.fixed_url("arena.index"), urls.slug_url("procurement.index")("baerum"),
                urls.tenant_url_per_id("procurement.show", "procurement_id")(uuid.UUID(int=7)),
                layout.layout_texts()) == expected
        assert expected[0] == "/kommune/arena/" and expected[1] == "/kommune/t/baerum/procurements/"
