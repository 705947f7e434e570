"""The endpoints the benchmark measures, and the objects it measures them on.

`Targets` is the benchmark person and the rows they look at: the busiest municipality (the
one taking part in most procurements), its officer, that officer's session cookie and API
token, and the procurements, cursor and questionnaire the endpoints need. An endpoint whose
route does not exist in the app yet, or whose data kind was not generated, is reported as not
available instead of failing the run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from bench.ceiling import CEILING_PATH


@dataclass
class Targets:
    tenant_slug: str
    tenant_id: uuid.UUID
    email: str
    password: str
    token: str
    procurement_ids: list[uuid.UUID]        # visible to the tenant, newest first
    led_procurement_ids: list[uuid.UUID]    # led by the tenant, active, needs or dialogue phase
    visible_count: int
    # led by the tenant, active, in the competition, evaluation or contract phase (furthest first)
    later_procurement_ids: list[uuid.UUID] = field(default_factory=list)
    questionnaire: tuple[uuid.UUID, uuid.UUID] | None = None  # (procurement, questionnaire)
    cookie: str = ""
    deep_cursor: str | None = None
    deep_page: int = 0
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    name: str
    label: str
    kind: str                                  # ceiling | health | read | write
    auth: str                                  # none | cookie | bearer
    paths: Callable[[Targets], list[str] | None]
    method: str = "GET"
    body: str | None = None                    # JSON; `{n}` becomes a per-request counter
    page: bool = False                         # an HTML page or API list (≤ 10 statements)
    expect: tuple[int, ...] = (200,)


def _first(ids: list[uuid.UUID]) -> uuid.UUID | None:
    return ids[0] if ids else None


def _procurement_page(t: Targets) -> list[str] | None:
    pid = _first(t.led_procurement_ids)
    return [f"/t/{t.tenant_slug}/procurements/{pid}/"] if pid else None


def _procurement_page_later(t: Targets) -> list[str] | None:
    pid = _first(t.later_procurement_ids)
    return [f"/t/{t.tenant_slug}/procurements/{pid}/"] if pid else None


def _response_overview(t: Targets) -> list[str] | None:
    if not t.questionnaire:
        return None
    pid, qid = t.questionnaire
    return [f"/t/{t.tenant_slug}/procurements/{pid}/dialogue/questionnaires/{qid}/responses"]


def _deep_list(t: Targets) -> list[str] | None:
    if not t.deep_cursor:
        return None
    return [f"/api/v1/tenants/{t.tenant_slug}/procurements?limit=20&cursor={t.deep_cursor}"]


def _write_paths(t: Targets) -> list[str] | None:
    return [f"/api/v1/procurements/{pid}/needs" for pid in t.led_procurement_ids[:32]] or None


CEILING = Endpoint("ceiling", "Ceiling: Flask + SQLAlchemy + marshmallow, 20 rows", "ceiling",
                   "none", lambda t: [CEILING_PATH])

ENDPOINTS: list[Endpoint] = [
    Endpoint("healthz", "GET /healthz", "health", "none", lambda t: ["/healthz"]),
    Endpoint("dashboard", "Tenant dashboard (HTML)", "read", "cookie",
             lambda t: [f"/t/{t.tenant_slug}/"], page=True),
    Endpoint("procurements_api", "Procurement list, API, first page", "read", "bearer",
             lambda t: [f"/api/v1/tenants/{t.tenant_slug}/procurements?limit=20"], page=True),
    Endpoint("procurements_api_deep", "Procurement list, API, deep cursor page", "read", "bearer",
             _deep_list, page=True),
    Endpoint("procurement_page", "Procurement page (HTML)", "read", "cookie", _procurement_page,
             page=True),
    Endpoint("procurement_page_later", "Procurement page, later phase (HTML)", "read", "cookie",
             _procurement_page_later, page=True),
    Endpoint("response_overview", "Response overview of a dialogue (HTML)", "read", "cookie",
             _response_overview, page=True),
    Endpoint("arena", "Learning arena (HTML)", "read", "cookie", lambda t: ["/arena/"], page=True),
    Endpoint("add_need", "Add a need (API write)", "write", "bearer", _write_paths, method="POST",
             body='{"statement": "Benchmark need {n}: users need a safe way to call for help '
                  'at night.", "user_group": "Hjemmeboende eldre", "source": "interview", "priority": 1}',
             expect=(200, 201)),
]


def headers_for(endpoint: Endpoint, targets: Targets) -> dict[str, str]:
    headers: dict[str, str] = {}
    if endpoint.auth == "cookie":
        headers["Cookie"] = targets.cookie
    elif endpoint.auth == "bearer":
        headers["Authorization"] = f"Bearer {targets.token}"
    if endpoint.body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def route_exists(app: Flask, path: str, method: str) -> bool:
    """Whether the app has a route for `path` (an object may still be missing)."""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?", 1)[0], method=method)
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def availability(app: Flask, endpoint: Endpoint, targets: Targets) -> tuple[list[str] | None, str]:
    """(paths, "") when measurable, else (None, the reason it is not available)."""
    paths = endpoint.paths(targets)
    if not paths:
        return None, "no data for it (its model or cursor is missing)"
    if not route_exists(app, paths[0], endpoint.method):
        return None, "route not in the app yet"
    return paths, ""
