"""Records people can read: the protocol and the audit log of the demo's joint procurement, in
Bokmål, carry no ids, no ISO/UTC timestamps, no dict dumps, no codes with underscores or dots,
no email addresses and no English field names — labels, names and Oslo time instead."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core.db import db
from core.demo import seed_demo
from core.library.models import Template, TemplateSource
from core.library.platform import sync_plugin_templates
from core.plugin_platform import state as service
from core.procurement import demo as procurement_demo
from core.procurement.readable import DETAIL_KEYS
from tenants import service as tenants
from tests.conftest import sign_in

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\+00:00|\bUTC\b")
UNDERSCORE_IN_WORD = re.compile(r"\w_\w")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
EVENT_CODE = re.compile(r"(?<![/\w.@])[a-z]+\.[a-z_]+(?![\w/.])")  # response.submitted, not a web address
DETAIL = re.compile(r"<small>([^<:]+):")
PASSWORD = "demo-password-123"


class _Text(HTMLParser):
    """The text a reader sees inside <main> (attributes and scripts left out)."""

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "main"

    def handle_endtag(self, tag):
        self.depth -= tag == "main"

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


class Person:
    def __init__(self, email):
        self.email, self.password = email, PASSWORD


@pytest.fixture
def demo(app, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        seed_demo()
        pid = procurement_demo.find_demo_procurement().id
        db.session.remove()
    return pid


@pytest.fixture
def world_with_plugin_template(app, make):
    """Drammen with the welfare-technology plugin enabled and the plugin's template published."""
    from core.db import db
    from tests.conftest import sign_in

    tenant = make.tenant("drammen", "Drammen kommune")
    officer = make.user("officer@drammen.test", tenant=tenant, role="officer")
    with app.app_context():
        service.set_enabled(tenants.get_tenant("drammen"), "welfare_tech", True, check_access=False)
        db.session.commit()
        sync_plugin_templates()
        db.session.commit()
        template_id = db.session.execute(select(Template.id).where(
            Template.source == TemplateSource.plugin, Template.owner_key == "welfare_tech")).scalar_one()
    browser = app.test_client()
    sign_in(browser, officer)
    return browser, template_id


def _unreadable(app, html: str) -> list[str]:
    text = visible_text(html)
    problems = []
    for name, pattern in (("id", UUID), ("ISO/UTC time", ISO_TIME), ("code with _", UNDERSCORE_IN_WORD),
                          ("email address", EMAIL), ("event code", EVENT_CODE)):
        problems += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if "{'" in text or "{&#39;" in html:
        problems.append("a dict dump")
    with app.test_request_context(), force_locale("nb"):
        labels = {str(label) for label in DETAIL_KEYS.values()}
    labels |= {"Besvarte spørsmål", "Merket som forretningshemmeligheter", "Annen opplysning"}
    problems += [f"field name not in Bokmål: {m.group(1)!r}" for m in DETAIL.finditer(html)
                 if m.group(1).strip() not in labels]
    return problems


def test_protocol_and_audit_log_of_the_joint_procurement_read_as_norwegian(app, client, demo):
    sign_in(client, Person("admin@baerum.demo"))
    protocol = client.get(f"/t/baerum/procurements/{demo}/protocol", headers={"Accept-Language": "nb"})
    assert protocol.status_code == 200
    html = protocol.get_data(as_text=True)
    assert 'data-action="response.submitted"' in html  # the dialogue is in the record (supplier answers)
    assert "Ola Hansen" in html  # the officer by name
    assert _unreadable(app, html) == [], _unreadable(app, html)
    pages, url = 0, "/t/baerum/admin/audit"
    while url and pages < 10:
        page = client.get(url).get_data(as_text=True)
        assert _unreadable(app, page) == [], (url, _unreadable(app, page))
        pages += 1
        following = re.search(r'href="(/t/baerum/admin/audit\?cursor=[^"]+)"', page)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert pages >= 2  # more than one page of the log was read


def test_the_pattern_checks_catch_what_they_name(app):
    raw = ("<main><td>officer@baerum.demo</td><td>response.submitted</td><td>dialogue_conference</td>"
           "<td>2027-01-20T09:00:00+00:00</td><td>{'value': 1}</td><td>0c7d3a2e-1b2c-4d5e-8f90-1a2b3c4d5e6f</td>"
           "<small>Capacity: 60</small></main>")
    problems = " ".join(_unreadable(app, raw))
    for expected in ("email address", "event code", "code with _", "ISO/UTC time", "dict dump", "id:",
                     "field name not in Bokmål: 'Capacity'"):
        assert expected in problems, expected


def test_arena_names_publishers_and_domains_in_the_readers_language(app, world_with_plugin_template):
    browser, template_id = world_with_plugin_template
    for path in ("/arena/", f"/arena/templates/{template_id}"):
        html = browser.get(path, headers={"Accept-Language": "nb"}).get_data(as_text=True)
        text = visible_text(html)
        assert "Velferdsteknologi" in text, path
        assert "welfare_tech" not in text and "Welfare tech" not in text, path
    browser.post("/lang", data={"lang": "en", "next": "/arena/"})
    english = visible_text(browser.get("/arena/").get_data(as_text=True))
    assert "Welfare technology" in english and "welfare_tech" not in english
