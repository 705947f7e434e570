"""The lots in the specification's pages: the lots page (add, edit, remove with a message next
to the field, confirmation before removing, refused once the competition is announced), the lot
chosen on the requirement form and shown in the list, and the award criteria edited per lot with
the sums checked per lot."""

from __future__ import annotations

import re
import uuid

from core.db import db
from core.procurement.models import Phase, Procurement
from core.specification.models import AwardCriterion, Lot
from tests.conftest import add_internal_plugin, csrf_token
from tests.specification.conftest import CRITERIA, requirement


def _url(spec, tail=""):
    return f"/t/baerum/procurements/{spec.pid}/specification/{tail}"


def _lots(api, spec, *titles):
    response = api.put(f"{spec.base}/lots", json={"lots": [{"title": t} for t in titles]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [lot["id"] for lot in response.json]


def _criteria_form(token, rows, lot=""):
    form = {"csrf_token": token, "rows": str(len(rows)), "lot": lot}
    for i, (level, name, weight, model) in enumerate(rows):
        form |= {f"row-{i}-level": level, f"row-{i}-name": name, f"row-{i}-weight": weight,
                 f"row-{i}-price_model": model}
    return form


def test_lots_page_adds_edits_and_removes_a_lot_with_errors_next_to_the_field(world, spec, app):
    browser = world.browser("baerum")
    page = browser.get(_url(spec, "lots"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="no-lots"' in html and 'id="add-lot-form"' in html
    token = csrf_token(html)
    empty = browser.post(_url(spec, "lots"), data={"csrf_token": token, "title": "  ", "description": "x"})
    shown = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'id="f-title-error"' in shown and 'aria-invalid="true"' in shown
    added = browser.post(_url(spec, "lots"), data={"csrf_token": token, "title": "Delkontrakt 1: Alarmer",
                                                  "description": "Trygghetsalarmer"})
    assert added.status_code == 303
    browser.post(_url(spec, "lots"), data={"csrf_token": token, "title": "Delkontrakt 2: Sensorer"})
    listed = browser.get(_url(spec, "lots")).get_data(as_text=True)
    assert "Delkontrakt 1: Alarmer" in listed and "Trygghetsalarmer" in listed and "Delkontrakt 2" in listed
    assert 'data-confirm="' in listed  # removing asks first
    with app.app_context():
        first, second = [lot.id for lot in Lot.query.order_by(Lot.position)]
    editing = browser.get(_url(spec, f"lots?edit={first}")).get_data(as_text=True)
    assert 'id="edit-lot-form"' in editing and 'value="Delkontrakt 1: Alarmer"' in editing
    wrong = browser.post(_url(spec, f"lots/{first}"), data={"csrf_token": token, "title": ""})
    assert wrong.status_code == 422 and 'id="f-title-error"' in wrong.get_data(as_text=True)
    saved = browser.post(_url(spec, f"lots/{first}"), data={"csrf_token": token, "title": "Alarmer",
                                                             "description": ""})
    assert saved.status_code == 303
    removed = browser.post(_url(spec, f"lots/{second}/delete"), data={"csrf_token": token})
    assert removed.status_code == 303
    with app.app_context():
        assert [(lot.title, lot.description) for lot in Lot.query.all()] == [("Alarmer", "")]


def test_a_lot_of_another_procurement_is_404_on_the_lots_page(world, spec, app):
    api = world.api("baerum")
    other = world.procurement(title="Annen anskaffelse")
    other_lot = api.put(f"/api/v1/procurements/{other['id']}/lots", json={"lots": [{"title": "Fremmed"}]})
    assert other_lot.status_code == 200
    with app.app_context():
        lot_id = Lot.query.filter_by(title="Fremmed").one().id
    browser = world.browser("baerum")
    token = csrf_token(browser.get(_url(spec, "lots")).get_data(as_text=True))
    assert browser.post(_url(spec, f"lots/{lot_id}"), data={"csrf_token": token, "title": "x"}).status_code == 404
    assert browser.post(_url(spec, f"lots/{lot_id}/delete"), data={"csrf_token": token}).status_code == 404
    assert browser.get(_url(spec, f"award-criteria?lot={lot_id}")).status_code == 404
    assert browser.get(_url(spec, "award-criteria?lot=not-an-id")).status_code == 404
    with app.app_context():
        assert Lot.query.filter_by(title="Fremmed").count() == 1


def test_lots_are_refused_with_a_message_once_the_competition_is_announced(world, spec, app):
    api = world.api("baerum")
    _lots(api, spec, "Alarmer")
    add_internal_plugin(app, "announcer", samspill_competition_announced=lambda procurement: True)
    with app.app_context():
        db.session.get(Procurement, uuid.UUID(spec.pid)).phase = Phase.competition
        db.session.commit()
    browser = world.browser("baerum")
    page = browser.get(_url(spec, "lots")).get_data(as_text=True)
    assert 'id="lots-fixed"' in page and 'id="add-lot-form"' not in page and "data-confirm" not in page
    refused = browser.post(_url(spec, "lots"), data={"csrf_token": csrf_token(page), "title": "Sensorer"})
    assert refused.status_code == 409 and 'class="error-summary"' in refused.get_data(as_text=True)
    with app.app_context():
        assert [lot.title for lot in Lot.query.all()] == ["Alarmer"]


def test_requirement_form_chooses_the_lot_and_the_list_labels_it(world, spec, app):
    api = world.api("baerum")
    browser = world.browser("baerum")
    assert 'id="f-lot_id"' not in browser.get(_url(spec)).get_data(as_text=True)  # no lots, no choice
    lot_id, _second = _lots(api, spec, "Alarmer", "Sensorer")
    page = browser.get(_url(spec)).get_data(as_text=True)
    assert 'id="f-lot_id"' in page
    token = csrf_token(page)
    base = {"csrf_token": token, "kind": "absolute", "category": "function", "needs": [spec.needs[0]["id"]]}
    wrong = browser.post(_url(spec, "requirements"), data=base | {"text": "Skal varsle", "lot_id": str(uuid.uuid4())})
    assert wrong.status_code == 422 and 'id="f-lot_id-error"' in wrong.get_data(as_text=True)
    assert browser.post(_url(spec, "requirements"), data=base | {"text": "Alarmen skal virke ute",
                                                                 "lot_id": lot_id}).status_code == 303
    assert browser.post(_url(spec, "requirements"), data=base | {"text": "Gjelder alt",
                                                                 "lot_id": ""}).status_code == 303
    listed = browser.get(_url(spec)).get_data(as_text=True)
    assert 'data-lot="Alarmer"' in listed and 'data-lot=""' in listed
    rows = api.get(f"{spec.base}/requirements").json
    items = rows["items"] if isinstance(rows, dict) else rows
    by_text = {r["text"]: r["lot_id"] for r in items}
    assert by_text == {"Alarmen skal virke ute": lot_id, "Gjelder alt": None}
    picked = browser.post(_url(spec, "requirements/from-library"), data={
        "csrf_token": token, "library_ref": "welfare_tech:WT-SEC-01", "needs": [spec.needs[2]["id"]],
        "lot_id": _second})
    assert picked.status_code == 303
    rows = api.get(f"{spec.base}/requirements").json
    assert [r["lot_id"] for r in rows["items"] if r.get("source_ref") == "welfare_tech:WT-SEC-01"] == [_second]
    rid = next(r["id"] for r in items if r["lot_id"] == lot_id)
    editing = browser.get(_url(spec, f"?edit={rid}")).get_data(as_text=True)
    assert f'<option value="{lot_id}" selected>' in editing


def test_criteria_page_edits_one_lots_criteria_with_its_own_sum(world, spec, app):
    api = world.api("baerum")
    lot_id, _second = _lots(api, spec, "Alarmer", "Sensorer")
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA}).status_code == 200
    browser = world.browser("baerum")
    page = browser.get(_url(spec, f"award-criteria?lot={lot_id}"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="lot-selector"' in html and 'id="lot-uses-whole"' in html
    assert f'<option value="{lot_id}" selected>' in html
    token = csrf_token(html)
    rows = [("criterion", "Kvalitet", "60", ""), ("price", "Pris", "30", "lowest_proportional")]
    wrong = browser.post(_url(spec, "award-criteria"), data=_criteria_form(token, rows, lot_id))
    shown = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Alarmer" in shown and "90" in shown
    rows[0] = ("criterion", "Kvalitet", "70", "")
    saved = browser.post(_url(spec, "award-criteria"), data=_criteria_form(token, rows, lot_id))
    assert saved.status_code == 303 and f"lot={lot_id}" in saved.headers["Location"]
    with app.app_context():
        own = {(c.name, c.weight) for c in AwardCriterion.query.filter_by(lot_id=uuid.UUID(lot_id))}
        whole = AwardCriterion.query.filter_by(lot_id=None, parent_id=None).count()
    assert own == {("Kvalitet", 70), ("Pris", 30)} and whole == 3  # the whole's criteria kept
    again = browser.get(_url(spec, f"award-criteria?lot={lot_id}")).get_data(as_text=True)
    assert 'id="lot-uses-whole"' not in again and 'value="Kvalitet"' in again and 'value="70"' in again
    whole_page = browser.get(_url(spec, "award-criteria")).get_data(as_text=True)
    assert 'value="Implementering og gevinst"' in whole_page and 'value="70"' not in whole_page
    sim = {"csrf_token": token, "lot": lot_id}
    leaf = str(next(c.id for c in _lot_criteria(app, lot_id) if not c.is_price))
    for i, price in enumerate(("100", "200")):
        sim |= {f"tender-{i}-name": f"T{i}", f"tender-{i}-price": price, f"tender-{i}-score-{leaf}": "10"}
    result = browser.post(_url(spec, "award-criteria/simulation"), data=sim)
    assert result.status_code == 200 and "100.00" in result.get_data(as_text=True)
    cleared = browser.post(_url(spec, "award-criteria"), data=_criteria_form(token, [], lot_id))
    assert cleared.status_code == 303  # an empty list: the lot uses the whole's again
    with app.app_context():
        assert AwardCriterion.query.filter_by(lot_id=uuid.UUID(lot_id)).count() == 0


def _lot_criteria(app, lot_id):
    with app.app_context():
        return list(AwardCriterion.query.filter_by(lot_id=uuid.UUID(lot_id)))


def test_the_pages_queries_do_not_grow_with_the_lots(world, spec, count_queries):
    api = world.api("baerum")
    browser = world.browser("baerum")
    pages = ("lots", "", "award-criteria")
    first = _lots(api, spec, "Alarmer")[0]
    api.post(f"{spec.base}/requirements", json={"text": "Skal virke", "kind": "absolute", "lot_id": first,
                                                 "needs": [spec.needs[0]["id"]]})
    for tail in pages:
        browser.get(_url(spec, tail))
    with count_queries() as few:
        for tail in pages:
            assert browser.get(_url(spec, tail)).status_code == 200
    lot_ids = _lots(api, spec, *[f"Delkontrakt {i}" for i in range(12)])  # one list replaces the lots
    for lot_id in lot_ids[:4]:
        api.post(f"{spec.base}/requirements", json={"text": "Skal virke", "kind": "absolute", "lot_id": lot_id,
                                                     "needs": [spec.needs[0]["id"]]})
    with count_queries() as many:
        for tail in pages:
            assert browser.get(_url(spec, tail)).status_code == 200
    assert many.count <= few.count, (few.count, many.count)


def _actions(html: str) -> list[str]:
    """The `<div class="actions">` blocks of a list page, whitespace collapsed."""
    return [" ".join(block.split()) for block in re.findall(r'<div class="actions">(.*?)</div>', html, re.S)]


def test_lots_and_requirements_share_the_edit_and_remove_actions(world, spec):
    """Both lists render one macro (`item_actions`): an edit link and a remove form that asks
    first, each with the item's name for screen readers, the remove button marked dangerous."""
    api = world.api("baerum")
    browser = world.browser("baerum")
    (lot_id,) = _lots(api, spec, "Alarmer")
    created = requirement(api, spec).json
    rid, ref = created["id"], created["ref"]
    lots = _actions(browser.get(_url(spec, "lots")).get_data(as_text=True))
    requirements = _actions(browser.get(_url(spec)).get_data(as_text=True))
    assert len(lots) == 1 and len(requirements) == 1
    for block, edit, remove_action, remove_id, name in (
            (lots[0], f'lots?edit={lot_id}#lot-{lot_id}" id="edit-lot-1"', f"lots/{lot_id}/delete",
             'id="remove-lot-1"', "Alarmer"),
            (requirements[0], f'?edit={rid}#requirement-{rid}" id="edit-{rid}"', f"requirements/{rid}/delete",
             f'id="delete-{rid}"', ref)):
        assert edit in block and f'<span class="visually-hidden"> {name}' in block
        form = re.search(r'<form method="post" action="([^"]+)" class="inline" data-confirm="([^"]+)">', block)
        assert form and form.group(1).endswith(remove_action) and form.group(2).strip()
        assert f'class="danger ds-button" data-variant="secondary" data-color="danger" {remove_id}' in block
        assert block.count('name="csrf_token"') == 1
