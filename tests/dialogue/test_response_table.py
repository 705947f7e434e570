"""The response overview page as the project group reads it (core.dialogue.response_table):
submitted responses only, drafts counted but never shown, secrets marked, files linked."""

from __future__ import annotations

import io
import re

from tests.dialogue.helpers import SECRET, answer_body, make_questionnaire


def _page(w, qid: str) -> str:
    page = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{qid}/responses")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return page.get_data(as_text=True)


def test_submitted_side_by_side_drafts_only_counted_files_linked(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    upload = w.api("post", f"{path}/attachments", w.a,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"Ark\n"), "ark.txt")},
                   content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_data(as_text=True)
    body = answer_body(q, "", secret=SECRET)
    body["answers"].append({"question_id": q["questions"][3]["id"], "value": [upload.json["id"]]})
    assert w.api("put", path, w.a, json=body).status_code == 200
    draft = answer_body(q, "Utkast som ikke skal vises", submit=False)
    assert w.api("put", path, w.b, json=draft).status_code == 200

    w.login(w.officer)
    html = _page(w, q["id"])
    assert "1 innsendte svar; 1 utkast er ikke sendt inn" in html
    assert "Utkast som ikke skal vises" not in html and "Omsorgsdata AS" not in html  # B's draft stays B's
    assert "Trygg Teknologi AS" in html and 'data-secret="true"' in html and "Prismodell" in html
    assert ">ark.txt</a>" in html
    [href] = re.findall(r'href="([^"]*/files/[^"]*)"', html)
    assert href.endswith(f"/t/baerum/procurements/{w.pid}/dialogue/files/{upload.json['id']}")
    assert w.client.get(href).get_data() == b"Ark\n"
    for fmt in ("csv", "xlsx"):
        for variant in ("internal", "external"):
            link = re.search(rf'id="export-{fmt}-{variant}" href="([^"]*)"', html).group(1)
            assert link.endswith(f"/questionnaires/{q['id']}/export.{fmt}?variant={variant}")
            assert w.client.get(link).status_code == 200
    # The dialogue navigation, built from one URL, leads to the pages it names.
    for nav in ("nav-dialogue", "nav-conference", "nav-questions", "nav-questionnaires", "nav-meetings",
                "nav-calendar"):
        link = re.search(rf'id="{nav}" href="([^"]*)"', html).group(1)
        assert w.client.get(link).status_code == 200, nav

    # Submitted later, B's response is a second column; the draft count goes to 0.
    draft["submit"] = True
    assert w.api("put", path, w.b, json=draft).status_code == 200
    html = _page(w, q["id"])
    assert html.index("Trygg Teknologi AS") < html.index("Omsorgsdata AS") and "Utkast som ikke skal vises" in html
    assert "2 innsendte svar; 0 utkast er ikke sendt inn" in html


def test_a_questionnaire_of_another_procurement_is_not_found_here(open_world):
    w = open_world
    q = make_questionnaire(w)
    w.login(w.officer)
    other = "00000000-0000-0000-0000-000000000001"
    assert w.client.get(f"/t/baerum/procurements/{other}/dialogue/questionnaires/{q['id']}/responses"
                        ).status_code == 404
    assert w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{other}/responses"
                        ).status_code == 404


def test_the_table_reaches_the_layout_in_one_piece_whatever_the_number_of_responses(open_world, monkeypatch):
    """The page's content is rendered into one string (a set block in responses.html): the
    layout's buffer holds as many pieces with two responses (and a file) as with one. And the
    cells are unpacked in the loop: a response more reads only its column head's three
    attributes through Jinja, none per cell."""
    w = open_world
    joined: list[list[str]] = []
    read: list[str] = []
    jinja_getattr = w.app.jinja_env.getattr
    table_names = {"supplier_id", "supplier_name", "label", "value", "is_secret", "secret_reason", "shown", "in_block"}

    def getattr_(obj, name):
        if name in table_names:
            read.append(name)
        return jinja_getattr(obj, name)
    monkeypatch.setattr(w.app.jinja_env, "getattr", getattr_)

    def concat(pieces):
        pieces = list(pieces)
        joined.append(pieces)
        return "".join(pieces)
    monkeypatch.setattr(w.app.jinja_env, "concat", concat)

    def layout_pieces(qid: str) -> int:
        joined.clear()
        read.clear()
        html = _page(w, qid)
        layout = [p for p in joined if len(p) > 1 and "".join(p) == html]  # base.html's own buffer
        return len(layout[0])

    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    assert w.api("put", path, w.a, json=answer_body(q, "", secret=SECRET)).status_code == 200
    w.login(w.officer)
    one = layout_pieces(q["id"])
    read_one = len(read)
    upload = w.api("post", f"{path}/attachments", w.b,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"Ark\n"), "ark.txt")},
                   content_type="multipart/form-data")
    body = answer_body(q, "Svar fra B")
    body["answers"].append({"question_id": q["questions"][3]["id"], "value": [upload.json["id"]]})
    assert w.api("put", path, w.b, json=body).status_code == 200
    assert layout_pieces(q["id"]) == one
    assert len(read) - read_one == 3, read  # supplier_id, supplier_name, label of the new column
    html = _page(w, q["id"])
    assert html.count("<td") == 8 and ">ark.txt</a>" in html and "Svar fra B" in html
