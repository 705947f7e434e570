"""The welfare-technology plugin's pages: overview and the requirement library browser."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from core.plugin_api import db, gettext, is_allowed, settings, tenant_pages
from plugins.welfare_tech import content, service

bp = tenant_pages("welfare_tech", __name__, template_folder="templates")


@bp.get("/")
def overview():
    return render_template("welfare_tech/overview.html", domain=content.DOMAIN,
                           kpis=content.KPIS, needs=content.NEEDS_CATALOGUE,
                           settings=settings(service.NAME),
                           library_size=len(content.REQUIREMENTS))


@bp.get("/requirements")
def library():
    view = service.browse(request.args.get("category") or None, request.args.get("q", ""),
                          request.args.get("bookmarked") == "1")
    return render_template("welfare_tech/library.html", view=view,
                           can_bookmark=is_allowed(service.BOOKMARK))


@bp.post("/requirements/<ref>/bookmark")
def bookmark(ref: str):
    service.set_bookmark(ref, request.form.get("bookmarked", "1") == "1")
    db.session.commit()
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("plugin_welfare_tech.library")
    return redirect(target + f"#req-{ref}")


def navigation_item(tenant) -> dict:
    return {"id": "welfare-tech-library", "label": gettext("Requirement library"),
            "url": url_for("plugin_welfare_tech.library", slug=tenant.slug), "priority": 50}
