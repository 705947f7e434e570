"""Everything a Samspill plugin imports, from one module (the stable surface for authors).

    from core.plugin_api import hookimpl, PluginSchema, fields, tenant_pages

Hooks are documented in docs/plugins.md; a plugin is an ordinary Python package that
registers itself in the entry-point group `samspill.plugins` (see docs/plugin-author-guide.md).
Names here follow semantic versioning with the platform: nothing is removed without a
deprecation period.
"""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

import pluggy
from flask import Blueprint, g
from flask_babel import gettext, lazy_gettext
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import RAISE, Schema, fields, validate

from core import audit
from core.auth import current_principal as principal
from core.db import IdMixin, TenantOwned, TimestampMixin, UTCDateTime, db, utcnow
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.plugin_platform import procurement_pages as _procurement_pages
from core.plugin_platform.contract import CONTRACT_VERSION
from core.plugin_platform.hookspecs import TEMPLATE_FORMAT
from core.plugin_platform.host import emit as emit_event
from core.plugin_platform.host import enabled_for_tenant
from core.plugin_platform.permissions import allowed, require
from core.plugin_platform.state import tenant_settings
from core.plugin_platform.translations import translations as _catalogue
from core.plugin_platform.translations import use_for_blueprint
from migrations.rls import enable_tenant_rls as enable
from tenants.resolution import tenant_blueprint

hookimpl = pluggy.HookimplMarker("samspill")
"""Marks a function as a hook implementation: `@hookimpl`, `@hookimpl(tryfirst=True)`."""

ENTRY_POINT_GROUP = "samspill.plugins"
# Declare the contract your plugin was built for in its module: SAMSPILL_CONTRACT = "1.1"
# (docs/plugin-author-guide.md, "The contract"). CONTRACT_VERSION is what this platform offers.


class PluginSchema(Schema):
    """Base for settings and extension-data schemas: unknown fields are refused.

    Give each field a `load_default` (settings need defaults) and, for forms, a label and
    help text: `fields.Integer(load_default=30, metadata={"label": ..., "description": ...})`.
    """

    class Meta:
        unknown = RAISE


# --- shapes of the data hooks return (plain dicts; these describe the keys) --------------

class Domain(TypedDict, total=False):
    key: str            # e.g. "welfare_tech" (procurement.domain holds it)
    name: str           # Bokmål name
    name_en: str
    description: str


class Need(TypedDict, total=False):
    key: str
    theme: str
    statement: str
    user_group: str
    source: str         # interview | workshop | observation | survey
    priority: int       # 1 (highest) .. 3


class Requirement(TypedDict, total=False):
    ref: str            # stable reference, e.g. "WT-SEC-02"
    category: str
    kind: str           # must | should
    title: str
    text: str
    standards: list[str]


class Question(TypedDict, total=False):
    key: str
    kind: str           # text | choice | multichoice | number
    text: str
    choices: list[str]
    required: bool


class Kpi(TypedDict, total=False):
    key: str
    name: str
    unit: str
    direction: str      # increase | decrease
    description: str


class GateItem(TypedDict, total=False):
    phase: str          # anchoring | needs | dialogue | competition | evaluation | contract
    key: str
    text: str


class NavItem(TypedDict, total=False):
    id: str
    label: str
    url: str
    priority: int       # lower comes first; default 100


class ProcurementTab(TypedDict, total=False):
    id: str             # the tab's element id is "tab-<id>"; default: the plugin's name
    label: str
    url: str            # usually url_for("plugin_<name>_procurement.<view>")
    priority: int       # lower comes first; default 100


class Permission(TypedDict, total=False):
    name: str           # "<plugin>.<action>", e.g. "welfare_tech.bookmark"
    description: str
    default_role: str   # viewer | member | officer | admin


# --- pages and API -----------------------------------------------------------------------

def tenant_pages(plugin: str, import_name: str, **kwargs: Any) -> Blueprint:
    """A blueprint for the plugin's pages under `/t/<slug>/plugins/<plugin>/`.

    The tenant is resolved and membership checked before your view runs (`current_tenant()`);
    in a tenant that has not enabled the plugin every page answers 404.
    """
    bp = tenant_blueprint(f"plugin_{plugin}", import_name, url_prefix=f"/plugins/{plugin}", **kwargs)
    use_for_blueprint(bp, plugin)  # the plugin's own catalogue on its pages
    return bp


def api_blueprint(plugin: str, import_name: str, **kwargs: Any):
    """A flask-smorest blueprint for the plugin's JSON API under
    `/api/v1/tenants/<slug>/plugins/<plugin>/`, bearer-token only, 404 where not enabled.
    Views receive no `slug` argument; use `current_tenant()`."""
    kwargs.setdefault("description", f"Plugin {plugin}")
    bp = ApiBlueprint(f"plugin_api_{plugin}", import_name,
                      url_prefix=f"/api/v1/tenants/<slug>/plugins/{plugin}", **kwargs)
    use_for_blueprint(bp, plugin)
    return bp


def current_tenant():
    """The tenant whose space (page) or URL (API) the request is in."""
    tenant = g.get("tenant")
    if tenant is None:
        raise NotFound(_l("No tenant in this request."))
    return tenant


def procurement_pages(plugin: str, import_name: str, **kwargs: Any) -> Blueprint:
    """A blueprint for the plugin's pages inside a procurement, under
    `/t/<slug>/procurements/<procurement_id>/plugins/<plugin>/`. The platform checks tenant
    membership, that the caller may read the procurement (else 404) and that its lead enabled
    the plugin; views get no arguments: use `current_procurement()`."""
    return _procurement_pages.blueprint(plugin, import_name, **kwargs)


