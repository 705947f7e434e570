"""Publishing a procurement as a template carries no supplier data and no business secret.

The publish function builds the template only from an allow-list of procurement-owned fields.
This test puts a sentinel into every place outside that allow-list that the procurement domain
controls (extension data, key dates, milestones, waiver reasons, attachments' names and bytes,
lessons, participants, the audit log, the description of what a supplier said in a need's
evidence) and asserts the sentinel never reaches the template.
"""

from __future__ import annotations

import io
import json

from plugins.welfare_tech.content import TEMPLATE
from tests.conftest import add_internal_plugin

SENTINEL = "SUPPLIER-SECRET-7f3a"


def test_publish_uses_only_allow_listed_fields(app, world):
    add_internal_plugin(app, "supplierdata", samspill_extension_validators=lambda: {"supplierdata": lambda data: data})
    api = world.api("baerum")
    library = api.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json
    procurement = world.procurement(template=library["template_id"], title="Tryggere hverdag 2027",
                                    extension={"supplierdata": {"answer": SENTINEL}},
                                    key_dates={"dialogue_conference": "2027-01-20"},
                                    milestones=[{"title": f"Meeting with {SENTINEL}", "date": "2027-02-01"}])
    pid = procurement["id"]
    need = api.post(f"/api/v1/procurements/{pid}/needs",
                    json={"statement": "Alarms must work during power cuts", "source": "workshop"}).json
    api.post(f"/api/v1/procurements/{pid}/attachments", content_type="multipart/form-data",
             data={"file": (io.BytesIO(f"Offer from {SENTINEL}".encode()), f"{SENTINEL}.txt"), "need_id": need["id"]})
    api.post(f"/api/v1/procurements/{pid}/gates",
             json={"item": "core-mandate", "action": "waive", "reason": f"Told by {SENTINEL}"})
    api.post(f"/api/v1/procurements/{pid}/lessons", json={"title": SENTINEL, "body": SENTINEL})
    world.api("baerum").post(f"/api/v1/procurements/{pid}/participants", json={"tenant": "asker", "role": "buyer"})
    assert SENTINEL in json.dumps(api.get(f"/api/v1/procurements/{pid}/protocol").json)

    published = api.post(f"/api/v1/procurements/{pid}/publish-template",
                         json={"visibility": "shared", "shared_with": ["drammen"], "changelog": "From our procurement"})
    assert published.status_code == 201, published.get_data(as_text=True)
    content = published.json["content"]
    assert SENTINEL not in json.dumps(content)
    # what *is* published: the procurement's own fields, its needs and the inherited library sections
    assert content["title"] == "Tryggere hverdag 2027" and content["procedure"] == TEMPLATE["procedure"]
    assert "Alarms must work during power cuts" in [n["statement"] for n in content["needs"]]
    assert content["questionnaire"] == json.loads(json.dumps(TEMPLATE["questionnaire"]))
    assert set(content) <= {"format", "key", "title", "summary", "domain", "procedure", "cpv_codes", "needs",
                            "texts", "questionnaire", "requirements", "award_criteria", "gate_items", "kpis",
                            "extension"}
    exported = world.api("drammen").get(f"/api/v1/templates/{published.json['template_id']}/versions/"
                                        f"{published.json['id']}")
    assert exported.status_code == 200 and SENTINEL not in exported.get_data(as_text=True)


def test_publish_rules(world):
    pid = world.joint(role="buyer")["id"]
    assert world.api("asker").post(f"/api/v1/procurements/{pid}/publish-template", json={}).status_code == 403
    draft = world.api("baerum").post(f"/api/v1/procurements/{pid}/publish-template", json={"publish": False})
    assert draft.status_code == 201 and draft.json["status"] == "draft"
    assert world.api("drammen").get(f"/api/v1/templates/{draft.json['template_id']}").status_code == 404
    again = world.api("baerum").post(f"/api/v1/procurements/{pid}/publish-template",
                                     json={"template": draft.json["template_id"]})
    assert again.status_code == 201 and again.json["status"] == "published" and again.json["number"] == 1


def test_allow_list_is_the_only_source():
    """The module's allow-lists are what build_template_content reads (a guard against drift)."""
    import inspect

    from core.library import reuse

    source = inspect.getsource(reuse.build_template_content)
    assert "PUBLISHED_PROCUREMENT_FIELDS" in source and "PUBLISHED_NEED_FIELDS" in source
    for forbidden in ("extension", "key_dates", "milestones", "Attachment", "AuditEntry", "GateCheck", "Lesson"):
        assert forbidden not in source, forbidden
