"""The public pages: without signing in, the open dialogues and per procurement what is
published — never an asker, a business secret, a draft or anything unpublished."""

from __future__ import annotations

from tests.publication.conftest import ASKER_QUESTION, OPEN_QUESTION, PUBLISHED_ANSWER, PUBLISHED_QUESTION


def test_public_pages_show_published_qa_and_nothing_private(published_world):
    w = published_world
    w.client.post("/signout")
    index = w.client.get("/public/")
    assert index.status_code == 200
    assert f'data-procurement="{w.pid}"' in index.get_data(as_text=True)
    page = w.client.get(f"/public/procurements/{w.pid}")
    assert page.status_code == 200 and "X-Robots-Tag" not in page.headers
    html = page.get_data(as_text=True)
    assert PUBLISHED_QUESTION in html and PUBLISHED_ANSWER in html
    assert "Bærum kommune" in html and "Asker kommune" in html
    assert 'id="public-conference"' in html and "Bærum rådhus" in html
    for hidden in (ASKER_QUESTION, OPEN_QUESTION, w.secret, "Trygg Teknologi", "Omsorgsdata", "hemmelig-lenke"):
        assert hidden not in html, hidden
    assert 'id="public-minutes"' not in html  # minutes not published yet


def test_published_minutes_appear(published_world):
    w = published_world
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference/minutes", w.officer_token,
              json={"minutes": "Referat: 40 deltakere."})
    assert r.status_code == 200
    html = w.client.get(f"/public/procurements/{w.pid}").get_data(as_text=True)
    assert 'id="public-minutes"' in html and "Referat: 40 deltakere." in html


def test_unpublished_procurements_are_not_found_and_not_indexed(joint):
    w = joint
    page = w.client.get(f"/public/procurements/{w.pid}")
    assert page.status_code == 404 and page.headers["X-Robots-Tag"] == "noindex"
    assert f'data-procurement="{w.pid}"' not in w.client.get("/public/").get_data(as_text=True)


def test_public_list_is_keyset_paged_with_bounded_queries(published_world, count_queries):
    w = published_world
    with count_queries() as counted:
        assert w.client.get("/public/").status_code == 200
    assert counted.count <= 6
    assert w.client.get("/public/?cursor=bogus").status_code == 422
