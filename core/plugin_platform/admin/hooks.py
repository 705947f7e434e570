"""The core's own hook implementations, registered as the internal plugin `samspill`.

Core features use the same hooks plugins do: the `samspill plugins` commands come from
`samspill_register_commands`, the admin notice about failing plugins is a dashboard panel,
and a `wrapper=True` implementation times the per-page hooks.
"""

from __future__ import annotations

import logging
import time

from flask import render_template
from markupsafe import Markup

from core.plugin_api import hookimpl

log = logging.getLogger("samspill.plugins")
SLOW_HOOK_SECONDS = 0.05


@hookimpl
def samspill_register_commands(cli):
    from core.plugin_platform.admin.cli import register

    register(cli)


@hookimpl
def samspill_dashboard_panels(tenant):
    """Tell the tenant's admins about plugins they enabled that reported problems."""
    from core.auth import current_principal
    from core.plugin_platform.host import chosen_by_tenant, current_host
    from tenants.models import TenantRole

    if not current_principal().has_role(tenant.id, TenantRole.admin):
        return None
    host = current_host()
    troubled = [host.plugins[n] for n in sorted(chosen_by_tenant(tenant.id))
                if n in host.plugins and (host.plugins[n].problems or host.plugins[n].status != "active")]
    if not troubled:
        return None
    html = render_template("plugins_admin/notice.html", troubled=troubled, tenant=tenant)
    return Markup(html)  # noqa: S704 - output of an autoescaped template


@hookimpl(wrapper=True)
def samspill_navigation_items(tenant):
    started = time.perf_counter()
    result = yield
    _log_if_slow("samspill_navigation_items", started)
    return result


def _log_if_slow(hook: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_HOOK_SECONDS:
        log.warning("plugins took %.0f ms in %s", elapsed * 1000, hook)
