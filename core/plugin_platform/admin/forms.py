"""HTML form fields from a plugin's marshmallow schema, and form input back to its data.

Supported: String (text; `validate.OneOf` as a select whose `labels=` are the options' texts,
so give them as `lazy_gettext(...)`; `metadata={"multiline": True}` as a text area), Email, Url,
Integer, Float, Decimal, Boolean (checkbox), Date, and List(String) (one value per line).
Labels and help come from `metadata={"label": ..., "description": ...}`.

`extension_sections` / `parse_extension_form` do the same for every plugin namespace of an
object's extension data at once (the procurement's *domain details* page, the needs form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict


@dataclass
class FormField:
    name: str           # the input's name (with prefix)
    key: str            # the schema field
    label: str
    kind: str           # text | textarea | number | checkbox | select | email | url | date | lines
    value: Any
    hint: str = ""
    required: bool = False
    choices: list[str] = field(default_factory=list)
    step: str = "1"
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label) of a select

    def display(self, value: Any = None) -> str:
        """`value` (default: the field's own) as a person reads it: the option's label, Yes/No,
        a list joined, "–" for nothing."""
        value = self.value if value is None else value
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if self.options:
            return dict(self.options).get(str(value), str(value))
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(value)


def _kind(f: fields.Field) -> tuple[str, list[tuple[str, str]]]:
    if isinstance(f, fields.Boolean):
        return "checkbox", []
    if isinstance(f, fields.Integer):
        return "number", []
    if isinstance(f, fields.Float | fields.Decimal):
        return "decimal", []
    if isinstance(f, fields.Email):
        return "email", []
    if isinstance(f, fields.Url):
        return "url", []
    if isinstance(f, fields.Date):
        return "date", []
    if isinstance(f, fields.List):
        return "lines", []
    for v in getattr(f, "validators", []):
        if isinstance(v, validate.OneOf):  # options labelled by `OneOf(labels=...)`, else the value
            return "select", [(value, str(label) or value) for value, label in v.options()]
    if f.metadata.get("multiline"):
        return "textarea", []
    return "text", []


def form_fields(schema_cls: type[Schema], values: dict[str, Any], prefix: str = "") -> list[FormField]:
    """One FormField per schema field (dump-only fields left out), filled with `values`."""
    result = []
    for key, f in schema_cls().fields.items():
        if f.dump_only:
            continue
        kind, options = _kind(f)
        value = values.get(key)
        if kind == "lines" and isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        result.append(FormField(
            name=f"{prefix}{key}", key=key, kind=kind, value=value, choices=[v for v, _label in options],
            options=options,
            label=str(f.metadata.get("label") or key.replace("_", " ").capitalize()),
            hint=str(f.metadata.get("description") or ""), required=bool(f.required),
            step="any" if kind == "decimal" else "1",
        ))
    return result


def parse_form(schema_cls: type[Schema], form: MultiDict, prefix: str = "") -> dict[str, Any]:
    """Raw values for `schema.load` from a submitted form; empty optional fields are left
    out (so defaults or the stored value apply), or sent as None where None is allowed."""
    data: dict[str, Any] = {}
    for key, f in schema_cls().fields.items():
        if f.dump_only:
            continue
        name = f"{prefix}{key}"
        kind, _choices = _kind(f)
        if kind == "checkbox":
            values = form.getlist(name)
            data[key] = (values[-1] if values else "false") in ("true", "on", "1", "y", "yes")
            continue
        if name not in form:
            continue
        raw = form.get(name, "")
        if kind == "lines":
            data[key] = [line.strip() for line in raw.splitlines() if line.strip()]
        elif raw.strip() == "":
            if f.allow_none:
                data[key] = None
            elif f.required:
                data[key] = raw
        else:
            data[key] = raw.strip()
    return data


def extension_sections(schemas: dict[str, type[Schema]], stored: dict[str, Any], *,
                       submitted: dict[str, Any] | None = None, errors: dict[str, Any] | None = None,
                       prefix: str = "") -> list[dict[str, Any]]:
    """One section per plugin namespace for an HTML form: `namespace`, `fields` (inputs named
    `<prefix><namespace>--<field>`, filled from `stored` then `submitted`) and `errors` (that
    namespace's `{field: [messages]}`, `_` for the namespace as a whole)."""
    sections = []
    for namespace, schema in schemas.items():
        values = {**((stored or {}).get(namespace) or {}), **((submitted or {}).get(namespace) or {})}
        own = (errors or {}).get(namespace) or {}
        sections.append({"namespace": namespace, "prefix": f"{prefix}{namespace}--",
                         "fields": form_fields(schema, values, prefix=f"{prefix}{namespace}--"),
                         "errors": own if isinstance(own, dict) else {"_": own}})
    return sections


def parse_extension_form(schemas: dict[str, type[Schema]], form: MultiDict, prefix: str = "") -> dict[str, Any]:
    """`{namespace: raw data}` from a form built with `extension_sections(..., prefix=prefix)`."""
    return {namespace: parse_form(schema, form, prefix=f"{prefix}{namespace}--")
            for namespace, schema in schemas.items()}


def nest_errors(flat: dict[str, list[str]], prefix: str) -> dict[str, dict[str, list[str]]]:
    """The reverse of the flattened field names: `{"<prefix><ns>--<field>[--...]": msgs}` back to
    `{ns: {field: msgs}}` (a namespace's own messages under `_`)."""
    nested: dict[str, dict[str, list[str]]] = {}
    for name, messages in flat.items():
        if not name.startswith(prefix):
            continue
        namespace, _sep, rest = name[len(prefix):].partition("--")
        key = rest.partition("--")[0] or "_"
        nested.setdefault(namespace, {}).setdefault(key, []).extend(messages)
    return nested
