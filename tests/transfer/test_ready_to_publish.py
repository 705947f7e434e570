"""The "ready to publish" page: what is missing, the gate items to confirm, and publishing the
dialogue in one step (phases moved while the gates allow, dialogue and questionnaire opened)."""

from __future__ import annotations

import re

from tests.transfer.conftest import start_form  # noqa: F401  (documents where the form comes from)

MANUAL_BEFORE_DIALOGUE = {"core-mandate", "core-project-group", "core-needs-prioritised", "wt-users-involved"}
# The baseline item is met only by the baselines themselves (the package's KPIs have none yet):
# publishing in one step waives it with the officer's reason, it is never ticked.
BASELINE_WAIVER = {"waive-core-benefits-baseline": "Baselines are recorded before the competition."}


def _started(world, package, role="officer"):
    response = package.start(world.browser("drammen", role))
    assert response.status_code == 303, response.get_data(as_text=True)
    return re.search(r"/procurements/([0-9a-f-]{36})/ready$", response.headers["Location"]).group(1)


def test_the_page_lists_the_dialogue_parts_and_the_items_still_open(world, package):
    pid = _started(world, package)
    page = world.browser("drammen").get(f"/t/drammen/procurements/{pid}/ready")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for part in ("invitation-preview", "conference-agenda", "questionnaire-questions", "one-to-one-agenda"):
        assert f'id="{part}"' in html, part
    for key in MANUAL_BEFORE_DIALOGUE:
        assert f'id="f-item-{key}"' in html, key
    assert 'id="f-item-core-benefits-baseline"' not in html  # no checkbox: the data meets it
    assert 'id="f-waive-core-benefits-baseline"' in html and 'data-missing="core-benefits-baseline"' in html
    for automatic in ("core-budget", "core-procedure", "core-needs-recorded"):
        assert f'data-state="auto" id="ready-item-{automatic}"' in html, automatic
    assert 'id="publish-dialogue">' in html  # enabled: ticking the boxes is all that is left


def test_unconfirmed_items_are_named_and_nothing_moves(world, package):
    pid = _started(world, package)
    browser = world.browser("drammen")
    response = browser.post(f"/t/drammen/procurements/{pid}/ready", data={"confirm": ["core-mandate"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for key in MANUAL_BEFORE_DIALOGUE - {"core-mandate"}:
        assert f'href="#f-item-{key}"' in html and f'id="f-item-{key}-error"' in html, key
    assert 'href="#f-waive-core-benefits-baseline"' in html and 'id="f-waive-core-benefits-baseline-error"' in html
    assert 'value="core-mandate" checked' in html  # what was ticked stays ticked
    procurement = world.api("drammen").get(f"/api/v1/procurements/{pid}").json
    assert procurement["phase"] == "anchoring" and procurement["dialogue_open"] is False
    gates = world.api("drammen").get(f"/api/v1/procurements/{pid}/gates").json
    assert not [i for i in gates if i.get("state") == "done"]


def test_publishing_moves_to_the_dialogue_and_opens_it_for_suppliers(world, package):
    pid = _started(world, package)
    response = world.browser("drammen").post(f"/t/drammen/procurements/{pid}/ready",
                                             data={"confirm": sorted(MANUAL_BEFORE_DIALOGUE), **BASELINE_WAIVER})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/t/drammen/procurements/{pid}/dialogue/")
    api = world.api("drammen")
    procurement = api.get(f"/api/v1/procurements/{pid}").json
    assert procurement["phase"] == "dialogue" and procurement["dialogue_open"] is True
    questionnaires = api.get(f"/api/v1/procurements/{pid}/questionnaires").json
    items = questionnaires["items"] if isinstance(questionnaires, dict) else questionnaires
    assert items and all(q["opened_at"] for q in items)
    baseline = next(i for i in api.get(f"/api/v1/procurements/{pid}/gates").json
                    if i["key"] == "core-benefits-baseline")
    assert (baseline["state"], baseline["reason"]) == ("waived", BASELINE_WAIVER["waive-core-benefits-baseline"])
    market = api.get("/api/v1/market/dialogues").json
    listed = market["items"] if isinstance(market, dict) else market
    assert pid in {d["id"] for d in listed}
    again = world.browser("drammen").get(f"/t/drammen/procurements/{pid}/ready").get_data(as_text=True)
    assert 'id="publish-dialogue" disabled' in again and 'id="dialogue-published"' in again


def test_who_cannot_publish_sees_the_button_disabled_with_the_reason(world, package):
    pid = _started(world, package)
    viewer = world.browser("drammen", "viewer")
    html = viewer.get(f"/t/drammen/procurements/{pid}/ready").get_data(as_text=True)
    assert 'id="publish-dialogue" disabled aria-describedby="publish-blockers"' in html
    assert viewer.post(f"/t/drammen/procurements/{pid}/ready",
                       data={"confirm": sorted(MANUAL_BEFORE_DIALOGUE), **BASELINE_WAIVER}).status_code in (403, 409)
    assert world.api("drammen").get(f"/api/v1/procurements/{pid}").json["dialogue_open"] is False
    assert world.browser("asker").get(f"/t/asker/procurements/{pid}/ready").status_code == 404
