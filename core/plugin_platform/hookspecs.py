"""The plugin contract: every hook a Samspill plugin can implement, one line each.

Plugins implement these with `core.plugin_api.hookimpl`; `docs/plugins.md` documents each
hook (signature, arguments, return value, example) and a test keeps the two in sync. Which
plugins a hook is called for, and in which order, is described there ("Who is called" and
"Order") and implemented in `core.plugin_platform.host`.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("samspill")

TEMPLATE_FORMAT = "samspill.template/1"  # what `samspill_templates` returns (docs/template-format.md)

# --- domain content (tenant scope: only plugins the tenant enabled) ----------------------


@hookspec
def samspill_domains():
    """Procurement domains the plugin provides: a list of Domain dicts."""


@hookspec
def samspill_templates(domain):
    """Procurement templates (`samspill.template/1` dicts) for `domain`, or all when None."""


@hookspec
def samspill_needs_catalogue(domain):
    """Needs-catalogue entries for `domain` (None: every domain the plugin has)."""


@hookspec
def samspill_requirement_library(domain):
    """Requirement-library items for `domain` (None: every domain the plugin has)."""


@hookspec
def samspill_questionnaire_questions(domain):
    """Suggested supplier-feedback questions for `domain` (None: every domain)."""


@hookspec
def samspill_benefit_kpis(domain):
    """Benefit KPIs (gevinstindikatorer) for `domain` (None: every domain)."""


@hookspec
def samspill_computed_kpis(procurement):
    """Benefit KPIs computed from the plugin's own data for `procurement`, with their values."""


@hookspec
def samspill_gate_items(procurement, phase):
    """Gate checklist items the plugin adds to `procurement` (for `phase`, or all when None)."""


# --- extension data and settings (installed scope) ---------------------------------------


@hookspec
def samspill_extension_schemas():
    """Marshmallow schemas of the plugin's namespaced extension data, by target."""


@hookspec
def samspill_settings_schema():
    """The marshmallow schema class of the plugin's per-tenant settings."""


# --- web, API, command line and database (installed scope) -------------------------------


@hookspec
def samspill_blueprints():
    """Flask blueprints with the plugin's pages (made with `plugin_api.tenant_pages`)."""


@hookspec
def samspill_api_blueprints():
    """flask-smorest blueprints with the plugin's JSON API (`plugin_api.api_blueprint`)."""


@hookspec
def samspill_navigation_items(tenant):
    """Main-menu links for `tenant`'s space: a list of NavItem dicts."""


@hookspec
def samspill_procurement_navigation_items(procurement, tenant):
    """Tabs on `procurement`'s pages in `tenant`'s space: a list of ProcurementTab dicts."""


@hookspec
def samspill_dashboard_panels(tenant):
    """HTML panels (Markup) for `tenant`'s dashboard."""


@hookspec
def samspill_register_commands(cli):
    """Add click commands or groups to the `samspill` command line."""


@hookspec
def samspill_migration_locations():
    """Directories holding the plugin's own Alembic revisions (its own branch)."""


# --- permissions -------------------------------------------------------------------------


@hookspec
def samspill_permissions():
    """Actions the plugin defines, each with the tenant role needed by default."""


@hookspec(firstresult=True)
def samspill_permission_allowed(principal, tenant, action):
    """True or False to decide `action` for `principal` in `tenant`; None to not decide."""


# --- lifecycle events (procurement scope: the lead tenant's enabled plugins) -------------


@hookspec
def samspill_procurement_created(procurement):
    """A procurement was created (called inside the creating transaction)."""


@hookspec
def samspill_phase_changed(procurement, from_phase, to_phase):
    """A procurement moved from `from_phase` to `to_phase`."""


@hookspec
def samspill_artefact_published(procurement, artefact_type, artefact):
    """An artefact of `procurement` (minutes, answer, invitation, ...) was published."""


@hookspec
def samspill_deadline_passed(procurement, deadline, artefact_type, artefact):
    """A deadline (`deadline`: a UTC datetime) of an artefact of `procurement` has passed."""


TENANT_HOOKS = frozenset({
    "samspill_domains", "samspill_templates", "samspill_needs_catalogue",
    "samspill_requirement_library", "samspill_questionnaire_questions", "samspill_benefit_kpis",
    "samspill_navigation_items", "samspill_dashboard_panels", "samspill_permission_allowed",
})
PROCUREMENT_HOOKS = frozenset({
    "samspill_gate_items", "samspill_computed_kpis", "samspill_procurement_created", "samspill_phase_changed",
    "samspill_artefact_published", "samspill_deadline_passed",
})
EVENT_HOOKS = {
    "procurement_created": "samspill_procurement_created",
    "phase_changed": "samspill_phase_changed",
    "artefact_published": "samspill_artefact_published",
    "deadline_passed": "samspill_deadline_passed",
}

# The marker the platform's own packages implement hooks with (plugins use `plugin_api.hookimpl`,
# the same marker).
hookimpl = pluggy.HookimplMarker("samspill")
