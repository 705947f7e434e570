"""The demo seed (idempotent), and the small rules: CPV check digits, money in øre, the notice
hint from configurable threshold data."""

from __future__ import annotations

import json

import pytest

from core.procurement import demo as procurement_demo


def test_demo_seed_is_idempotent_and_matches_the_contract(app, monkeypatch, client):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-123")
    for impl in app.extensions["samspill.plugins"].pm.hook.samspill_demo_content.get_hookimpls():
        if impl.plugin_name not in ("procurement", "library"):  # the demo procurements and their templates
            monkeypatch.setattr(impl, "function", lambda passwords: None)
    from core.db import db
    from core.demo import seed_demo

    with app.app_context():
        seed_demo()
        seed_demo()
        db.session.remove()
    from tests.conftest import sign_in

    class Person:
        def __init__(self, email):
            self.email, self.password = email, "demo-password-123"

    sign_in(client, Person("officer@baerum.demo"))
    baerum = client.get("/t/baerum/").get_data(as_text=True)
    assert baerum.count("data-procurement-id=") == 2
    with app.app_context():
        tryggere = procurement_demo.find_demo_procurement()
        smart = procurement_demo.find_demo_procurement("Smart Mat")
        assert tryggere.phase.value == "dialogue" and tryggere.template_version_id is not None
        assert smart.phase.value == "contract"
        tid = str(tryggere.id)
    parts = client.get(f"/t/baerum/procurements/{tid}/participants").get_data(as_text=True)
    assert 'data-tenant="asker" data-status="active"' in parts
    client.post("/signout")
    drammen = app.test_client()
    sign_in(drammen, Person("officer@drammen.demo"))
    assert drammen.get(f"/t/drammen/procurements/{tid}/").status_code == 404
    arena = drammen.get("/arena/").get_data(as_text=True)
    assert "Tryggere hverdag" in arena and "Bærum kommune" in arena
    assert "Smakstester" in drammen.get("/arena/lessons/").get_data(as_text=True) or \
        "smake" in drammen.get("/arena/lessons/").get_data(as_text=True)


@pytest.mark.parametrize("code,ok", [
    ("85311100-3", True), ("79711000-1", True), ("03111900-1", True), ("45000000-7", True),
    ("853111003", True), ("85311100-4", False), ("8531110-3", False), ("abcdefgh-1", False)])
def test_cpv_check_digit(app, code, ok):
    from core.errors import ValidationError
    from core.procurement.fields import clean_cpv_code

    with app.test_request_context():
        if ok:
            assert clean_cpv_code(code) == f"{code.replace('-', '')[:8]}-{code[-1]}"
        else:
            with pytest.raises(ValidationError):
                clean_cpv_code(code)


@pytest.mark.parametrize("text,ore", [("1 250 000", 125_000_000), ("1250000,5", 125_000_050),
                                      ("1.250.000,50", 125_000_050), ("99.99", 9_999), ("", None)])
def test_kroner_to_ore_without_floats(app, text, ore):
    from core.procurement.fields import parse_kroner

    with app.test_request_context():
        assert parse_kroner(text) == ore


@pytest.mark.parametrize("value,procedure,kind,band,venues", [
    (5_000_000, None, "goods_services", "minor", []),
    (120_000_000, None, "goods_services", "below_national", []),
    (200_000_000, "open", "goods_services", "national", ["doffin"]),
    (230_000_000, "open", "goods_services", "eea", ["doffin", "ted"]),
    (230_000_000, "open", "works", "national", ["doffin"]),
])
def test_notice_hint_bands(app, value, procedure, kind, band, venues):
    from core.procurement.notice import notice_hint

    with app.test_request_context():
        hint = notice_hint(value, procedure, kind)
        assert hint.band == band and [v["key"] for v in hint.publish] == venues


def test_notice_hint_reads_configurable_data(app, tmp_path):
    from core.procurement.notice import DEFAULT_FILE, notice_hint

    data = json.loads(DEFAULT_FILE.read_text())
    data["national_threshold_ore"] = 50_000_000
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(data))
    app.config["SAMSPILL_THRESHOLDS_FILE"] = str(path)
    with app.test_request_context():
        assert notice_hint(60_000_000, None, "goods_services").band == "national"
        warning = notice_hint(60_000_000, "below_threshold", "goods_services").messages
        assert len(warning) == 3


def test_openapi_describes_the_procurement_api(client):
    spec = client.get("/api/v1/openapi.json").json
    one = "/api/v1/procurements/{procurement_id}"
    for path in ("/api/v1/tenants/{slug}/procurements", one, f"{one}/transition", f"{one}/participants",
                 f"{one}/participants/{{slug}}/accept", f"{one}/needs", "/api/v1/templates",
                 f"{one}/publish-template", f"{one}/audit", f"{one}/protocol"):
        assert path in spec["paths"], path
    assert "patch" in spec["paths"]["/api/v1/procurements/{procurement_id}"]
