"""Nynorsk beside Bokmål and English: a complete catalogue, the switch, the municipality's
official language form (målform) as its members' default, numbers per language."""

from __future__ import annotations

import gettext
import io
import re

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string
from sqlalchemy import select

from core import catalog
from core.audit import AuditEntry
from core.db import db
from tenants.models import Tenant
from tests.conftest import sign_in

HTML_LANG = re.compile(r'<html lang="([a-z]+)">')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def _catalogue(path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_bokmal_message_has_a_nynorsk_translation():
    missing = catalog.nynorsk_missing()
    assert missing == [], (
        f"{len(missing)} message(s) lack Nynorsk: `python -m core.catalog nn-missing` lists them with "
        f"their Bokmål; translate them in {catalog.NN_PO_FILE.relative_to(catalog.ROOT)}, then "
        f"`python -m core.catalog compile`. First ones: {missing[:5]}"
    )


def test_nynorsk_is_written_in_nynorsk_not_copied_from_bokmal():
    bokmal = {m.id: m.string for m in _catalogue(catalog.PO_FILE) if m.id and isinstance(m.id, str)}
    nynorsk = {m.id: m.string for m in _catalogue(catalog.NN_PO_FILE) if m.id and isinstance(m.id, str)}
    long_ones = [k for k in bokmal if len(bokmal[k].split()) >= 6 and k in nynorsk]
    copied = [k for k in long_ones if nynorsk[k] == bokmal[k]]
    assert len(copied) < len(long_ones) / 10, copied[:10]
    words = re.compile(r"\b(ikke|hva|hvis|hvordan|hvem|noen|nå|ble|fra|jeg|dere|deres|mye|bare|anskaffelsen)\b", re.I)
    assert [nynorsk[k] for k in nynorsk if words.search(nynorsk[k])] == []


def test_nynorsk_translations_keep_their_placeholders_and_the_mo_is_compiled():
    po = _catalogue(catalog.NN_PO_FILE)
    wrong = []
    for message in po:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        wrong += [ids[0] for s in strings if s and set(PLACEHOLDER.findall(s)) != wanted]
    assert wrong == []
    compiled = io.BytesIO()
    write_mo(compiled, po, use_fuzzy=False)
    expected = dict(gettext.GNUTranslations(io.BytesIO(compiled.getvalue()))._catalog)  # noqa: SLF001
    actual = dict(gettext.GNUTranslations(io.BytesIO(catalog.NN_PO_FILE.with_suffix(".mo").read_bytes()))._catalog)  # noqa: SLF001
    expected.pop("", None)
    actual.pop("", None)
    assert expected == actual, "run `python -m core.catalog compile`"


def _page(client, path="/signin", **kw):
    response = client.get(path, **kw)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    return HTML_LANG.search(html).group(1), H1.search(html).group(1).strip(), html


def test_the_switch_offers_nynorsk_and_a_nynorsk_browser_gets_it(client):
    assert _page(client, headers={"Accept-Language": "nn-NO,nb;q=0.8"})[:2] == ("nn", "Logg inn")
    assert 'Hopp til hovudinnhaldet' in _page(client, headers={"Accept-Language": "nn"})[2]
    client.post("/lang", data={"lang": "nn", "next": "/signin"})
    lang, _, html = _page(client)
    assert lang == "nn" and 'Hopp til hovudinnhaldet' in html
    assert 'value="nn" lang="nn" aria-current="true"' in html
    for code in ("nb", "en"):
        assert f'name="lang" value="{code}"' in html


@pytest.fixture
def drammen(make):
    tenant = make.tenant("drammen", "Drammen kommune")
    return tenant, make.user("admin@drammen.test", tenant=tenant, role="admin"), \
        make.user("ola@drammen.test", tenant=tenant, role="officer")


def test_the_municipality_language_form_is_its_members_default_and_the_switch_overrides(app, client, drammen):
    tenant, admin, officer = drammen
    sign_in(client, admin)
    assert client.get("/t/drammen/admin/language").status_code == 200
    response = client.post("/t/drammen/admin/language", data={"language_form": "nn"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Tenant.language_form).where(Tenant.id == tenant.id)).scalar_one() == "nn"
        entry = db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "tenant.language_form_set")).scalar_one()
        assert entry.changes["after"] == {"language_form": "nn"}
    member = app.test_client()
    sign_in(member, officer)
    for path in ("/t/drammen/", "/account"):
        assert _page(member, path, headers={"Accept-Language": "en"})[0] == "nn"
    member.post("/lang", data={"lang": "en"})
    assert _page(member, "/t/drammen/")[0] == "en"


def test_only_nb_or_nn_and_only_the_admin_sets_the_language_form(app, client, drammen):
    tenant, admin, officer = drammen
    sign_in(client, admin)
    response = client.post("/t/drammen/admin/language", data={"language_form": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="f-language_form-error"' in html and 'href="#f-language_form"' in html
    other = app.test_client()
    sign_in(other, officer)
    assert other.post("/t/drammen/admin/language", data={"language_form": "nn"}).status_code in (403, 404)
    with app.app_context():
        assert db.session.execute(select(Tenant.language_form).where(Tenant.id == tenant.id)).scalar_one() is None


def test_numbers_follow_the_language(app):
    shown = {}
    for code in ("nb", "nn", "en"):
        with app.test_request_context("/", headers={"Accept-Language": code}):
            shown[code] = render_template_string("{{ 4|decimal }} °C · {{ 1234.5|decimal }}")
    assert shown["nb"] == shown["nn"] == "4,0 °C · 1\xa0234,5"
    assert shown["en"] == "4.0 °C · 1,234.5"
