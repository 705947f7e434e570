"""JSON API: procurements, phases and gates, audit and protocol (`/api/v1/...`).

Optimistic concurrency: `GET /procurements/{id}` answers an `ETag` ("p-<version>"); a `PATCH`
must send `If-Match` with it (stale → 412) or the `version` it read (stale → 409); with
neither it answers 428, so no client overwrites a change it never saw by accident
(`If-Match: *` is the explicit, RFC 9110 way to say "whatever is current").
"""

from __future__ import annotations

import uuid

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from core.api.preconditions import etag_pattern, sent_versions
from core.audit import canonical
from core.db import db
from core.procurement import gates, library_link, protocol, schemas
from core.procurement import service as procurements
from core.procurement.access import require
from tenants import service as tenants

bp = Blueprint("procurements_api", __name__, url_prefix="/api/v1", description="Procurements")
ETAG_RE = etag_pattern("p")


def etag(version: int) -> str:
    return f'"p-{version}"'


def _detail(procurement_id: uuid.UUID, status: int = 200):
    access = require(procurement_id)
    return schemas.detail(access), status, {"ETag": etag(access.procurement.version)}


@bp.route("/tenants/<slug>/procurements")
class TenantProcurements(MethodView):
    @bp.arguments(schemas.ListArgs, location="query")
    @bp.response(200, schemas.ProcurementListSchema)
    def get(self, args, slug):
        """Procurements the tenant leads or takes part in, newest first (keyset pagination)."""
        tenant = tenants.get_tenant(slug)
        page = procurements.list_summary_page(tenant, cursor=args["cursor"], limit=args["limit"])
        # Plain rows serialised by hand (the schema above documents them): the API's hottest read.
        return jsonify({"items": [schemas.list_item_json(row) for row in page.items],
                        "next_cursor": page.next_cursor})

    @bp.arguments(schemas.ProcurementCreateSchema)
    @bp.response(201, schemas.ProcurementSchema)
    @bp.alt_response(422, schema=None, description="Invalid fields (problem+json with `errors`)")
    def post(self, data, slug):
        """A new procurement led by the tenant; optionally from a template (`template` or
        `template_version`), which copies its needs and gate items and keeps the lineage."""
        tenant = tenants.get_tenant(slug)
        template_id, version_id = data.pop("template", None), data.pop("template_version", None)
        if template_id or version_id:
            fields = {k: v for k, v in data.items() if v is not None and k != "title"}
            procurement = library_link.start_from_template(
                tenant, template_id=template_id, version_id=version_id, fields={"title": data.get("title"), **fields})
        else:
            procurement = procurements.create_procurement(tenant, **{"title": None, "description": "", **data})
        db.session.commit()
        return _detail(procurement.id, 201)


@bp.route("/procurements/<uuid:procurement_id>")
class ProcurementResource(MethodView):
    @bp.response(200, schemas.ProcurementSchema)
    def get(self, procurement_id):
        """One procurement, with the notice hint and the caller's permissions; sends an ETag."""
        return _detail(procurement_id)

    @bp.arguments(schemas.ProcurementPatchSchema)
    @bp.response(200, schemas.ProcurementSchema)
    @bp.alt_response(409, schema=None, description="`version` is stale")
    @bp.alt_response(412, schema=None, description="`If-Match` is stale")
    @bp.alt_response(428, schema=None, description="Neither `If-Match` nor `version` was sent")
    def patch(self, data, procurement_id):
        """Change fields; send `If-Match` (the ETag) or the `version` you read."""
        require(procurement_id)  # who cannot see it learns nothing, not even about preconditions
        if_match, expected = sent_versions(data, ETAG_RE)
        procurements.update_procurement(procurement_id, data, expected_version=expected, if_match_version=if_match)
        db.session.commit()
        return _detail(procurement_id)


@bp.route("/procurements/<uuid:procurement_id>/transition")
class Transition(MethodView):
    @bp.arguments(schemas.TransitionSchema)
    @bp.response(200, schemas.ProcurementSchema)
    @bp.alt_response(409, schema=None, description="Unmet gate items, listed in `missing`")
    def post(self, data, procurement_id):
        """Move to the next phase (the lead); 409 with `missing` while gate items are open."""
        gates.transition(procurement_id, data.get("to"))
        db.session.commit()
        return _detail(procurement_id)


@bp.route("/procurements/<uuid:procurement_id>/gates")
class Gates(MethodView):
    @bp.response(200, schemas.GateItemSchema(many=True))
    def get(self, procurement_id):
        """Every gate item of every phase with its state (open, done, waived, auto)."""
        procurement = require(procurement_id).procurement
        return [s.as_dict() for s in gates.checklist(procurement)]

    @bp.arguments(schemas.GateActionSchema)
    @bp.response(200, schemas.GateItemSchema(many=True))
    def post(self, data, procurement_id):
        """Mark an item of the current phase done, waive it (with `reason`) or reopen it."""
        if data["action"] == "done":
            gates.mark_done(procurement_id, data["item"])
        elif data["action"] == "waive":
            gates.waive(procurement_id, data["item"], data["reason"])
        else:
            gates.reopen(procurement_id, data["item"])
        db.session.commit()
        procurement = require(procurement_id).procurement
        return [s.as_dict() for s in gates.checklist(procurement, procurement.phase)]


@bp.route("/procurements/<uuid:procurement_id>/transitions")
class Transitions(MethodView):
    @bp.response(200, schemas.TransitionRecordSchema(many=True))
    def get(self, procurement_id):
        """The history of phase transitions, with the waived items and reasons."""
        return gates.history(procurement_id)


@bp.route("/procurements/<uuid:procurement_id>/audit")
class Audit(MethodView):
    @bp.arguments(schemas.ListArgs, location="query")
    @bp.response(200, schemas.AuditPageSchema)
    def get(self, args, procurement_id):
        """The procurement's audit entries in chain order (keyset pagination)."""
        page = protocol.audit_page(procurement_id, cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}


@bp.route("/procurements/<uuid:procurement_id>/protocol")
class Protocol(MethodView):
    @bp.response(200)
    def get(self, procurement_id):
        """The procurement protocol generated from the audit log (`chain_intact` tells whether
        the log behind it verifies)."""
        return canonical(protocol.build_protocol(procurement_id))


@bp.route("/procurements/<uuid:procurement_id>/upstream")
class Upstream(MethodView):
    @bp.response(200)
    def get(self, procurement_id):
        """The template version the procurement started from, and what changed in newer versions."""
        origin = library_link.lineage(require(procurement_id).procurement)
        if origin is None:
            return {"template": None}
        latest = origin["latest"]
        return canonical({
            "template": {"id": origin["template"].id, "title": origin["template"].title},
            "version": origin["version"].number, "version_id": origin["version"].id,
            "latest_version": latest.number if latest else origin["version"].number,
            "latest_version_id": latest.id if latest else origin["version"].id,
            "changes": origin["changes"],
        })
