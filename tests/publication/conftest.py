"""Fixtures for the publication tests: the eForms validator (compiled once per machine, loaded
once per test process), stand-in servers for Doffin and Enhetsregisteret, and a joint
procurement (Bærum leads, Asker buys) ready for notices."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from core import isolation
from core.db import db
from core.publication import settings
from core.publication.eforms.validator import validator_for
from tests.dialogue.conftest import open_world, world  # noqa: F401 - fixtures used by these tests
from tests.publication.standins import Brreg, Doffin

STANDARDS = settings.REPOSITORY.parent / "shared" / "standards"
# One cache for every test session on this machine (CI: compiled once per run).
CACHE = Path(os.environ.get("SAMSPILL_TEST_EFORMS_CACHE") or Path(tempfile.gettempdir()) / "samspill-eforms-cache")
REVIEW_BODY = "974760673"
BAERUM, ASKER = "935478715", "964967636"


@pytest.fixture(scope="session")
def eforms():
    """The process's validator (the app uses the same one); phases load on first use."""
    return validator_for(STANDARDS / settings.SDK, STANDARDS / settings.SCHXSLT, CACHE)


@pytest.fixture
def configured(app):
    app.config.update(SAMSPILL_STANDARDS_DIR=str(STANDARDS), SAMSPILL_EFORMS_CACHE_DIR=str(CACHE),
                      SAMSPILL_REVIEW_BODY_ORG_NUMBER=REVIEW_BODY, SAMSPILL_OCID_PREFIX="ocds-test01")
    return app


@pytest.fixture
def doffin_server():
    server = Doffin().start()
    yield server
    server.stop()


@pytest.fixture
def brreg_server():
    server = Brreg().start()
    server.add(BAERUM, "BÆRUM KOMMUNE", postnummer="1304", poststed="SANDVIKA", kommunenummer="3201")
    server.add(ASKER, "ASKER KOMMUNE", postnummer="1372", poststed="ASKER", kommunenummer="3203")
    yield server
    server.stop()


@pytest.fixture
def joint(world, configured, brreg_server):  # noqa: F811 - the dialogue tests' world fixture
    """The dialogue world's joint procurement with what notices need: organisation numbers
    (looked up in the stand-in register), CPV codes, a value above the EEA threshold, a phone."""
    from core.procurement.models import Procurement
    from core.publication import register
    from tenants.models import Tenant

    world.app.config["SAMSPILL_BRREG_URL"] = brreg_server.url

    def prepare():
        for tenant_id, number in ((world.baerum.id, BAERUM), (world.asker.id, ASKER)):
            db.session.get(Tenant, tenant_id).org_number = number
            register.check(number)
        procurement = db.session.get(Procurement, world.pid)
        procurement.cpv_codes = ["48000000", "85300000"]
        procurement.estimated_value_ore = 4_800_000_000
        procurement.key_dates = {"competition_notice": "2027-03-01"}
        procurement.extension = {"publication": {"contact_phone": "+47 67 50 40 50",
                                                 "contact_email": "innkjop@baerum.test"}}

    world.in_system(prepare)
    return world


def in_system(app, fn):
    with app.app_context(), isolation.system_scope():
        result = fn()
        db.session.commit()
        return result


ASKER_QUESTION = "Trygg Teknologi AS lurer på: hvor mange brukere?"
PUBLISHED_QUESTION = "Hvor mange brukere omfattes?"
PUBLISHED_ANSWER = "Om lag 4 000 brukere."
OPEN_QUESTION = "Omsorgsdata AS spør: hva er budsjettet?"


@pytest.fixture
def published_world(joint):
    """The joint procurement with its dialogue open: a conference, one answered question (asked
    by supplier A, published anonymised), one unanswered question from B, unpublished minutes
    and a response of A's marked as a business secret."""
    from tests.dialogue.conftest import future
    from tests.dialogue.helpers import questionnaire_with_secret_response

    w = joint
    assert w.api("post", f"/api/v1/procurements/{w.pid}/dialogue/open", w.officer_token).status_code == 200
    for token in (w.a, w.b):
        assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", token).status_code == 201
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.officer_token, json={
        "title": "Dialogkonferanse", "starts_at": future(days=10), "ends_at": future(days=10, hours=3),
        "place": "Bærum rådhus", "online_link": "https://meet.test/hemmelig-lenke", "agenda": "Behov og marked",
        "capacity": 80, "registration_deadline": future(days=8)})
    assert r.status_code == 200, r.get_data(as_text=True)
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": ASKER_QUESTION})
    qid = r.json["id"]
    r = w.api("post", f"/api/v1/questions/{qid}/answer", w.officer_token,
              json={"text": PUBLISHED_ANSWER, "published_wording": {qid: PUBLISHED_QUESTION}})
    assert r.status_code == 201, r.get_data(as_text=True)
    w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.b, json={"text": OPEN_QUESTION})
    w.secret = questionnaire_with_secret_response(w)
    return w