def current_procurement():
    """The procurement of the current procurement page (checked by the platform)."""
    return _procurement_pages.current_procurement()


def can_change_procurement() -> bool:
    """Whether the caller may change the current procurement (for showing edit controls)."""
    return _procurement_pages.can_change_procurement()


def require_procurement_change() -> None:
    """403 unless the caller may change the current procurement."""
    _procurement_pages.require_procurement_change()


def translations(plugin: str):
    """The plugin's own message catalogue (`translations/<locale>/LC_MESSAGES/messages.mo` in
    its package) with the platform's beneath: `.gettext`, `.ngettext`, `.lazy_gettext`,
    `.lazy_ngettext`, `.render(template, **context)`. The plugin's pages and API use it
    already; call it where the platform renders for you (dashboard panels, error messages)."""
    return _catalogue(plugin)


def current_principal():
    """The request's principal: `.user` (a read-only snapshot of the person: `id`, `email`,
    `name`, `display_name`, `locale`, … ; None when anonymous), `.memberships`,
    `.role_in(tenant_id)`, `.has_role(tenant_id, role)`, `.tenant_ids`, `.extra`."""
    return principal()


# --- per-tenant state --------------------------------------------------------------------

def is_enabled(plugin: str, tenant_id: uuid.UUID | None = None) -> bool:
    """Whether the tenant (default: the current one) has enabled `plugin`."""

    return plugin in enabled_for_tenant(tenant_id or current_tenant().id)


def settings(plugin: str, tenant_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The tenant's settings for `plugin`, defaults filled in by the plugin's schema."""

    return tenant_settings(tenant_id or current_tenant().id, plugin)


def require_permission(action: str, tenant: Any = None) -> None:
    """Raise 404 for non-members and 403 unless `action` is allowed (see samspill_permissions)."""

    require(action, tenant or current_tenant())


def is_allowed(action: str, tenant: Any = None) -> bool:

    return allowed(action, tenant or current_tenant())


# --- helpers for content hooks -----------------------------------------------------------

def for_domain(items: list[Any], asked: str | None, own: str) -> list[Any]:
    """`items` when `asked` is None or the plugin's own domain `own`, else nothing."""
    return list(items) if asked in (None, own) else []


def procurement_domain(procurement: Any) -> str | None:
    return getattr(procurement, "domain", None)


def domain_content_hooks(content: Any) -> tuple:
    """The seven content hooks of a domain plugin whose `content` module has the shape of
    plugins/welfare_tech/content.py (DOMAIN, REQUIREMENT_CATEGORIES, TEMPLATE, NEEDS_CATALOGUE,
    REQUIREMENTS, QUESTIONNAIRE, KPIS, GATE_ITEMS). Assign them in the plugin module, in order:
    domains, templates, needs catalogue, requirement library, questionnaire questions, benefit
    KPIs, gate items."""
    own = content.DOMAIN["key"]

    @hookimpl
    def samspill_domains():
        return [{**content.DOMAIN, "requirement_categories": content.REQUIREMENT_CATEGORIES}]

    @hookimpl
    def samspill_templates(domain):
        return for_domain([content.TEMPLATE], domain, own)

    @hookimpl
    def samspill_needs_catalogue(domain):
        return for_domain(content.NEEDS_CATALOGUE, domain, own)

    @hookimpl
    def samspill_requirement_library(domain):
        return for_domain(content.REQUIREMENTS, domain, own)

    @hookimpl
    def samspill_questionnaire_questions(domain):
        return for_domain(content.QUESTIONNAIRE, domain, own)

    @hookimpl
    def samspill_benefit_kpis(domain):
        return for_domain(content.KPIS, domain, own)

    @hookimpl
    def samspill_gate_items(procurement, phase):
        if procurement_domain(procurement) != own:
            return []
        return [dict(item) for item in content.GATE_ITEMS if phase in (None, item["phase"])]

    return (samspill_domains, samspill_templates, samspill_needs_catalogue, samspill_requirement_library,
            samspill_questionnaire_questions, samspill_benefit_kpis, samspill_gate_items)


def emit(event: str, procurement: Any, **details: Any) -> None:
    """Platform code's way to announce a lifecycle event (see core.plugin_platform.host.emit)."""

    emit_event(event, procurement, **details)


def enable_tenant_rls(op, table: str, column: str = "tenant_id") -> None:
    """For a plugin's Alembic revision: forced row-level security on a tenant-owned table."""

    enable(op, table, column)


__all__ = [
    "CONTRACT_VERSION", "ENTRY_POINT_GROUP", "TEMPLATE_FORMAT", "Conflict", "Domain", "Forbidden", "GateItem",
    "IdMixin", "Kpi", "NavItem", "Need", "NotFound", "Permission", "PluginSchema", "ProcurementTab", "Question",
    "Requirement", "Schema", "TenantOwned", "TimestampMixin", "UTCDateTime", "ValidationError",
    "api_blueprint", "audit", "can_change_procurement", "current_principal", "current_procurement",
    "current_tenant", "db", "domain_content_hooks", "emit", "enable_tenant_rls", "fields", "for_domain",
    "gettext", "hookimpl", "is_allowed", "is_enabled", "lazy_gettext", "procurement_domain",
    "procurement_pages", "require_permission", "require_procurement_change", "settings", "tenant_pages",
    "translations", "utcnow", "validate",
]
