"""Needs added at the same moment keep unique positions (they take turns on the procurement)."""

from __future__ import annotations

import pytest

from tests.concurrency import at_once

pytestmark = pytest.mark.postgres  # real threads; they overlap on PostgreSQL, SQLite serialises them


def test_needs_added_in_parallel_get_unique_positions(world):
    pid = world.procurement()["id"]
    token = world.api("baerum").headers["Authorization"].removeprefix("Bearer ")
    path = f"/api/v1/procurements/{pid}/needs"
    results = at_once(world.app, [("post", path, token, {"statement": f"Need {i}", "source": "survey"})
                                  for i in range(100)])
    assert [getattr(r, "status_code", r) for r in results] == [201] * 100
    needs = world.api("baerum").get(path).json
    assert sorted(n["position"] for n in needs) == list(range(1, 101))
    # Reordering while needs are added keeps them unique too.
    ids = [n["id"] for n in needs]
    results = at_once(world.app, [("put", f"{path}/order", token, {"order": list(reversed(ids))})]
                      + [("post", path, token, {"statement": f"Late {i}", "source": "survey"}) for i in range(5)])
    assert [getattr(r, "status_code", r) for r in results] in ([200] + [201] * 5, [422] + [201] * 5)
    positions = [n["position"] for n in world.api("baerum").get(path).json]
    assert len(positions) == 105 and len(set(positions)) == 105
