"""`url_per_id` and `fixed_url` give exactly what `url_for` gives, with and without a script
root (a deployment under a subpath), for UUID, string and query-string values."""

from __future__ import annotations

import uuid

from flask import url_for

from core.web.urls import fixed_url, url_per_id


def test_url_per_id_equals_url_for(app):
    ids = [uuid.uuid4() for _ in range(3)]
    for root in ("", "/samspill"):
        with app.test_request_context("/", base_url=f"http://samspill.test{root}/"):
            dashboard = url_per_id("tenant.dashboard", "slug")
            for slug in ("oslo", "øvre-dal", "a b/c"):
                assert dashboard(slug) == url_for("tenant.dashboard", slug=slug)
            page = url_per_id("procurement.show", "procurement_id", slug="oslo")
            for pid in ids:
                assert page(pid) == url_for("procurement.show", slug="oslo", procurement_id=pid)
                assert page(str(pid)) == url_for("procurement.show", slug="oslo", procurement_id=str(pid))
            # A value that is no rule argument lands in the query string, encoded as url_for does.
            index = url_per_id("web.index", "next")
            for value in ("/t/oslo?x=1&y=ø", ids[0]):
                assert index(value) == url_for("web.index", next=value)
            if root:
                assert dashboard("oslo").startswith(root + "/")


def test_fixed_url_follows_the_script_root(app):
    for root in ("", "/samspill", ""):
        with app.test_request_context("/", base_url=f"http://samspill.test{root}/"):
            assert fixed_url("static", filename="samspill.css") == url_for("static", filename="samspill.css")
            assert fixed_url("identity.account") == url_for("identity.account")
