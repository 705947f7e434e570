"""JSON API of the template library and lessons learned (`/api/v1/templates`, `/api/v1/lessons`,
`/api/v1/procurements/{id}/publish-template`, `/api/v1/procurements/{id}/lessons`)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from core.db import db
from core.errors import Conflict
from core.i18n import _l
from core.library import lessons, reuse
from core.library import service as library
from core.procurement.access import require
from core.procurement.schemas import ListArgs
from tenants import service as tenants

bp = Blueprint("library_api", __name__, url_prefix="/api/v1", description="Template library and lessons learned")


class SearchArgs(ListArgs):
    q = fields.String(load_default="")


class VersionSchema(Schema):
    id = fields.UUID()
    number = fields.Integer()
    status = fields.Function(lambda v: v.status.value)
    changelog = fields.String()
    content_hash = fields.String()
    published_at = fields.DateTime(allow_none=True)


class VersionContentSchema(VersionSchema):
    template_id = fields.UUID()
    content = fields.Dict()


class TemplateSchema(Schema):
    id = fields.UUID()
    key = fields.String()
    title = fields.String()
    summary = fields.String()
    domain = fields.String(allow_none=True)
    source = fields.Function(lambda t: t.source.value)
    visibility = fields.Function(lambda t: t.visibility.value)
    publisher = fields.String()
    latest_version = fields.Integer(attribute="latest_version_number")
    latest_version_id = fields.UUID(allow_none=True)
    latest_published_at = fields.DateTime(allow_none=True)


class TemplatePageSchema(Schema):
    items = fields.List(fields.Nested(TemplateSchema))
    next_cursor = fields.String(allow_none=True)


class TemplateDetailSchema(TemplateSchema):
    versions = fields.List(fields.Nested(VersionSchema))
    reuse = fields.Dict()


class TemplateInSchema(Schema):
    content = fields.Dict(required=True, metadata={"description": "A samspill.template/1 document"})
    visibility = fields.String(load_default="private", validate=validate.OneOf(["private", "shared", "all"]))
    shared_with = fields.List(fields.String(), load_default=list)
    publish = fields.Boolean(load_default=True)
    changelog = fields.String(load_default="")


class DraftSchema(Schema):
    content = fields.Dict(required=True)
    changelog = fields.String(load_default="")


class VisibilitySchema(Schema):
    visibility = fields.String(required=True, validate=validate.OneOf(["private", "shared", "all"]))
    shared_with = fields.List(fields.String(), load_default=list)


class PublishProcurementSchema(Schema):
    title = fields.String(load_default=None)
    summary = fields.String(load_default=None)
    visibility = fields.String(load_default="private", validate=validate.OneOf(["private", "shared", "all"]))
    shared_with = fields.List(fields.String(), load_default=list)
    template = fields.UUID(load_default=None, metadata={"description": "Publish as a new version of this template"})
    publish = fields.Boolean(load_default=True, metadata={"description": "false: save as a draft"})
    changelog = fields.String(load_default="")


class LessonSchema(Schema):
    id = fields.UUID()
    title = fields.String()
    body = fields.String()
    tenant = fields.Function(lambda lesson: lesson.tenant.name)
    context_title = fields.String()
    phase = fields.String(allow_none=True)
    template_id = fields.UUID(allow_none=True)
    procurement_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime()


class LessonPageSchema(Schema):
    items = fields.List(fields.Nested(LessonSchema))
    next_cursor = fields.String(allow_none=True)


class LessonInSchema(Schema):
    title = fields.String(required=True)
    body = fields.String(required=True)


@bp.route("/templates")
class Templates(MethodView):
    @bp.arguments(SearchArgs, location="query")
    @bp.response(200, TemplatePageSchema)
    def get(self, args):
        """Published templates visible to the caller's municipalities (`q` searches)."""
        page = library.list_visible(q=args["q"], cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}


@bp.route("/tenants/<slug>/templates")
class TenantTemplates(MethodView):
    @bp.arguments(TemplateInSchema)
    @bp.response(201, VersionContentSchema)
    def post(self, data, slug):
        """Import a template file's content as a new template of the municipality."""
        version = library.create_template(tenants.get_tenant(slug), data["content"], visibility=data["visibility"],
                                          shared_with=data["shared_with"], publish=data["publish"],
                                          changelog=data["changelog"])
        db.session.commit()
        return version


@bp.route("/templates/<uuid:template_id>")
class TemplateResource(MethodView):
    @bp.response(200, TemplateDetailSchema)
    def get(self, template_id):
        """A template with its versions and who reused it."""
        template = library.get_visible_template(template_id)
        template.versions = library.list_versions(template)
        template.reuse = library.reuse_stats([template.id])[template.id]
        return template


