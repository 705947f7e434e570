"""The arena's plain rows say what the ORM pages said: the parts that differ between look-alike
packages are the parts `diff_content` reports; a look-alike shared with one municipality never
shows to another; row links keep the application's URL prefix."""

from __future__ import annotations

import copy
import random
import uuid

from flask import url_for

from core.library.diff import diff_content, differing_parts
from core.web.urls import url_per_id
from plugins.welfare_tech.content import TEMPLATE


def _parts(old, new):
    change = diff_content(old, new)
    return [name for name in change["fields"] if name != "title"] + list(change["sections"])


def test_differing_parts_names_what_diff_content_reports():
    rng = random.Random(17)
    sections = [name for name in TEMPLATE if isinstance(TEMPLATE[name], list) and TEMPLATE[name]
                and isinstance(TEMPLATE[name][0], dict)]
    assert "needs" in sections
    for _ in range(200):
        old, new = copy.deepcopy(TEMPLATE), copy.deepcopy(TEMPLATE)
        for _change in range(rng.randint(0, 3)):
            what = rng.choice(["summary", "title", "domain", "texts", "reorder", *sections])
            if what in ("summary", "title", "domain"):
                new[what] = f"{new.get(what)} changed"
            elif what == "texts":
                new["texts"] = {**(new.get("texts") or {}), "extra": "x"}
            elif what == "reorder":
                section = rng.choice(sections)
                new[section] = list(reversed(new[section]))  # same items, other order: no change
            elif new[what]:
                index = rng.randrange(len(new[what]))
                if rng.random() < 0.5:
                    del new[what][index]
                else:
                    new[what][index] = {**new[what][index], "description": "changed", "text": "changed"}
        assert differing_parts(old, new) == _parts(old, new)
        assert differing_parts(new, old) == _parts(new, old)


def test_a_lookalike_shared_with_one_municipality_shows_only_there(world, package):
    content = {**copy.deepcopy(TEMPLATE), "summary": "Bare for Drammen"}
    shared = world.api("asker").post("/api/v1/tenants/asker/templates",
                                     json={"content": content, "visibility": "shared", "shared_with": ["drammen"]})
    assert shared.status_code == 201, shared.json
    marker = f'data-other-id="{shared.json["template_id"]}"'
    assert marker in world.browser("drammen").get("/arena/").get_data(as_text=True)
    for tenant in ("baerum",):
        html = world.browser(tenant).get("/arena/").get_data(as_text=True)
        assert f'data-template-id="{package.template_id}"' in html
        assert marker not in html and "Bare for Drammen" not in html


def test_row_links_keep_the_url_prefix(app):
    some = uuid.uuid4()
    with app.test_request_context("/arena/", base_url="http://localhost/samspill/"):
        link = url_per_id("arena.template", "template_id")
        assert link(some) == url_for("arena.template", template_id=some) == f"/samspill/arena/templates/{some}"
        assert url_per_id("arena.lesson", "lesson_id")(some) == f"/samspill/arena/lessons/{some}"


def test_each_lookalike_line_says_whose_it_is_and_what_differs_in_the_readers_language(app, world, package):
    """The sentences are translated once per request and reused: every line still names its own
    publisher and its own parts (several parts, and none: "same content")."""
    from flask_babel import force_locale

    from core.i18n import gettext
    from core.library.labels import template_part

    same = {**copy.deepcopy(TEMPLATE), "key": "asker-same"}
    changed = {**copy.deepcopy(TEMPLATE), "key": "asker-changed"}
    changed["questionnaire"] = changed["questionnaire"][:3]
    changed["needs"] = changed["needs"][:-1]
    others = {}
    for name, content in (("same", same), ("changed", changed)):
        made = world.api("asker").post("/api/v1/tenants/asker/templates",
                                       json={"content": content, "visibility": "all"})
        assert made.status_code == 201, made.json
        others[name] = made.json["template_id"]
    html = world.browser("drammen").get("/arena/").get_data(as_text=True)
    row = html[html.index(f'<tr data-template-id="{package.template_id}">'):]
    row = row[:row.index("</tr>")]

    def line(other_id):
        start = row.index(f'data-other-id="{other_id}">') + len(f'data-other-id="{other_id}">')
        return " ".join(row[start:row.index("</p>", start)].split())

    with app.test_request_context("/arena/"), force_locale("nb"):
        looks = gettext("Looks like the template from %(publisher)s.", publisher="Asker kommune")
        parts = ", ".join(template_part(name) for name in ("needs", "questionnaire"))
        differs = gettext("Differs in: %(parts)s.", parts=parts)
        nothing = gettext("Same content.")
    assert looks != "Looks like the template from Asker kommune." and nothing != "Same content."  # translated
    assert line(others["same"]) == f"{looks} {nothing}"
    assert line(others["changed"]) == f"{looks} {differs}"
    asker_row = html[html.index(f'<tr data-template-id="{others["changed"]}">'):]
    asker_row = asker_row[:asker_row.index("</tr>")]
    assert "Bærum" in asker_row  # and Bærum's package, seen from Asker's copy, names Bærum
