"""Publication as an internal plugin: its pages and API, the notice builders (prior information,
contract, award), the later OCDS stages, the Publication tab, settings, the register look-up and
the OCDS feed kept up to date."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from markupsafe import Markup

from core.errors import ValidationError
from core.i18n import _l
from core.i18n import gettext as _
from core.plugin_platform.hookspecs import hookimpl
from core.procurement.urls import page_url
from core.publication import (
    api,
    demo,
    doffin,
    extension,
    labels,
    notices,
    ocds,
    ocds_stages,
    pdf,
    register,
    settings,
    views,
)
from core.publication import cli as commands
from core.publication.eforms import award, contract, pin
from core.publication.stages import stages_of


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    settings.load_settings(app)
    register.install()
    app.after_request(doffin.send_queued_after_request)
    app.jinja_env.globals.update(notice_label=labels.notice_label, doffin_label=labels.doffin_label,
                                 register_label=labels.register_label,
                                 # the procurement's protocol page links its PDF when publication is installed
                                 protocol_pdf_url=lambda pid: url_for("publication.protocol_pdf", procurement_id=pid))


@hookimpl
def samspill_blueprints():
    return [views.public, views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_register_commands(cli):
    commands.register_commands(cli)


@hookimpl
def samspill_procurement_tabs(procurement):
    return [{"url": page_url("publication.overview", procurement.id), "label": _("Publication")}]


@hookimpl
def samspill_extension_validators():
    return {"publication": extension.validate}


@hookimpl
def samspill_notice_builders():
    return {"prior-information": build_prior_information, "contract": build_contract, "award": build_award}


def build_prior_information(procurement, data):
    """Subtype 4 ("for information only") at or above the EEA threshold, E2 below it."""
    data.subtype = "4" if data.above_threshold else "E2"
    if data.subtype == "4" and not data.planned_date:  # BT-127, mandatory "for information only"
        raise ValidationError(_l("Set the date the competition is planned to be announced."),
                              errors={"key_dates": [_l("Add the key date \"Competition announced\".")]})
    return pin.build(data)


def build_contract(procurement, data):
    """Subtype 16 at or above the EEA threshold, E3 below it, once the competition is announced."""
    stages = stages_of(procurement.id)
    if not stages.announced:
        raise ValidationError(_l("Announce the competition before making its contract notice."),
                              errors={"kind": [_l("The competition is not announced yet.")]})
    dates = procurement.key_dates or {}
    if not all(isinstance(dates.get(k), str) and len(dates[k]) >= 10 for k in ("contract_start", "contract_end")):
        raise ValidationError(_l("Set when the contract starts and ends."),
                              errors={"key_dates": [_l("Add the key dates \"Contract start\" and \"Contract end\".")]})
    if procurement.procedure is None:
        raise ValidationError(_l("Choose the procedure before making the notice."),
                              errors={"procedure": [_l("Choose the procedure.")]})
    data.subtype = "16" if data.above_threshold else "E3"
    # The notice announces the competition: it is dated when the competition was announced.
    data.issue_date, data.issue_time = contract.oslo(stages.competition.announced_at)
    zone = data.issue_date[10:]
    period = (dates["contract_start"][:10] + zone, dates["contract_end"][:10] + zone)
    url = url_for("publication_pages.procurement", procurement_id=procurement.id, _external=True)
    return contract.build(data, stages, procurement.procedure.value, str(procurement.id), url, period)


def build_award(procurement, data):
    """Subtype 29 at or above the EEA threshold, E4 below it, once the award is public (after the standstill)."""
    stages = stages_of(procurement.id)
    if not stages.award_public or not stages.winners:
        raise ValidationError(_l("The award notice can be made when the standstill period has ended."),
                              errors={"kind": [_l("The award is not final yet.")]})
    own = (procurement.extension or {}).get("publication") or {}
    sizes = own.get("supplier_sizes") or {}
    unsized = [name for name, org in stages.tenderers if org not in sizes]
    if unsized:
        raise ValidationError(_l("Give the size of every tenderer before making the award notice."),
                              errors={"supplier_sizes": [_l("No size: %(names)s.", names=", ".join(unsized))]})
    subcontracting = own.get("subcontracting") or {}
    unsaid = [w.supplier for w in stages.winners if w.org_number not in subcontracting]
    if unsaid:
        raise ValidationError(_l("Say whether the winner subcontracts before making the award notice."),
                              errors={"subcontracting": [_l("Not said: %(names)s.", names=", ".join(unsaid))]})
    unregistered = [w.supplier for w in stages.winners if not (w.city and w.postal_zone and w.municipality)]
    if unregistered:
        raise ValidationError(_l("The business register has not answered for the winner yet."),
                              errors={"winners": [_l("No address: %(names)s.", names=", ".join(unregistered))]})
    if procurement.procedure is None:
        raise ValidationError(_l("Choose the procedure before making the notice."),
                              errors={"procedure": [_l("Choose the procedure.")]})
    data.subtype = "29" if data.above_threshold else "E4"
    return award.build(data, stages, procurement.procedure.value, str(procurement.id), sizes,
                       subcontracting, notices.COUNTY_NUTS)


@hookimpl
def samspill_ocds_releases(procurement, context):
    """Tender, award and contract releases from the competition and award domains' tables."""
    return ocds_stages.releases(procurement, context)


@hookimpl
def samspill_public_sections(procurement):
    """The announced competition (deadline, opening, criteria, tenders received) and, after the
    standstill, the award and the signed contracts on the public page."""
    stages = stages_of(procurement.id)
    if not stages.announced:
        return None
    return Markup(render_template("publication/public_stages.html", stages=stages))  # noqa: S704  (autoescaped)


@hookimpl
def samspill_phase_changed(procurement, from_phase, to_phase):
    """A phase change may make a later stage public (the award after the standstill, the
    contracts): store the new releases for the feed."""
    ocds.publish(procurement.id)


@hookimpl
def samspill_artefact_published(procurement, artefact_type, artefact):
    """Published answers and minutes change the public planning release: store the new one."""
    ocds.publish(procurement.id)



@hookimpl
def samspill_demo_content(passwords):
    demo.seed()


@hookimpl
def samspill_export_kinds():
    return [pdf.EXPORT_KIND]


@hookimpl
def samspill_jobs():
    return {doffin.JOB: doffin.send_notice_job}
