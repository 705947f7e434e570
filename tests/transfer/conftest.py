"""Fixtures for the learning-transfer tests: the procurement tests' three municipalities, Bærum's
"Tryggere hverdag" package open to all, and the one-form start as Drammen would fill it in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import utcnow
from core.dialogue.forms import local_input
from plugins.welfare_tech.content import TEMPLATE
from tests.procurement.conftest import World


def start_form(**changes) -> dict:
    """The start form filled in: conference in three weeks, responses two weeks later."""
    form = {"title": "Tryggere hverdag i Drammen", "estimated_value": "2 500 000",
            "conference_starts_at": local_input(utcnow() + timedelta(days=21)),
            "conference_place": "Drammen rådhus", "response_deadline": local_input(utcnow() + timedelta(days=35))}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


class Package:
    def __init__(self, world: World):
        self.world = world
        published = world.api("baerum").post("/api/v1/tenants/baerum/templates",
                                             json={"content": TEMPLATE, "visibility": "all"})
        assert published.status_code == 201, published.get_data(as_text=True)
        self.template_id, self.version_id = published.json["template_id"], published.json["id"]

    def start(self, client, slug="drammen", **changes):
        return client.post(f"/t/{slug}/procurements/from-package/{self.version_id}", data=start_form(**changes))


@pytest.fixture
def world(app, make):
    return World(app, make)


@pytest.fixture
def package(world):
    return Package(world)
