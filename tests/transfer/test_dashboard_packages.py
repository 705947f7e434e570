"""The dashboard's package panel shows only the templates the tenant may see (`package_rows`)."""

from __future__ import annotations

import copy

from plugins.welfare_tech.content import TEMPLATE


def test_a_template_shared_with_one_municipality_shows_only_on_its_dashboard(world, package):
    content = {**copy.deepcopy(TEMPLATE), "title": "Bare for Drammen", "summary": "Bare for Drammen"}
    shared = world.api("asker").post("/api/v1/tenants/asker/templates",
                                     json={"content": content, "visibility": "shared", "shared_with": ["drammen"]})
    assert shared.status_code == 201, shared.json
    marker = f'id="package-{shared.json["template_id"]}"'
    open_to_all = f'id="package-{package.template_id}"'

    drammen = world.browser("drammen").get("/t/drammen/").get_data(as_text=True)
    assert marker in drammen and open_to_all in drammen
    baerum = world.browser("baerum").get("/t/baerum/").get_data(as_text=True)
    assert open_to_all in baerum
    assert marker not in baerum and "Bare for Drammen" not in baerum