@bp.route("/templates/<uuid:template_id>/versions/<uuid:version_id>")
class VersionResource(MethodView):
    @bp.response(200, VersionContentSchema)
    def get(self, template_id, version_id):
        """One version's content (the export format)."""
        return library.get_visible_version(version_id, template_id)

    @bp.arguments(DraftSchema)
    @bp.response(200, VersionContentSchema)
    @bp.alt_response(409, schema=None, description="Published versions are immutable")
    def put(self, data, template_id, version_id):
        """Replace a draft version's content; a published version answers 409."""
        version = library.get_visible_version(version_id, template_id)
        if version.status.value == "published":
            raise Conflict(_l("A published template version cannot be changed; save a new draft instead."))
        version = library.save_draft(template_id, data["content"], data["changelog"])
        db.session.commit()
        return version


@bp.route("/templates/<uuid:template_id>/draft")
class Draft(MethodView):
    @bp.arguments(DraftSchema)
    @bp.response(200, VersionContentSchema)
    def put(self, data, template_id):
        """Create or replace the template's draft (owner municipality's officers)."""
        version = library.save_draft(template_id, data["content"], data["changelog"])
        db.session.commit()
        return version


@bp.route("/templates/<uuid:template_id>/publish")
class Publish(MethodView):
    @bp.response(200, VersionContentSchema)
    def post(self, template_id):
        """Publish the draft as the next immutable version."""
        version = library.publish_draft(template_id)
        db.session.commit()
        return version


@bp.route("/templates/<uuid:template_id>/visibility")
class TemplateVisibility(MethodView):
    @bp.arguments(VisibilitySchema)
    @bp.response(200, TemplateSchema)
    def put(self, data, template_id):
        """Who can see the template: private, shared (with `shared_with`) or all."""
        template = library.set_visibility(template_id, data["visibility"], data["shared_with"])
        db.session.commit()
        return template


@bp.route("/templates/<uuid:template_id>/lessons")
class TemplateLessons(MethodView):
    @bp.arguments(ListArgs, location="query")
    @bp.response(200, LessonPageSchema)
    def get(self, args, template_id):
        """Lessons learned on the template."""
        library.get_visible_template(template_id)
        page = lessons.list_lessons(template_id=template_id, cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @bp.arguments(LessonInSchema)
    @bp.response(201, LessonSchema)
    def post(self, data, template_id):
        """Share a lesson learned on the template (visible to every municipality)."""
        lesson = lessons.add_to_template(template_id, data["title"], data["body"])
        db.session.commit()
        return lesson


@bp.route("/procurements/<uuid:procurement_id>/lessons")
class ProcurementLessons(MethodView):
    @bp.arguments(ListArgs, location="query")
    @bp.response(200, LessonPageSchema)
    def get(self, args, procurement_id):
        """Lessons learned on the procurement."""
        require(procurement_id)
        page = lessons.list_lessons(procurement_id=procurement_id, cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @bp.arguments(LessonInSchema)
    @bp.response(201, LessonSchema)
    def post(self, data, procurement_id):
        """Share a lesson learned on the procurement (visible to every municipality)."""
        lesson = lessons.add_to_procurement(procurement_id, data["title"], data["body"])
        db.session.commit()
        return lesson


@bp.route("/lessons")
class Lessons(MethodView):
    @bp.arguments(SearchArgs, location="query")
    @bp.response(200, LessonPageSchema)
    def get(self, args):
        """Every lesson learned, newest first (`q` searches)."""
        page = lessons.list_lessons(q=args["q"], cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}


@bp.route("/lessons/<uuid:lesson_id>")
class LessonResource(MethodView):
    @bp.response(200, LessonSchema)
    def get(self, lesson_id):
        """One lesson learned."""
        return lessons.get_lesson(lesson_id)

    @bp.response(204)
    def delete(self, lesson_id):
        """Withdraw a lesson (its author, or an admin of the author's municipality)."""
        lessons.delete_lesson(lesson_id)
        db.session.commit()


@bp.route("/procurements/<uuid:procurement_id>/publish-template")
class PublishProcurement(MethodView):
    @bp.arguments(PublishProcurementSchema)
    @bp.response(201, VersionContentSchema)
    def post(self, data, procurement_id):
        """Publish the procurement as a template (the lead); built only from allow-listed
        procurement fields, so no supplier data or business secret is ever included."""
        version = reuse.publish_procurement_as_template(
            procurement_id, title=data["title"], summary=data["summary"], visibility=data["visibility"],
            shared_with=data["shared_with"], template_id=data["template"], publish=data["publish"],
            changelog=data["changelog"])
        db.session.commit()
        return version
