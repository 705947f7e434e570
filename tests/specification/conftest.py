"""Fixtures for the specification tests: the procurement tests' world (Bærum, Asker, Drammen
with people and API callers) and a Bærum procurement with three needs, two of priority 1."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.plugins.conftest import enable
from tests.procurement.conftest import World


@dataclass
class Spec:
    pid: str
    needs: list[dict]  # priority 1, priority 1, priority 2

    @property
    def base(self) -> str:
        return f"/api/v1/procurements/{self.pid}"


@pytest.fixture
def world(app, make):
    return World(app, make)


@pytest.fixture
def spec(world, app):
    enable(app, "baerum", "welfare_tech")  # the domain library comes from the lead's enabled plugin
    procurement = world.procurement(domain="welfare_tech")
    api = world.api("baerum")
    needs = []
    for statement, priority in (("Alarmen må gå uansett hvor i boligen jeg er", 1),
                                ("Fall må oppdages automatisk", 1), ("Pårørende vil få beskjed", 2)):
        response = api.post(f"/api/v1/procurements/{procurement['id']}/needs",
                            json={"statement": statement, "source": "interview", "priority": priority})
        assert response.status_code == 201, response.get_data(as_text=True)
        needs.append(response.json)
    return Spec(procurement["id"], needs)


def requirement(api, spec, *, needs=None, **fields):
    body = {"text": "Løsningen skal varsle ved fall.", "kind": "absolute", "category": "function",
            "needs": [n["id"] for n in (needs if needs is not None else spec.needs[:1])], **fields}
    return api.post(f"{spec.base}/requirements", json=body)


CRITERIA = [
    {"name": "Kvalitet", "weight": 40, "description": "Hvor godt behovene dekkes",
     "sub_criteria": [{"name": "Brukervennlighet", "weight": 25}, {"name": "Treffsikkerhet", "weight": 15}]},
    {"name": "Pris", "weight": 30, "is_price": True, "price_model": "lowest_proportional"},
    {"name": "Implementering og gevinst", "weight": 30},
]
