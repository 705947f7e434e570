"""Plugin extension data: namespaced fields that plugins add to procurements and artefacts.

A plugin declares `samspill_extension_schemas() -> {target: SchemaClass}` (targets:
`procurement`, or an artefact type such as `need`, `requirement`, `questionnaire`). Its data
lives under the plugin's name, e.g. `procurement.extension["welfare_tech"]`, and is always
validated by that schema. Which plugins may add data is decided by the procurement's lead
tenant (the lead governs a joint procurement). Several plugins extend one object side by side;
none replaces another's fields. In the OpenAPI document each schema is a component named
`<plugin>.<Name>`, so two plugins' `SettingsSchema` never clash.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow import resolver as default_schema_name
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from core import audit
from core.db import db
from core.errors import PreconditionFailed, ValidationError
from core.i18n import _l
from core.plugin_platform.host import EXTENSION_KEY, PluginHost, current_host, enabled_for_tenant, require_procurement
from core.plugin_platform.state import settings_schemas

PROCUREMENT = "procurement"


def schemas_by_target(host: PluginHost) -> dict[str, dict[str, type[Schema]]]:
    """target -> {plugin name: schema class}, asked once per app and remembered."""
    cached = getattr(host, "extension_schemas", None)
    if cached is not None:
        return cached
    result: dict[str, dict[str, type[Schema]]] = {}
    for plugin, value in host.call_each("samspill_extension_schemas").items():
        if not isinstance(value, dict):
            host.report(plugin, "content", "samspill_extension_schemas must return "
                        "{target: Schema class}.", hook="samspill_extension_schemas")
            continue
        for target, schema in value.items():
            if isinstance(schema, type) and issubclass(schema, Schema):
                result.setdefault(str(target), {})[plugin] = schema
            else:
                host.report(plugin, "content", f"Extension schema for {target!r} is not a "
                            "marshmallow Schema class.", hook="samspill_extension_schemas")
    host.extension_schemas = result
    return result


def namespaces(host: PluginHost, target: str) -> list[str]:
    return sorted(schemas_by_target(host).get(target, {}))


def schemas_for(procurement: Any, target: str) -> dict[str, type[Schema]]:
    """The extension schemas for `target` of the plugins the procurement's lead enabled."""
    enabled = enabled_for_tenant(procurement.lead_tenant_id)
    return {ns: s for ns, s in schemas_by_target(current_host()).get(target, {}).items()
            if ns in enabled}


def validate_extension_data(procurement: Any, target: str, data: dict[str, Any]) -> dict[str, Any]:
    """Each namespace of `data` validated by its plugin's schema; 422 with every message."""
    if not isinstance(data, dict):
        raise ValidationError(_l("Extension data must be an object."),
                              errors={"extension": [_l("An object keyed by plugin name.")]})
    schemas = schemas_for(procurement, target)
    cleaned: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for namespace, value in data.items():
        schema_cls = schemas.get(namespace)
        if schema_cls is None:
            errors[namespace] = [_l("No enabled plugin adds data with this name here.")]
            continue
        try:
            cleaned[namespace] = _load_dump(schema_cls, value)
        except SchemaError as exc:
            errors[namespace] = exc.messages
        except Exception as exc:  # a plugin's schema bug must not become a 500
            current_host().report(namespace, "content", f"{type(exc).__name__}: {exc}")
            errors[namespace] = [_l("The plugin could not check this data.")]
    if errors:
        raise ValidationError(_l("The extension data is invalid."), errors={"extension": errors})
    return cleaned


def _load_dump(schema_cls: type[Schema], value: Any) -> dict[str, Any]:
    schema = schema_cls()
    return schema.dump(schema.load(value if value is not None else {}))


def procurement_validator(namespace: str):
    """The callable fed to `app.extensions["samspill.extension_validators"][namespace]`:
    `(procurement, value) -> cleaned value`, raising `core.errors.ValidationError` whose
    `errors` are this namespace's field messages (the caller nests them under its name)."""

    def validate(procurement: Any, value: Any) -> dict[str, Any]:
        try:
            return validate_extension_data(procurement, PROCUREMENT, {namespace: value})[namespace]
        except ValidationError as exc:
            messages = (exc.errors.get("extension") or {}).get(namespace) or [exc.detail]
            raise ValidationError(exc.detail, errors=messages if isinstance(messages, dict)
                                  else {"_schema": messages}) from None

    validate.__name__ = f"validate_{namespace}_extension"
    return validate


# --- procurement extension data (service used by the API and the page) ------------------

def procurement_extensions(procurement_id: uuid.UUID) -> tuple[Any, dict[str, Any], dict[str, type[Schema]]]:
    """(the caller's access, the extension data, the schemas that apply) for a reader.

    The lead tenant's enabled plugins decide which namespaces show, also for participants
    that have not enabled those plugins themselves."""

    access = require_procurement(procurement_id, "read")
    procurement = access.procurement
    schemas = schemas_for(procurement, PROCUREMENT)
    data = {ns: (procurement.extension or {}).get(ns, {}) for ns in schemas}
    return access, data, schemas


def set_procurement_extension(procurement_id: uuid.UUID, namespace: str, value: Any,
                              expected_version: int | None = None) -> Any:
    """Replace one plugin's extension data on a procurement (writers of the procurement)."""

    access = require_procurement(procurement_id, "write")
    procurement = access.procurement
    if expected_version is not None and procurement.version != expected_version:
        raise PreconditionFailed(_l("The procurement was changed by someone else; reload it."))
    cleaned = validate_extension_data(procurement, PROCUREMENT, {namespace: value})[namespace]
    before = copy.deepcopy(procurement.extension or {})
    if before.get(namespace) == cleaned:
        return procurement
    procurement.extension = {**before, namespace: cleaned}
    db.session.flush()
    audit.record("procurement.extension_changed", "procurement", procurement.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement.id,
                 changes={"namespace": namespace,
                          **audit.diff(before.get(namespace) or {}, cleaned)})
    return procurement


# --- OpenAPI -----------------------------------------------------------------------------

def namespaced_schema_name(app: Flask):
    """apispec schema-name resolver: a plugin's schemas become `<plugin>.<Name>`."""

    def resolve(schema: Any) -> str:
        name = default_schema_name(schema)
        host = app.extensions.get(EXTENSION_KEY)
        owner = host.owner_of_module(resolve_schema_cls(schema).__module__) if host else None
        return f"{owner}.{name}" if owner else name

    return resolve


def openapi_spec_kwargs(app: Flask) -> dict[str, Any]:
    """`spec_kwargs` for `Api.init_app`: the MarshmallowPlugin with namespaced names."""

    return {"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=namespaced_schema_name(app))}


def register_openapi_components(app: Flask, api, host: PluginHost) -> None:
    """List each plugin's settings and extension schemas as namespaced components (written when
    the document is first read; a duplicate or unserialisable schema is reported then)."""

    resolve = namespaced_schema_name(app)
    seen: set[type] = set()
    classes: list[type[Schema]] = list(settings_schemas(host).values())
    for by_plugin in schemas_by_target(host).values():
        classes.extend(by_plugin.values())
    for schema in classes:
        if schema in seen:
            continue
        seen.add(schema)
        api.document(lambda schema=schema: api.spec.components.schema(resolve(schema), schema=schema),
                      on_error=lambda exc, schema=schema: host.report(
                          host.owner_of_module(schema.__module__) or "?", "register",
                          f"OpenAPI schema {schema.__name__}: {exc}"))
