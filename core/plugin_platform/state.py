"""Rules for a tenant's plugins: which are enabled, and their settings.

Installed is the operator's choice (entry points, minus `SAMSPILL_BLOCKED_PLUGINS`); enabled
is each tenant's. Only a tenant admin changes the choice; settings are validated by the
plugin's own marshmallow schema, stored as its dump, and every change is audited.
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError
from sqlalchemy import select

from core import audit, isolation
from core.access import require_tenant_member, require_tenant_role
from core.db import db
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.plugin_platform import problems
from core.plugin_platform.host import InstalledPlugin, PluginHost, current_host, forget_enabled_cache
from core.plugin_platform.models import TenantPlugin, enabled_names  # noqa: F401  (state's name)
from tenants.models import Tenant, TenantRole


@dataclass
class PluginState:
    """An installed plugin as one tenant sees it."""

    name: str
    version: str | None
    distribution: str | None
    status: str
    description: str
    enabled: bool
    hooks: list[str]
    problems: list[dict[str, Any]]
    settings: dict[str, Any] | None = None
    settings_version: int = 0
    settings_fields: list[str] = field(default_factory=list)


# --- what is installed -------------------------------------------------------------------

def installed() -> list[InstalledPlugin]:
    """Every installed plugin (loaded, failed or blocked), A→Z; the core's own left out."""
    return sorted((p for p in current_host().plugins.values() if not p.internal),
                  key=lambda p: p.name)


def get_installed(name: str) -> InstalledPlugin:
    info = current_host().plugins.get(name)
    if info is None or info.internal:
        raise NotFound(_l("No such plugin."))
    return info


def description_of(info: InstalledPlugin) -> str:
    module = sys.modules.get(info.module or "")
    doc = (getattr(module, "__doc__", None) or "").strip()
    return doc.splitlines()[0] if doc else ""


def plugin_label(name: str) -> str:
    """A plugin as people read it: the name of its (first) procurement domain in the page's
    language (`name` / `name_en` of `samspill_domains`), else its name with spaces."""
    host = current_host()
    names = getattr(host, "domain_names", None)
    if names is None:
        names = {}
        try:
            results = host.call_each("samspill_domains")
        except Exception:  # a broken plugin must not break the pages that name it
            results = {}
        for plugin, domains in results.items():
            first = next((d for d in domains or [] if isinstance(d, dict) and d.get("name")), None)
            if first:
                names[plugin] = (str(first["name"]), str(first.get("name_en") or first["name"]))
        host.domain_names = names
    if name in names:
        locale = get_locale()
        return names[name][1] if locale is not None and locale.language == "en" else names[name][0]
    return name.replace("_", " ").capitalize()


def plugin_for_domain(domain: str | None) -> str | None:
    """The active installed plugin that declares the procurement domain `domain`
    (`samspill_domains`), or None: what a package of that domain asks a tenant to enable."""
    if not domain:
        return None
    host = current_host()
    owners = getattr(host, "domain_plugins", None)
    if owners is None:
        owners = {}
        try:
            results = host.call_each("samspill_domains")
        except Exception:  # a broken plugin must not break the pages that ask
            results = {}
        for plugin, domains in results.items():
            info = host.plugins.get(plugin)
            if info is None or info.internal or info.status != "active":
                continue
            for item in domains or []:
                if isinstance(item, dict) and item.get("key"):
                    owners.setdefault(str(item["key"]), plugin)
        host.domain_plugins = owners
    return owners.get(domain)


def domain_label(domain: str | None) -> str:
    """A procurement domain as people read it: its plugin's domain name in the page's language."""
    if not domain:
        return ""
    return plugin_label(plugin_for_domain(domain) or domain)


def settings_schema(name: str) -> type[Schema] | None:
    """The plugin's settings schema class, or None when it has no settings."""
    return settings_schemas(current_host()).get(name)


