"""The URLs of one procurement's pages from one `url_for` per page render: every page of a
procurement lives under its overview's URL (`/t/<slug>/procurements/<id>/…`), so each other
page's URL is the overview's URL of this request plus a fixed tail. The tails are learnt once
per app from the URL map (with a stand-in id, never a tenant's data); the overview's URL is
built for the request, so script root, tenant slug and id are always this request's."""

from __future__ import annotations

import uuid

from flask import current_app, url_for

_STAND_IN = uuid.UUID(int=0)
_TAILS = "procurement_url_tails"  # app.extensions key: endpoint -> tail, or None (not under the overview)


def _tail(endpoint: str) -> str | None:
    tails = current_app.extensions.setdefault(_TAILS, {})
    if endpoint not in tails:
        base = url_for("procurement.show", procurement_id=_STAND_IN)
        url = url_for(endpoint, procurement_id=_STAND_IN)
        tail = url[len(base):] if url.startswith(base) else None
        tails[endpoint] = tail if tail is not None and str(_STAND_IN) not in tail and "?" not in tail else None
    return tails[endpoint]


class ProcurementUrls:
    """`urls["procurement_gates.show"]`: that page's URL for one procurement, in this request."""

    def __init__(self, procurement_id: uuid.UUID):
        self.procurement_id = procurement_id
        self.base = url_for("procurement.show", procurement_id=procurement_id)

    def __getitem__(self, endpoint: str) -> str:
        tail = _tail(endpoint)
        return self.base + tail if tail is not None else url_for(endpoint, procurement_id=self.procurement_id)
