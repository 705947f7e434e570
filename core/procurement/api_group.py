"""JSON API: participants (joint procurements), project group, needs and attachments."""

from __future__ import annotations

import uuid

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from core.db import db
from core.procurement import attachments, needs, participants, schemas
from tenants import service as tenants

bp = Blueprint("procurement_group_api", __name__, url_prefix="/api/v1/procurements/<uuid:procurement_id>",
               description="Participants, project group, needs and attachments of a procurement")


@bp.route("/participants")
class Participants(MethodView):
    @bp.response(200, schemas.ParticipantSchema(many=True))
    def get(self, procurement_id):
        """Every municipality invited to or taking part in the procurement."""
        return participants.list_participants(procurement_id)

    @bp.arguments(schemas.InviteSchema)
    @bp.response(201, schemas.ParticipantSchema)
    def post(self, data, procurement_id):
        """Invite a municipality as `buyer` or `observer` (the lead)."""
        participation = participants.invite(procurement_id, data["tenant"], data["role"])
        db.session.commit()
        return participation


def _respond(procurement_id, slug, accept: bool, terms: dict | None = None):
    participation = participants.respond(procurement_id, tenants.get_tenant(slug), accept, terms)
    db.session.commit()
    return participation


@bp.route("/participants/<slug>/accept")
class Accept(MethodView):
    @bp.response(200, schemas.ParticipantSchema)
    def post(self, procurement_id, slug):
        """The invited municipality's admin or officer accepts. A buyer accepts with its mandate
        in the body: `decision_ref`, `decided_on` (YYYY-MM-DD), `signatory` and `volume_nok` (the
        estimated volume including options, whole kroner) — all required, 422 naming each missing
        field, and then nothing is written. Amend it later with `PUT …/mandates`."""
        return _respond(procurement_id, slug, True, request.get_json(silent=True))


@bp.route("/participants/<slug>/decline")
class Decline(MethodView):
    @bp.response(200, schemas.ParticipantSchema)
    def post(self, procurement_id, slug):
        """The invited municipality's admin or officer declines."""
        return _respond(procurement_id, slug, False)


@bp.route("/participants/<slug>/leave")
class Leave(MethodView):
    @bp.response(200, schemas.ParticipantSchema)
    def post(self, procurement_id, slug):
        """A participating municipality's admin or officer leaves the procurement."""
        participation = participants.leave(procurement_id, tenants.get_tenant(slug))
        db.session.commit()
        return participation


@bp.route("/lead")
class Lead(MethodView):
    @bp.arguments(schemas.LeadSchema)
    @bp.response(200, schemas.ParticipantSchema(many=True))
    def post(self, data, procurement_id):
        """Hand the lead to an active buyer (the lead)."""
        participants.hand_over_lead(procurement_id, data["tenant"])
        db.session.commit()
        return participants.list_participants(procurement_id)


def _group(procurement_id):
    return [{"user_id": m.user_id, "email": m.user.email, "tenant": t.slug, "role": m.role.value}
            for m, t in participants.list_project_group(procurement_id)]


@bp.route("/project-group")
class ProjectGroup(MethodView):
    @bp.response(200, schemas.ProjectMemberSchema(many=True))
    def get(self, procurement_id):
        """The people in the project group, from every participating municipality."""
        return _group(procurement_id)

    @bp.arguments(schemas.ProjectMemberInSchema)
    @bp.response(201, schemas.ProjectMemberSchema(many=True))
    def post(self, data, procurement_id):
        """Add a person (by email) from a participating municipality, or change their role."""
        participants.add_member(procurement_id, data["email"], data["role"])
        db.session.commit()
        return _group(procurement_id)


@bp.route("/project-group/remove")
class ProjectGroupRemove(MethodView):
    @bp.arguments(schemas.ProjectMemberOutSchema)
    @bp.response(200, schemas.ProjectMemberSchema(many=True))
    def post(self, data, procurement_id):
        """Remove a person from the project group."""
        participants.remove_member(procurement_id, data["user_id"])
        db.session.commit()
        return _group(procurement_id)


@bp.route("/needs")
class Needs(MethodView):
    @bp.response(200, schemas.NeedSchema(many=True))
    def get(self, procurement_id):
        """The needs, in their order."""
        return needs.list_needs(procurement_id)

    @bp.arguments(schemas.NeedInSchema)
    @bp.response(201, schemas.NeedSchema)
    def post(self, data, procurement_id):
        """Add a need (project group)."""
        need = needs.add_need(procurement_id, data)
        db.session.expunge(need)  # flushed, so final: the commit does not expire it, no read afterwards
        db.session.commit()
        return need


@bp.route("/needs/<uuid:need_id>")
class NeedResource(MethodView):
    @bp.response(200, schemas.NeedSchema)
    def get(self, procurement_id, need_id):
        """One need."""
        return needs.get_need(procurement_id, need_id)

    @bp.arguments(schemas.NeedPatchSchema)
    @bp.response(200, schemas.NeedSchema)
    def patch(self, data, procurement_id, need_id):
        """Change a need."""
        need = needs.update_need(procurement_id, need_id, data)
        db.session.commit()
        return need

    @bp.response(204)
    def delete(self, procurement_id, need_id):
        """Delete a need and its evidence files."""
        needs.delete_need(procurement_id, need_id)
        db.session.commit()


@bp.route("/needs/order")
class NeedOrder(MethodView):
    @bp.arguments(schemas.NeedOrderSchema)
    @bp.response(200, schemas.NeedSchema(many=True))
    def put(self, data, procurement_id):
        """Reorder: `order` lists every need id once, in the new order."""
        result = needs.reorder_needs(procurement_id, data["order"])
        db.session.commit()
        return result


@bp.route("/needs/import")
class NeedImport(MethodView):
    @bp.arguments(schemas.NeedImportSchema)
    @bp.response(201, schemas.NeedSchema(many=True))
    def post(self, data, procurement_id):
        """Import needs from a template version's catalogue (all, or the given indexes)."""
        result = needs.import_needs(procurement_id, data["template_version"], data["indexes"])
        db.session.commit()
        return result


@bp.route("/attachments")
class Attachments(MethodView):
    @bp.response(200, schemas.AttachmentSchema(many=True))
    def get(self, procurement_id):
        """Files on the procurement and its needs."""
        return attachments.list_attachments(procurement_id)

    @bp.response(201, schemas.AttachmentSchema)
    def post(self, procurement_id):
        """Upload a file (multipart field `file`; optional `need_id` for evidence on a need).
        The type is sniffed from the content; the size limit is SAMSPILL_MAX_UPLOAD_BYTES."""
        upload = request.files.get("file")
        need_id = _uuid(request.form.get("need_id"))
        attachment = attachments.upload(procurement_id, upload.stream if upload else None,
                                        upload.filename if upload else "", need_id=need_id)
        db.session.commit()
        return attachment


@bp.route("/attachments/<uuid:attachment_id>")
class AttachmentResource(MethodView):
    @bp.response(200, description="The file, as a download")
    def get(self, procurement_id, attachment_id):
        """Download the file (Content-Disposition: attachment; nosniff)."""
        return attachments.download(procurement_id, attachment_id)

    @bp.response(204)
    def delete(self, procurement_id, attachment_id):
        """Delete the file (its uploader or the lead)."""
        attachments.delete(procurement_id, attachment_id)
        db.session.commit()


def _uuid(value):
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.UUID(int=0)  # answers "no such need" after the access check
