"""Invitations to joint procurements: the dashboard shows the five oldest with the total and a
link; the invitations page lists them all, oldest first, a keyset page at a time, with an
empty state; only the tenant's admins and officers see them; the cost does not grow."""

from __future__ import annotations

import re

import pytest

PAGE = "/t/asker/procurements/invitations"
ACCEPT = re.compile(r'id="accept-([0-9a-f-]{36})"')


def _invite(world, n: int) -> list[str]:
    """`n` Bærum procurements inviting Asker, oldest first."""
    lead, ids = world.api("baerum"), []
    for i in range(n):
        pid = world.procurement(title=f"Invitasjon {i}")["id"]
        assert lead.post(f"/api/v1/procurements/{pid}/participants",
                         json={"tenant": "asker", "role": "buyer"}).status_code == 201
        ids.append(pid)
    return ids


def test_dashboard_shows_five_invitations_a_count_and_a_link(world):
    pids = _invite(world, 5)
    admin = world.browser("asker", "admin")
    dashboard = admin.get("/t/asker/").get_data(as_text=True)
    assert ACCEPT.findall(dashboard) == pids and 'id="invitations-more"' not in dashboard

    pids += _invite(world, 2)
    dashboard = admin.get("/t/asker/").get_data(as_text=True)
    assert ACCEPT.findall(dashboard) == pids[:5]  # the oldest wait longest
    more = dashboard[dashboard.index('id="invitations-more"'):]
    assert "7" in more[:more.index("</p>")] and f'href="{PAGE}"' in more


def test_the_invitations_page_pages_through_all_oldest_first(world):
    pids = _invite(world, 7)
    officer = world.browser("asker")
    seen, url = [], f"{PAGE}?limit=3"
    while url:
        html = officer.get(url).get_data(as_text=True)
        found = ACCEPT.findall(html)
        assert 1 <= len(found) <= 3
        seen += found
        assert 'id="invitation-count"' in html
        following = re.search(r'id="next-page" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") + "&limit=3" if following else None
    assert seen == pids

    declined = officer.post(f"/t/asker/procurements/{pids[0]}/participants/respond",
                            data={"answer": "decline", "back": "invitations"})
    assert declined.status_code == 303 and declined.headers["Location"].endswith(PAGE)
    assert ACCEPT.findall(officer.get(PAGE).get_data(as_text=True)) == pids[1:]
    from_dashboard = officer.post(f"/t/asker/procurements/{pids[1]}/participants/respond", data={"answer": "decline"})
    assert from_dashboard.headers["Location"].endswith("/t/asker/")


def test_empty_state_and_who_may_see_the_invitations(world):
    _invite(world, 1)
    empty = world.browser("drammen").get("/t/drammen/procurements/invitations")
    assert empty.status_code == 200 and 'id="no-invitations"' in empty.get_data(as_text=True)
    for role in ("member", "viewer"):
        assert world.browser("asker", role).get(PAGE).status_code == 404
    assert world.browser("baerum").get(PAGE).status_code == 404  # not a member of Asker
    assert world.browser("asker", "admin").get(f"{PAGE}?cursor=not-a-cursor").status_code == 422


@pytest.mark.parametrize("path", ["/t/asker/", PAGE])
def test_the_cost_does_not_grow_with_the_invitations(world, count_queries, path):
    browser = world.browser("asker")
    counts = []
    for grow in (6, 24):
        _invite(world, grow)
        browser.get(path)  # warm-up
        with count_queries() as counter:
            response = browser.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    # the invitations come with how many wait in all (no separate count statement)
    assert counts[0] <= (6 if path == "/t/asker/" else 3), counts
    assert len(ACCEPT.findall(response.get_data(as_text=True))) == (5 if path == "/t/asker/" else 20)