def settings_schemas(host: PluginHost) -> dict[str, type[Schema]]:
    """Plugin name -> settings schema class (asked once per app and remembered)."""
    schemas = getattr(host, "settings_schemas", None)
    if schemas is None:
        schemas = {}
        for plugin, result in host.call_each("samspill_settings_schema").items():
            schema = result[0] if isinstance(result, list | tuple) else result
            if isinstance(schema, type) and issubclass(schema, Schema):
                schemas[plugin] = schema
            else:
                host.report(plugin, "content", "samspill_settings_schema must return a "
                            "marshmallow Schema class.", hook="samspill_settings_schema")
        host.settings_schemas = schemas
    return schemas


# --- enabled plugins ---------------------------------------------------------------------

def where_enabled() -> dict[str, list[str]]:
    """Plugin name -> slugs of the tenants that enabled it (operator's overview)."""
    with isolation.system_scope():
        rows = db.session.execute(
            select(TenantPlugin.plugin, Tenant.slug).join(Tenant, Tenant.id == TenantPlugin.tenant_id)
            .where(TenantPlugin.enabled.is_(True)).order_by(TenantPlugin.plugin, Tenant.slug)
        ).all()
    result: dict[str, list[str]] = {}
    for plugin, slug in rows:
        result.setdefault(plugin, []).append(slug)
    return result


def _rows(tenant_id: uuid.UUID) -> dict[str, TenantPlugin]:
    return {r.plugin: r for r in db.session.execute(
        select(TenantPlugin).where(TenantPlugin.tenant_id == tenant_id)).scalars()}


def _state(info: InstalledPlugin, row: TenantPlugin | None, with_settings: bool,
           recorded: dict[str, list[dict[str, Any]]]) -> PluginState:
    host = current_host()
    state = PluginState(
        name=info.name, version=info.version, distribution=info.distribution,
        status=info.status, description=description_of(info),
        enabled=bool(row and row.enabled), hooks=host.hooks_of(info.name),
        problems=recorded.get(info.name, []),
        settings_version=row.version if row else 0,
    )
    schema = settings_schema(info.name) if info.status == "active" else None
    if schema is not None:
        state.settings_fields = list(schema().fields)
        if with_settings:
            state.settings = effective_settings(info.name, row.settings if row else {})
    return state


def states_for(tenant: Tenant) -> list[PluginState]:
    """Every installed plugin and this tenant's choice; settings only for its admins."""
    principal = require_tenant_member(tenant.id)
    admin = principal.has_role(tenant.id, TenantRole.admin)
    rows = _rows(tenant.id)
    recorded = problems.recorded()
    return [_state(info, rows.get(info.name), admin, recorded) for info in installed()]


def state_for(tenant: Tenant, name: str) -> PluginState:
    principal = require_tenant_member(tenant.id)
    info = get_installed(name)
    row = _rows(tenant.id).get(name)
    return _state(info, row, principal.has_role(tenant.id, TenantRole.admin), problems.recorded([name]))


# --- changing the choice -----------------------------------------------------------------

def _row_for_change(tenant: Tenant, name: str, check_access: bool) -> tuple[InstalledPlugin, TenantPlugin]:
    if check_access:
        require_tenant_role(tenant.id, TenantRole.admin)
    info = get_installed(name)
    row = db.session.execute(select(TenantPlugin).where(
        TenantPlugin.tenant_id == tenant.id, TenantPlugin.plugin == name)).scalar_one_or_none()
    if row is None:
        row = TenantPlugin(tenant_id=tenant.id, plugin=name, enabled=False, settings={})
        db.session.add(row)
    return info, row


def _check_version(row: TenantPlugin, expected_version: int | None) -> None:
    if expected_version is not None and row.version is not None and row.version != expected_version:
        raise Conflict(_l("Someone else changed this plugin's settings; reload and try again."),
                       errors={"version": [_l("The current version is %(version)s.", version=row.version)]})


