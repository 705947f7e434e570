"""The URLs of one procurement's pages from one `url_for` per page render: every page of a
procurement lives under its overview's URL (`/t/<slug>/procurements/<id>/…`), so each other
page's URL is the overview's URL of this request plus a fixed tail. The tails are learnt once
per app from the URL map (with a stand-in id, never a tenant's data); the overview's URL is
built for the request, so script root, tenant slug and id are always this request's."""

from __future__ import annotations

import uuid

from flask import current_app, url_for
from flask.globals import _cv_app, _cv_request

_STAND_IN = uuid.UUID(int=0)
_TAILS = "procurement_url_tails"  # app.extensions key: endpoint -> tail, or None (not under the overview)


def _tail(endpoint: str) -> str | None:
    context = _cv_app.get(None)  # the app without a proxy look-up (a page asks for ten tails)
    tails = (context.app if context is not None else current_app).extensions.setdefault(_TAILS, {})
    if endpoint not in tails:
        base = url_for("procurement.show", procurement_id=_STAND_IN)
        url = url_for(endpoint, procurement_id=_STAND_IN)
        tail = url[len(base):] if url.startswith(base) else None
        tails[endpoint] = tail if tail is not None and str(_STAND_IN) not in tail and "?" not in tail else None
    return tails[endpoint]


_BASES = "procurement_url_bases"  # g: (the request, {procurement id: its overview's URL in it})


def _base(procurement_id: uuid.UUID) -> str:
    """The overview's URL of `procurement_id`, built once per request. The request and `g` are
    read from Flask's context variables, without a proxy look-up each (as `core.web.urls`)."""
    context = _cv_request.get(None)
    if context is None:
        return url_for("procurement.show", procurement_id=procurement_id)
    current, kept_in = context.request, _cv_app.get().g.__dict__
    kept = kept_in.get(_BASES)
    if kept is None or kept[0] is not current:  # `g` outlives a request when a test holds the app context
        kept = kept_in[_BASES] = (current, {})
    bases = kept[1]
    base = bases.get(procurement_id)
    if base is None:
        base = bases[procurement_id] = url_for("procurement.show", procurement_id=procurement_id)
    return base


def page_url(endpoint: str, procurement_id: uuid.UUID) -> str:
    """`url_for(endpoint, procurement_id=procurement_id)` for a page of one procurement (the
    packages' tabs): the overview's URL of this request plus the page's tail."""
    tail = _tail(endpoint)
    return _base(procurement_id) + tail if tail is not None else url_for(endpoint, procurement_id=procurement_id)


class ProcurementUrls:
    """`urls["procurement_gates.show"]`: that page's URL for one procurement, in this request."""

    def __init__(self, procurement_id: uuid.UUID):
        self.procurement_id = procurement_id
        self.base = _base(procurement_id)

    def __getitem__(self, endpoint: str) -> str:
        tail = _tail(endpoint)
        return self.base + tail if tail is not None else url_for(endpoint, procurement_id=self.procurement_id)
