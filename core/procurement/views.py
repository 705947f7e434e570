"""Procurement pages in a tenant space: list, new (blank or from a template), overview, edit,
the printable protocol, what changed upstream, publishing as a template, and lessons."""

from __future__ import annotations

import re
import uuid

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.errors import DomainError, ValidationError
from core.i18n import _l
from core.pagination import parse_limit
from core.plugin_platform.host import current_host
from core.procurement import fields, gates, library_link, participants, protocol
from core.procurement import service as procurements
from core.procurement.access import Action, require
from core.procurement.forms import nav_items
from core.procurement.models import ContractKind, Procedure
from core.procurement.notice import notice_hint
from core.procurement.urls import ProcurementUrls
from core.web.forms import field_errors, perform
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("procurement", __name__, "/procurements", template_folder="templates")
MILESTONE_RE = re.compile(r"^(\[x\]\s*)?(\d{4}-\d{2}-\d{2})?\s*(.*)$", re.IGNORECASE)


def choices():
    return {"procedures": [p.value for p in Procedure], "contract_kinds": [k.value for k in ContractKind],
            "key_date_names": fields.KEY_DATES}


def page_context(access, active: str) -> dict:
    """What every procurement page needs for its header and tabs."""
    return {"procurement": access.procurement, "access": access, "active_tab": active,
            "can": {a.value: access.can(a) for a in Action}, "extra_tabs": nav_items(access.procurement),
            "procurement_page_urls": ProcurementUrls(access.procurement.id)}


@bp.get("/")
def index():
    page = procurements.list_page(current_tenant(), cursor=request.args.get("cursor"),
                                  limit=parse_limit(request.args.get("limit")))
    return render_template("procurement/list.html", page=page)


def _form_fields(form) -> dict:
    """Form input -> service fields (kroner to øre, CPV text, key dates, milestones)."""
    data = {"title": form.get("title", ""), "description": form.get("description", ""),
            "procedure": form.get("procedure") or None, "contract_kind": form.get("contract_kind") or None,
            "cpv_codes": form.get("cpv_codes", "")}
    value_error = None
    try:
        data["estimated_value_ore"] = fields.parse_kroner(form.get("estimated_value", ""))
    except ValidationError as exc:
        value_error = exc.errors
    if "key_dates_present" in form:
        data["key_dates"] = {name: form.get(f"key_date_{name}", "") for name in fields.KEY_DATES}
    if "milestones" in form:
        milestones = []
        for line in form.get("milestones", "").splitlines():
            done, day, title = MILESTONE_RE.match(line.strip()).groups()
            if title.strip() or day:
                milestones.append({"title": title.strip(), "date": day, "done": bool(done)})
        data["milestones"] = milestones
    if value_error:  # report every field at once, not only the amount
        errors = dict(value_error)
        try:
            procurements.clean_fields(data)
        except ValidationError as exc:
            errors.update(exc.errors)
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    return data


@bp.route("/new", methods=["GET", "POST"])
def new():
    tenant = current_tenant()
    version_id = _uuid_arg(request.values.get("version_id"))
    version = library_link.template_version(version_id) if version_id else None
    errors: dict = {}
    if request.method == "POST":
        def create():
            data = _form_fields(request.form)
            if version is not None:
                given = {k: v for k, v in data.items() if v not in ("", None)}
                return library_link.start_from_template(tenant, version_id=version.id, fields=given)
            return procurements.create_procurement(tenant, **data)

        def show_errors(errs, status):
            return render_template("procurement/new.html", version=version, errors=errs, form=request.form,
                                   **choices()), status

        try:
            return perform(create, success=_("The procurement is created."),
                           redirect_to=lambda p: url_for("procurement.show", procurement_id=p.id),
                           on_error=show_errors)
        except DomainError as exc:  # e.g. a field error raised while parsing kroner
            if exc.status in (401, 403, 404):
                raise
            errors = field_errors(exc)
    form = request.form if request.method == "POST" else {
        "title": version.content["title"] if version else "",
        "procedure": version.content.get("procedure") if version else "",
        "cpv_codes": " ".join(version.content.get("cpv_codes", [])) if version else ""}
    return render_template("procurement/new.html", version=version, errors=errors, form=form,
                           **choices()), 422 if errors else 200


def _uuid_arg(value):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@bp.get("/<uuid:procurement_id>/")
def show(procurement_id):
    return _overview(procurement_id)


def procurement_sections(procurement) -> list:
    """Sections the packages above add to the overview (the buyers' mandates)."""
    return [section for found in current_host().call("samspill_procurement_sections", procurement=procurement) or []
            for section in (found or [])]