def set_enabled(tenant: Tenant, name: str, enabled: bool, *, check_access: bool = True,
                expected_version: int | None = None) -> TenantPlugin:
    """Enable or disable an installed plugin for the tenant (admin)."""
    info, row = _row_for_change(tenant, name, check_access)
    _check_version(row, expected_version)
    if enabled and info.status != "active":
        reason = (_l("The operator has blocked this plugin.") if info.status == "blocked"
                  else _l("This plugin failed to load; see its problems."))
        raise Conflict(reason, errors={"enabled": [reason]})
    if row.enabled != enabled:
        row.enabled = enabled
        db.session.flush()
        audit.record("plugin.enabled" if enabled else "plugin.disabled", "tenant_plugin", row.id,
                     tenant_id=tenant.id, changes={"before": {"plugin": name, "enabled": not enabled},
                                                   "after": {"plugin": name, "enabled": enabled}})
    forget_enabled_cache()
    return row


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """`key=value` pairs from the command line (JSON lists and objects are parsed)."""

    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationError(_l("Use --set key=value."),
                                  errors={"set": [_l("Not key=value: %(pair)s", pair=pair)]})
        value = value.strip()
        if value[:1] in "[{":
            try:
                result[key.strip()] = json.loads(value)
                continue
            except ValueError:
                pass
        result[key.strip()] = value
    return result


def validate_settings(name: str, values: dict[str, Any]) -> dict[str, Any]:
    """The plugin's settings after its schema: defaults filled, JSON-ready; or 422."""
    schema_cls = settings_schema(name)
    if schema_cls is None:
        raise ValidationError(_l("This plugin has no settings."), errors={"settings": [_l("No settings.")]})
    schema = schema_cls()
    try:
        loaded = schema.load(values)
    except SchemaError as exc:
        raise ValidationError(_l("The settings are invalid."), errors=_messages(exc.messages)) from None
    return schema.dump(loaded)


def update_settings(tenant: Tenant, name: str, changes: dict[str, Any], *,
                    expected_version: int | None = None, check_access: bool = True) -> TenantPlugin:
    """Change some of the tenant's settings for a plugin, validated as a whole (admin)."""
    info, row = _row_for_change(tenant, name, check_access)
    _check_version(row, expected_version)
    if info.status != "active":
        raise Conflict(_l("This plugin is not available."), errors={"settings": [_l("Not available.")]})
    before = effective_settings(name, row.settings or {})
    after = validate_settings(name, {**before, **(changes or {})})
    if after != (row.settings or {}):
        row.settings = after
        db.session.flush()
        audit.record("plugin.settings_changed", "tenant_plugin", row.id, tenant_id=tenant.id,
                     changes={"plugin": name, **audit.diff(before, after)})
    return row


def effective_settings(name: str, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored settings with the schema's defaults; stored values the schema now refuses are
    replaced by defaults (and reported), so a plugin upgrade never breaks a tenant's pages."""
    schema_cls = settings_schema(name)
    if schema_cls is None:
        return dict(stored or {})
    schema = schema_cls()
    try:
        return schema.dump(schema.load(dict(stored or {})))
    except SchemaError as exc:
        current_host().report(name, "content", f"Stored settings no longer valid: {exc.messages}")
        valid = {k: v for k, v in (stored or {}).items() if k not in exc.messages}
        try:
            return schema.dump(schema.load(valid, partial=True))
        except SchemaError:
            return {}


def tenant_settings(tenant_id: uuid.UUID, name: str) -> dict[str, Any]:
    """The effective settings of plugin `name` in a tenant (for the plugin's own code)."""
    stmt = select(TenantPlugin.settings).where(TenantPlugin.tenant_id == tenant_id,
                                               TenantPlugin.plugin == name)
    scope = isolation.current_scope()
    if scope == isolation.SYSTEM or tenant_id in scope:
        stored = db.session.execute(stmt).scalar_one_or_none()
    else:
        # A participant looking at a joint procurement sees it with the lead's settings.
        with isolation.system_scope():
            stored = db.session.execute(stmt).scalar_one_or_none()
    return effective_settings(name, stored or {})


def _messages(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {str(k): (v if isinstance(v, list) else [str(v)]) for k, v in messages.items()}
    return {"settings": [str(m) for m in (messages if isinstance(messages, list) else [messages])]}
