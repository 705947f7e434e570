"""The learning arena (`/arena/`): templates with their publisher, versions, reuse count and
reusing municipalities, lessons learned, search; and starting a procurement from a template.

The arena is not inside one tenant's space: it shows what every tenant of the signed-in
person may see (`core.library.service.visible_clause`).
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.auth import current_principal
from core.library import lessons, listing, service
from core.library.diff import diff_content
from core.pagination import parse_limit
from core.plugin_platform.host import current_host
from core.web.forms import perform
from core.web.urls import url_per_id
from tenants.models import TenantRole

bp = Blueprint("arena", __name__, url_prefix="/arena", template_folder="templates")


@bp.before_request
def _signed_in():
    if not current_principal().is_authenticated:
        return redirect(url_for("identity.sign_in", next=request.full_path.rstrip("?")))
    return None


def _sections(template) -> list:
    """What higher packages add to the template's page (the benefits package: results)."""
    return [section for section in current_host().call("samspill_arena_template_sections", template=template) or []
            if section]


def _starting_tenants():
    principal = current_principal()
    return [m for m in principal.memberships.values() if principal.has_role(m.tenant_id, TenantRole.officer)]


@bp.get("/")
def index():
    q = request.args.get("q", "")
    page, rows, recent = listing.arena_list(q=q, cursor=request.args.get("cursor"),
                                            limit=parse_limit(request.args.get("limit")),
                                            template_url=url_per_id("arena.template", "template_id"))
    return render_template("library/arena.html", page=page, q=q, rows=rows,
                           recent_lessons=recent, lesson_url=url_per_id("arena.lesson", "lesson_id"))


@bp.get("/templates/<uuid:template_id>")
def template(template_id):
    item = service.get_visible_template(template_id)
    versions = service.list_versions(item)
    return render_template("library/arena_template.html", template=item, versions=versions,
                           reuse=service.reuse_stats([item.id])[item.id],
                           lessons=lessons.list_lessons(template_id=item.id, limit=50).items,
                           starting_tenants=_starting_tenants(), errors={}, form={}, sections=_sections(item))


@bp.get("/templates/<uuid:template_id>/versions/<uuid:version_id>")
def version(template_id, version_id):
    current = service.get_visible_version(version_id, template_id)
    versions = service.list_versions(current.template)
    previous = next((v for v in versions if v.number < current.number and v.status.value == "published"), None)
    return render_template("library/arena_version.html", template=current.template, version=current,
                           changes=diff_content(previous.content, current.content) if previous else None,
                           previous=previous, starting_tenants=_starting_tenants())


@bp.get("/templates/<uuid:template_id>/versions/<uuid:version_id>/export")
def export(template_id, version_id):
    filename, text = service.export_version(version_id, template_id)
    response = Response(text, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/templates/<uuid:template_id>/lessons")
def add_lesson(template_id):
    def show_errors(errs, status):
        item = service.get_visible_template(template_id)
        return render_template("library/arena_template.html", template=item, versions=service.list_versions(item),
                               reuse=service.reuse_stats([item.id])[item.id],
                               lessons=lessons.list_lessons(template_id=item.id, limit=50).items,
                               starting_tenants=_starting_tenants(), errors=errs, form=request.form,
                               sections=_sections(item)), status

    return perform(lambda: lessons.add_to_template(template_id, request.form.get("title"), request.form.get("body")),
                   success=_("Thank you – the lesson is shared with every municipality."),
                   redirect_to=url_for("arena.template", template_id=template_id) + "#lessons", on_error=show_errors)


@bp.get("/lessons/")
def lesson_list():
    q = request.args.get("q", "")
    page = lessons.list_lessons(q=q, cursor=request.args.get("cursor"), limit=parse_limit(request.args.get("limit")))
    return render_template("library/lessons.html", page=page, q=q)


@bp.get("/lessons/<uuid:lesson_id>")
def lesson(lesson_id):
    return render_template("library/lesson.html", lesson=lessons.get_lesson(lesson_id))