def _overview(procurement_id, errors: dict | None = None, lesson_form=None, status: int = 200):
    """The overview page; `errors` and `lesson_form` re-show a lesson that could not be saved."""
    access = require(procurement_id)
    procurement = access.procurement
    procedure = procurement.procedure.value if procurement.procedure else None
    lessons = library_link.lessons(procurement_id, limit=20)  # before the gate items: the lesson item asks them
    return render_template(
        "procurement/show.html", **page_context(access, "overview"),
        participants=participants.list_participants(procurement_id),
        gate_progress=gates.progress(procurement, procurement.phase),
        origin=library_link.origin(procurement), lessons=lessons,
        notice=notice_hint(procurement.estimated_value_ore, procedure, procurement.contract_kind.value),
        value_nok=fields.format_kroner(procurement.estimated_value_ore), errors=errors or {},
        lesson_form=lesson_form or {}, sections=procurement_sections(procurement)), status


def _edit_form(procurement) -> dict:
    form = {"title": procurement.title, "description": procurement.description,
            "estimated_value": fields.format_kroner(procurement.estimated_value_ore),
            "procedure": procurement.procedure.value if procurement.procedure else "",
            "contract_kind": procurement.contract_kind.value, "cpv_codes": " ".join(procurement.cpv_codes),
            "version": procurement.version,
            "milestones": "\n".join(f"{'[x] ' if m.get('done') else ''}{m.get('date') or ''} {m['title']}".strip()
                                    for m in procurement.milestones)}
    form.update({f"key_date_{k}": v for k, v in procurement.key_dates.items()})
    return form


@bp.route("/<uuid:procurement_id>/edit", methods=["GET", "POST"])
def edit(procurement_id):
    access = require(procurement_id, Action.write)
    if request.method == "GET":
        return render_template("procurement/edit.html", **page_context(access, "overview"),
                               form=_edit_form(access.procurement), errors={}, **choices())

    def show_errors(errs, status):
        fresh = require(procurement_id, Action.write)
        if status == 409:
            errs = {"form": [_("Someone else changed the procurement while you were editing. Your changes "
                               "are kept below; compare them with the current version and save again.")]}
        form = dict(request.form)
        form["version"] = fresh.procurement.version
        return render_template("procurement/edit.html", **page_context(fresh, "overview"), form=form,
                               errors=errs, current=_edit_form(fresh.procurement) if status == 409 else None,
                               **choices()), status

    def save():
        expected = request.form.get("version", type=int)
        return procurements.update_procurement(procurement_id, _form_fields(request.form),
                                               expected_version=expected if expected is not None else -1)

    return perform(save, success=_("The procurement is saved."),
                   redirect_to=url_for("procurement.show", procurement_id=procurement_id), on_error=show_errors)


@bp.get("/<uuid:procurement_id>/protocol")
def protocol_page(procurement_id):
    data = protocol.build_protocol(procurement_id)
    return render_template("procurement/protocol.html", protocol=data,
                           procurement=require(procurement_id).procurement)


@bp.get("/<uuid:procurement_id>/upstream")
def upstream(procurement_id):
    access = require(procurement_id)
    return render_template("procurement/upstream.html", **page_context(access, "overview"),
                           origin=library_link.lineage(access.procurement))


@bp.route("/<uuid:procurement_id>/publish-template", methods=["GET", "POST"])
def publish_template(procurement_id):
    access = require(procurement_id, Action.manage)
    templates = library_link.tenant_templates(current_tenant())
    if request.method == "GET":
        form = {"title": access.procurement.title, "summary": access.procurement.description,
                "visibility": "private"}
        return render_template("procurement/publish_template.html", **page_context(access, "overview"),
                               form=form, errors={}, templates=templates,
                               template_options=[(str(t.id), t.title) for t in templates])

    def publish():
        return library_link.publish_as_template(
            procurement_id, title=request.form.get("title"), summary=request.form.get("summary"),
            visibility=request.form.get("visibility", "private"),
            shared_with=request.form.get("shared_with", "").replace(",", " ").split(),
            template_id=_uuid_arg(request.form.get("template_id")),
            publish=request.form.get("publish") == "1", changelog=request.form.get("changelog", ""))

    def show_errors(errs, status):
        return render_template("procurement/publish_template.html", **page_context(access, "overview"),
                               form=request.form, errors=errs, templates=templates,
                               template_options=[(str(t.id), t.title) for t in templates]), status

    return perform(publish, success=_("The template is saved in the library."),
                   redirect_to=lambda v: url_for("library.show", template_id=v.template_id), on_error=show_errors)


@bp.post("/<uuid:procurement_id>/lessons")
def add_lesson(procurement_id):
    def show_errors(errs, status):
        return _overview(procurement_id, errs, request.form, status)

    return perform(lambda: library_link.add_lesson(procurement_id, request.form.get("title"), request.form.get("body")),
                   success=_("Thank you – the lesson is shared with every municipality."),
                   redirect_to=url_for("procurement.show", procurement_id=procurement_id) + "#lessons",
                   on_error=show_errors)
