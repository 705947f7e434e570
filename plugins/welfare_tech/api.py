"""The welfare-technology plugin's JSON API: the requirement library with the tenant's
bookmarks (`/api/v1/tenants/{slug}/plugins/welfare_tech/requirements`)."""

from __future__ import annotations

from flask.views import MethodView

from core.plugin_api import PluginSchema, api_blueprint, db, fields, validate
from plugins.welfare_tech import content, service

blp = api_blueprint("welfare_tech", __name__,
                    description="Welfare technology: requirement library and bookmarks")


class RequirementSchema(PluginSchema):
    ref = fields.String()
    category = fields.String()
    kind = fields.String(metadata={"description": "must | should"})
    title = fields.String()
    text = fields.String()
    standards = fields.List(fields.String())
    bookmarked = fields.Boolean()


class LibraryQuerySchema(PluginSchema):
    category = fields.String(validate=validate.OneOf(list(content.REQUIREMENT_CATEGORIES)))
    q = fields.String(load_default="")
    bookmarked = fields.Boolean(load_default=False)


class BookmarkSchema(PluginSchema):
    bookmarked = fields.Boolean(required=True)


@blp.route("/requirements")
class Requirements(MethodView):
    @blp.arguments(LibraryQuerySchema, location="query")
    @blp.response(200, RequirementSchema(many=True))
    def get(self, query: dict):
        """The library (at most a few hundred items), filtered; each with `bookmarked`."""
        view = service.browse(query.get("category"), query["q"], query["bookmarked"])
        return [{**r, "bookmarked": r["ref"] in view.bookmarks} for r in view.requirements]


@blp.route("/requirements/<ref>/bookmark")
class Bookmark(MethodView):
    @blp.arguments(BookmarkSchema)
    @blp.response(200, RequirementSchema)
    def put(self, body: dict, ref: str):
        """Bookmark (true) or un-bookmark (false) a requirement for the tenant."""
        service.set_bookmark(ref, body["bookmarked"])
        db.session.commit()
        return {**service.REQUIREMENTS_BY_REF[ref], "bookmarked": body["bookmarked"]}
