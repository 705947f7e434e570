"""Pages of the learning transfer in a tenant space: start from a package with one form, and
the "ready to publish" page that publishes the market dialogue.

The start form is also shown on the package's arena page (`library/arena_template.html`
includes `transfer/_start_form.html`), so a learning municipality goes from the arena to a
procurement with its whole dialogue in one step.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.dialogue.forms import local_datetime
from core.library import service as library
from core.procurement.views import page_context
from core.transfer import publishing, service
from core.web.forms import perform
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("transfer", __name__, "/procurements", template_folder="templates")


def start_form_defaults(version) -> dict:
    return {"title": version.content.get("title", "")}


def _start_page(version_id, errors: dict, form, status: int = 200):
    version = library.get_visible_version(version_id)
    tenant = current_tenant()
    return render_template("transfer/start.html", version=version, errors=errors, form=form,
                           plugin=service.package_plugin(tenant.id, version), slug=tenant.slug), status


@bp.get("/from-package/<uuid:version_id>")
def start(version_id):
    return _start_page(version_id, {}, start_form_defaults(library.get_visible_version(version_id)))


@bp.post("/from-package/<uuid:version_id>")
def create(version_id):
    form = request.form
    data = {"title": form.get("title", ""), "estimated_value": form.get("estimated_value", ""),
            "conference_starts_at": local_datetime(form.get("conference_starts_at")),
            "conference_place": form.get("conference_place", ""),
            "response_deadline": local_datetime(form.get("response_deadline"))}
    return perform(lambda: service.start_from_package(current_tenant(), version_id, data,
                                                      enable_plugin=form.get("enable_plugin") == "1"),
                   success=_("The procurement is created with everything the package holds."),
                   redirect_to=lambda p: url_for("transfer.ready", procurement_id=p.id),
                   on_error=lambda errs, status: _start_page(version_id, errs, form, status))


def _ready_page(procurement_id, errors: dict, status: int = 200):
    state = publishing.readiness(procurement_id)
    return render_template("transfer/ready.html", **page_context(state.access, "ready"), state=state,
                           errors=errors, confirmed=set(request.form.getlist("confirm")), form=request.form), status


@bp.get("/<uuid:procurement_id>/ready")
def ready(procurement_id):
    return _ready_page(procurement_id, {})


@bp.post("/<uuid:procurement_id>/ready")
def publish(procurement_id):
    reasons = {name.removeprefix("waive-"): value for name, value in request.form.items() if name.startswith("waive-")}
    return perform(lambda: publishing.publish_dialogue(procurement_id, request.form.getlist("confirm"), reasons),
                   success=_("The market dialogue is published: suppliers can find it and register."),
                   redirect_to=url_for("dialogue.overview", procurement_id=procurement_id),
                   on_error=lambda errs, status: _ready_page(procurement_id, errs, status))
