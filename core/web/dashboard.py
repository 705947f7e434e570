"""The tenant dashboard (`/t/<slug>/`, endpoint `tenant.dashboard`): the panels the platform's
packages and the tenant's enabled plugins contribute through `samspill_dashboard_panels`.

It lives in the web shell, above the plugin platform, and adds its route to the tenant space's
blueprint (`tenants.views.bp`), which sits below.
"""

from __future__ import annotations

from flask import render_template

from core.plugin_platform.wiring import dashboard_panels
from tenants.resolution import current_tenant
from tenants.views import bp


@bp.get("/")
def dashboard():
    tenant = current_tenant()
    return render_template("tenants/dashboard.html", panels=dashboard_panels(tenant))
