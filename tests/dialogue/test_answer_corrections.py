"""Correcting a published answer: project group only; the corrected text reaches every registered
supplier at once (same information to all), marked as corrected and told through the outbox;
the audit keeps the text before and after, and the protocol shows the correction."""

from __future__ import annotations

from tests.dialogue.helpers import audit_entries, outbox, set_lang


def _published(w) -> dict:
    q1 = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "Hvor mange alarmer?"}).json
    r = w.api("post", f"/api/v1/questions/{q1['id']}/answer", w.officer_token, json={"text": "Omtrent 1200."})
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json


def _correct(w, token, answer_id, **body):
    return w.api("post", f"/api/v1/answers/{answer_id}/correction", token, json=body)


def _published_items(w, token) -> list[dict]:
    r = w.api("get", f"/api/v1/procurements/{w.pid}/questions", token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json["items"]


def test_correction_reaches_every_registered_supplier(open_world):
    w = open_world
    answer = _published(w)
    assert answer["corrected_at"] is None
    before_mail = len(outbox(w))
    r = _correct(w, w.officer_token, answer["id"], text="Omtrent 2100.", note="Tallet var feil.")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["answer"] == "Omtrent 2100." and r.json["corrected_at"] and r.json["correction_note"] == \
        "Tallet var feil."
    # Every registered supplier reads the same corrected answer, the asker and the others alike.
    seen = {}
    for token in (w.a, w.b):
        [item] = _published_items(w, token)
        seen[token] = (item["answer"], item["corrected_at"], item["correction_note"], tuple(item["questions"]))
    assert len(set(seen.values())) == 1 and seen[w.a][0] == "Omtrent 2100."
    # ... and each of them is told; the unregistered supplier is not.
    told = sorted(to for to, _s, _b in outbox(w)[before_mail:])
    assert told == ["post@omsorg.test", "post@trygg.test"]
    # A supplier registering later reads the corrected answer too.
    assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.c).status_code == 201
    assert _published_items(w, w.c)[0]["answer"] == "Omtrent 2100."
    # On the record: before and after, and a sentence in the protocol.
    [entry] = audit_entries(w, "dialogue.answer_corrected")
    assert entry["changes"]["before"]["text"] == "Omtrent 1200."
    assert entry["changes"]["after"] == {"text": "Omtrent 2100.", "note": "Tallet var feil."}
    protocol = w.api("get", f"/api/v1/procurements/{w.pid}/protocol", w.asker_member_token).json
    [shown] = [e for e in protocol["entries"] if e["action"] == "dialogue.answer_corrected"]
    from core.procurement.protocol import describe

    assert describe("dialogue.answer_corrected") != "dialogue.answer_corrected"
    assert shown["changes"]["after"]["text"] == "Omtrent 2100."


def test_only_the_project_group_corrects(open_world):
    w = open_world
    answer = _published(w)
    for token in (w.a, w.b, w.c, w.outsider_token):  # the asker too: 404
        assert _correct(w, token, answer["id"], text="Endret").status_code == 404
    assert _correct(w, w.asker_member_token, answer["id"], text="Endret").status_code == 403
    assert _correct(w, w.asker_officer_token, answer["id"], text="Rettet av Asker").status_code == 200
    assert _published_items(w, w.a)[0]["answer"] == "Rettet av Asker"
    assert _correct(w, w.officer_token, "00000000-0000-0000-0000-000000000000", text="x").status_code == 404


def test_invalid_corrections_change_nothing(open_world):
    w = open_world
    answer = _published(w)
    before_mail = len(outbox(w))
    assert _correct(w, w.officer_token, answer["id"], text="Omtrent 1200.").status_code == 422  # nothing new
    assert _correct(w, w.officer_token, answer["id"], text="   ").status_code == 422
    assert _correct(w, w.officer_token, answer["id"], text="Ny", note="x" * 2001).status_code == 422
    [item] = _published_items(w, w.a)
    assert item["answer"] == "Omtrent 1200." and item["corrected_at"] is None
    assert len(outbox(w)) == before_mail and audit_entries(w, "dialogue.answer_corrected") == []


def test_correction_on_the_pages(open_world):
    w = open_world
    answer = _published(w)
    g = f"/t/baerum/procurements/{w.pid}/dialogue"
    w.login(w.officer)
    for lang in ("nb", "en"):
        set_lang(w.client, lang)
        html = w.client.get(f"{g}/questions").get_data(as_text=True)
        assert f'id="correct-{answer["id"]}"' in html
        page = w.client.get(f"{g}/answers/{answer['id']}/correct")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="correct-answer-form"' in html and "data-confirm=" in html
        assert "Omtrent 1200." in html
    r = w.client.post(f"{g}/answers/{answer['id']}/correct", data={"text": "Omtrent 1200."})
    assert r.status_code == 422 and 'id="f-text-error"' in r.get_data(as_text=True)
    r = w.client.post(f"{g}/answers/{answer['id']}/correct", data={"text": "Omtrent 2100.", "note": "Feil tall."})
    assert r.status_code == 302
    # The supplier portal shows the corrected answer, marked as corrected, in both languages.
    w.login(w.b_user)
    for lang in ("nb", "en"):
        set_lang(w.client, lang)
        html = w.client.get(f"/supplier/dialogues/{w.pid}/questions").get_data(as_text=True)
        assert "Omtrent 2100." in html and "Omtrent 1200." not in html
        assert f'id="corrected-{answer["id"]}"' in html and "Feil tall." in html
    # Suppliers and other tenants cannot reach the correction page.
    assert w.client.get(f"{g}/answers/{answer['id']}/correct").status_code == 404
    w.login(w.outsider)
    assert w.client.get(f"/t/drammen/procurements/{w.pid}/dialogue/answers/{answer['id']}/correct").status_code == 404
    w.login(w.asker_member)
    r = w.client.post(f"/t/asker/procurements/{w.pid}/dialogue/answers/{answer['id']}/correct", data={"text": "x"})
    assert r.status_code == 403
