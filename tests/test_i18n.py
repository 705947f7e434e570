"""Bokmål catalogue and language tests.

- The catalogue is complete: every message id in code and templates has a Bokmål translation
  (this is the test that fails when someone adds an untranslated string; fix it with
  `python -m core.catalog update`, translate, `python -m core.catalog compile`).
- The committed .mo is the compiled .po, and translations keep their placeholders.
- The .po files are in the layout `update` writes, and `update` keeps translations, adds new
  messages and drops unused ones (so it no longer rewraps the files or loses messages).
- Pages are in Bokmål by default and in English after the language switch.
- Times are shown in Norwegian time (Europe/Oslo), summer and winter.
"""

from __future__ import annotations

import gettext
import io
import re
from datetime import UTC, datetime

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string

from core import catalog
from tests.conftest import sign_in

MO_FILE = catalog.PO_FILE.with_suffix(".mo")
HTML_LANG = re.compile(r'<html lang="([a-z]+)">')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def _po():
    with catalog.PO_FILE.open("rb") as handle:
        return read_po(handle, locale="nb")


def _mo_messages(data: bytes) -> dict:
    messages = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # noqa: SLF001 - the parsed .mo
    messages.pop("", None)  # the header (dates change on every `update`)
    return messages


def test_every_message_has_a_bokmal_translation():
    missing = catalog.missing()
    assert missing == [], (
        f"{len(missing)} message(s) lack a Bokmål translation. Run `python -m core.catalog update`, "
        f"translate them in {catalog.PO_FILE.relative_to(catalog.ROOT)}, then `python -m core.catalog "
        f"compile`. First ones: {missing[:10]}"
    )


def test_the_committed_mo_is_the_compiled_po():
    compiled = io.BytesIO()
    write_mo(compiled, _po(), use_fuzzy=False)
    expected = _mo_messages(compiled.getvalue())
    actual = _mo_messages(MO_FILE.read_bytes())
    assert expected, "the .po has no translations"
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())[:10]
    changed = sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])[:10]
    assert not stale and not changed, (
        f"messages.mo is out of date: run `python -m core.catalog compile`. Differs: {stale + changed}"
    )


def test_translations_keep_their_placeholders():
    wrong = []
    for message in _po():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append(ids[0])
        if len(ids) > 1 and len(strings) != 2:
            wrong.append(ids[0])
    assert wrong == []


def test_plural_forms_follow_the_number(app):
    with app.test_request_context("/"):
        from flask_babel import ngettext

        assert ngettext("%(num)d problem", "%(num)d problems", 1) == "1 problem"
        assert ngettext("%(num)d problem", "%(num)d problems", 3) == "3 problemer"


def _heading(response) -> str:
    assert response.status_code == 200
    return _heading_text(response.get_data(as_text=True))


def _lang(response) -> str:
    return HTML_LANG.search(response.get_data(as_text=True)).group(1)


def test_pages_are_in_bokmal_by_default_and_english_after_the_switch(client):
    page = client.get("/signin")
    assert _lang(page) == "nb"
    assert _heading(page) == "Logg inn"
    assert 'Hopp til hovedinnholdet' in page.get_data(as_text=True)

    switched = client.post("/lang", data={"lang": "en", "next": "/signin"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/signin"
    for _ in range(2):  # the choice sticks across requests
        page = client.get("/signin")
        assert _lang(page) == "en"
        assert _heading(page) == "Sign in"

    client.post("/lang", data={"lang": "nb", "next": "/signin"})
    assert _heading(client.get("/signin")) == "Logg inn"


def test_signed_in_pages_follow_the_switch(client, make):
    tenant = make.tenant("asker", "Asker kommune")
    officer = make.user("ola@asker.test", tenant=tenant, role="officer")
    sign_in(client, officer)
    nb = client.get("/t/asker/procurements/new").get_data(as_text=True)
    assert _heading_text(nb) == "Ny anskaffelse"
    client.post("/lang", data={"lang": "en"})
    en = client.get("/t/asker/procurements/new").get_data(as_text=True)
    assert _heading_text(en) == "New procurement"
    assert _heading_text(client.get("/t/asker/procurements/new").get_data(as_text=True)) == "New procurement"


def _heading_text(html: str) -> str:
    return H1.search(html).group(1).strip()


@pytest.mark.parametrize(("utc", "oslo"), [
    (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "2026-01-15 13:00"),   # winter: UTC+1
    (datetime(2026, 7, 15, 12, 0, tzinfo=UTC), "2026-07-15 14:00"),   # summer: UTC+2
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "2026-03-29 01:59"),   # just before summer time
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "2026-03-29 03:00"),    # summer time starts
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2027-01-01 00:30"),  # the date moves too
])
def test_times_are_shown_in_norwegian_time(app, utc, oslo):
    with app.test_request_context("/"):
        shown = render_template_string("{{ t|localtime('yyyy-MM-dd HH:mm') }}", t=utc)
    assert shown == oslo


def test_localtime_uses_the_page_language(app, client):
    moment = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        nb = render_template_string("{{ t|localtime('long') }}", t=moment)
        empty = render_template_string("{{ none|localtime }}")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        en = render_template_string("{{ t|localtime('long') }}", t=moment)
    assert "juli" in nb and "14:00" in nb
    assert "July" in en and ("14:00" in en or "2:00" in en)
    assert empty == ""


@pytest.mark.parametrize("po_file", [catalog.PO_FILE, catalog.NN_PO_FILE], ids=["nb", "nn"])
def test_the_po_files_are_in_the_layout_update_writes(tmp_path, po_file):
    # Hand edits must keep the layout `update` writes (sorted, wrapped at PO_WIDTH), or the next
    # update rewrites the whole file and merges between branches conflict everywhere.
    with po_file.open("rb") as handle:
        parsed = read_po(handle)
    rewritten = tmp_path / "messages.po"
    catalog.write_catalog(rewritten, parsed)
    assert rewritten.read_bytes() == po_file.read_bytes(), (
        f"{po_file.relative_to(catalog.ROOT)} is not in the catalogue layout: run `python -m core.catalog update`")


def test_update_keeps_translations_adds_new_messages_and_drops_unused_ones(tmp_path):
    po = tmp_path / "messages.po"
    old = Catalog(locale="nn")
    old.add("Kept", "Halden")
    old.add("No code uses this any more", "Ingen kode brukar dette")
    catalog.write_catalog(po, old)
    template = Catalog()
    template.add("Kept")
    template.add("New")
    catalog.merge(po, "nn", template)
    with po.open("rb") as handle:
        merged = {m.id: m.string for m in read_po(handle) if m.id}
    assert merged == {"Kept": "Halden", "New": ""}
