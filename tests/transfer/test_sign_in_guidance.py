"""Sign-in that helps: empty fields ask to be filled (not "wrong password", and not counted as
a failed attempt), and a supplier who signs in lands in the supplier portal."""

from __future__ import annotations

from core.db import db
from core.identity import service as identity
from core.suppliers import service


def test_empty_sign_in_fields_ask_to_be_filled(client):
    response = client.post("/signin", data={"email": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for name in ("email", "password"):
        assert f'id="f-{name}-error"' in html and f'href="#f-{name}"' in html, name
    only_password = client.post("/signin", data={"email": "someone@example.no", "password": ""})
    page = only_password.get_data(as_text=True)
    assert only_password.status_code == 422 and 'id="f-password-error"' in page and 'id="f-email-error"' not in page
    assert 'value="someone@example.no"' in page  # what was typed stays


def test_a_supplier_signing_in_lands_in_the_supplier_portal(app, make, client):
    with app.app_context():
        service.create_supplier("915345727", "Trygg Teknologi AS", "post@trygg.test", password="correct horse battery")
        db.session.commit()
        assert identity.find_user_by_email("post@trygg.test") is not None
    signed_in = client.post("/signin", data={"email": "post@trygg.test", "password": "correct horse battery"})
    assert signed_in.status_code == 302
    landing = client.get(signed_in.headers["Location"])
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/supplier/")
    officer = make.user("officer@drammen.test", tenant=make.tenant("drammen"), role="officer")
    other = app.test_client()
    other.post("/signin", data={"email": officer.email, "password": officer.password})
    assert other.get("/").headers["Location"].endswith("/t/drammen/")  # municipal staff as before
