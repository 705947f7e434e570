"""The dashboard's constant texts are translated once per language, not on every visit (speed
round 8): the panels print their constant pieces from `_panel_texts.html` modules kept per
catalogue (`core.web.layout.constant_texts`), the package panel translates its "Published by"
sentence once per render, and the tenant's links come from `slug_url` and `tenant_url_per_id`
(no `url_for` per link or list on a visit)."""

from __future__ import annotations

import uuid

import pytest
from flask import g, url_for

from core.web.urls import row_url, slug_url, tenant_url_per_id
from plugins.welfare_tech.content import TEMPLATE
from tests.catalogue_calls import messages_per_visit
from tests.procurement.conftest import World
from tests.transfer.conftest import Package


@pytest.fixture
def world(app, make):
    return World(app, make)




def test_a_dashboard_asks_the_catalogue_the_same_whatever_its_packages(app, world, monkeypatch):
    Package(world)
    browser = world.browser("drammen")
    one = messages_per_visit(app, browser, "/t/drammen/", monkeypatch)
    for key, title in (("andre", "Andre pakke"), ("tredje", "Tredje pakke")):
        content = {**TEMPLATE, "title": title, "key": key}
        published = world.api("asker").post("/api/v1/tenants/asker/templates",
                                            json={"content": content, "visibility": "all"})
        assert published.status_code == 201
    page = browser.get("/t/drammen/").get_data(as_text=True)
    assert page.count('id="package-') == 3 and page.count("Publisert av") == 3
    assert messages_per_visit(app, browser, "/t/drammen/", monkeypatch) == one
    # the panels' constant texts come from the kept pieces: a handful of messages per visit
    assert one <= 6


def test_slug_url_gives_url_for_links_of_any_tenant_also_under_a_subpath(app):
    for root in ("", "/kommune"):
        for slug in ("baerum", "x y/ø"):
            with app.test_request_context("/", base_url=f"http://localhost{root}"):
                for endpoint in ("procurement.index", "procurement.new", "library.index",
                                 "procurement_group.invitations", "benefits.sharing", "tenant.members",
                                 "tenant.sign_in_settings", "tenant.language_form", "tenant.audit_log"):
                    assert slug_url(endpoint)(slug) == url_for(endpoint, slug=slug)


def test_tenant_url_per_id_gives_url_for_links_in_the_requests_tenant(app):
    row = uuid.UUID("4a3c1e52-0d4b-4f8e-9a51-2b0c7d9e6f10")
    for root in ("", "/kommune"):
        for slug in ("baerum", "x y/ø"):
            with app.test_request_context("/", base_url=f"http://localhost{root}"):
                g.tenant_slug = slug  # what the tenant blueprints' url_value_preprocessor sets
                for endpoint, values in (("procurement.show", {}), ("dialogue.overview", {}),
                                         ("procurement_group.respond", {}),
                                         ("procurement_group.accept_page", {"back": None}),
                                         ("procurement_group.accept_page", {"back": "/t/a b/?x=1&y"})):
                    built = tenant_url_per_id(endpoint, "procurement_id", **values)
                    assert built(row) == url_for(endpoint, procurement_id=row, **values), (endpoint, slug)
        with app.test_request_context("/"):  # outside a tenant: url_per_id's answer
            assert tenant_url_per_id("arena.template", "template_id")(row) == url_for("arena.template", template_id=row)


def test_row_url_gives_url_for_links_outside_the_tenant_pages_also_under_a_subpath(app):
    rows = [uuid.UUID("4a3c1e52-0d4b-4f8e-9a51-2b0c7d9e6f10"), uuid.uuid4()]
    for root in ("", "/kommune"):
        with app.test_request_context("/", base_url=f"http://localhost{root}"):
            built = row_url("arena.template", "template_id")
            assert row_url("arena.template", "template_id") is built  # kept per script root
            for row in rows:
                assert built(row) == url_for("arena.template", template_id=row)
