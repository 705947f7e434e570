"""marshmallow schemas of the procurement API (request bodies and responses).

Request schemas only check shapes; the rules (CPV check digits, key dates, extension data,
permissions) live in the services, so HTML forms and the API cannot differ.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from core.procurement.access import Action
from core.procurement.models import ContractKind, NeedSource, Procedure
from core.procurement.notice import notice_hint


class ListArgs(Schema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class TenantRefSchema(Schema):
    slug = fields.String()
    name = fields.String()


class NoticeSchema(Schema):
    band = fields.String(allow_none=True)
    regime = fields.String(allow_none=True)
    publish = fields.List(fields.Dict())
    dialogue_invitation = fields.List(fields.Dict())
    messages = fields.List(fields.String())
    thresholds_ore = fields.Dict(keys=fields.String(), values=fields.Integer())


class ProcurementSummarySchema(Schema):
    id = fields.UUID()
    title = fields.String()
    phase = fields.String()
    status = fields.String()
    lead_tenant = fields.Nested(TenantRefSchema)
    created_at = fields.DateTime()
    version = fields.Integer()


class ProcurementListItemSchema(ProcurementSummarySchema):
    part = fields.String(metadata={"description": "The tenant's part: lead, buyer or observer"})


class ProcurementListSchema(Schema):
    items = fields.List(fields.Nested(ProcurementListItemSchema))
    next_cursor = fields.String(allow_none=True)


class ProcurementSchema(ProcurementSummarySchema):
    description = fields.String()
    domain = fields.String(allow_none=True)
    estimated_value_ore = fields.Integer(allow_none=True, metadata={"description": "øre, excl. VAT"})
    procedure = fields.String(allow_none=True)
    contract_kind = fields.String()
    cpv_codes = fields.List(fields.String())
    key_dates = fields.Dict()
    milestones = fields.List(fields.Dict())
    extension = fields.Dict()
    dialogue_open = fields.Boolean()
    template_version_id = fields.UUID(allow_none=True)
    updated_at = fields.DateTime()
    notice = fields.Nested(NoticeSchema)
    permissions = fields.Dict(keys=fields.String(), values=fields.Boolean())


def summary(procurement, **extra) -> dict:
    return {"id": procurement.id, "title": procurement.title, "phase": procurement.phase.value,
            "status": procurement.status.value, "created_at": procurement.created_at, "version": procurement.version,
            "lead_tenant": {"slug": procurement.lead_tenant.slug, "name": procurement.lead_tenant.name}, **extra}


def list_item_json(row) -> dict:
    """`ProcurementListItemSchema`'s dump of one row of `service.list_summary_page`, written out
    by hand: the API list is the hottest read and marshmallow's field-by-field dump cost ~15 % of
    its CPU. The schema stays the documentation; `tests/bench/test_speed_round.py` keeps both equal."""
    created_at = row.created_at
    return {"id": str(row.id), "title": row.title, "phase": row.phase.value, "status": row.status.value,
            "lead_tenant": {"slug": row.lead_slug, "name": row.lead_name},
            "created_at": created_at.isoformat() if created_at is not None else None,
            "version": row.version, "part": row.part.value}


def detail(access) -> dict:
    p = access.procurement
    procedure = p.procedure.value if p.procedure else None
    return summary(
        p, description=p.description, domain=p.domain, estimated_value_ore=p.estimated_value_ore,
        procedure=procedure, contract_kind=p.contract_kind.value, cpv_codes=p.cpv_codes, key_dates=p.key_dates,
        milestones=p.milestones, extension=p.extension, dialogue_open=p.dialogue_open,
        template_version_id=p.template_version_id, updated_at=p.updated_at,
        notice=notice_hint(p.estimated_value_ore, procedure, p.contract_kind.value).as_dict(),
        permissions={a.value: access.can(a) for a in Action})


class ProcurementCreateSchema(Schema):
    class Meta:
        unknown = INCLUDE  # unknown fields reach the service, which names them in its 422

    title = fields.String()
    description = fields.String()
    domain = fields.String(allow_none=True)
    estimated_value_ore = fields.Raw(allow_none=True, metadata={"type": "integer", "description": "øre, excl. VAT"})
    procedure = fields.String(allow_none=True, metadata={"enum": [p.value for p in Procedure]})
    contract_kind = fields.String(metadata={"enum": [k.value for k in ContractKind]})
    cpv_codes = fields.List(fields.String())
    key_dates = fields.Dict()
    milestones = fields.List(fields.Dict())
    extension = fields.Dict()
    template = fields.UUID(metadata={"description": "Start from this template (its latest published version)"})
    template_version = fields.UUID(metadata={"description": "Start from this exact template version"})


class ProcurementPatchSchema(ProcurementCreateSchema):
    class Meta:
        unknown = INCLUDE

    version = fields.Integer(metadata={"description": "The version you read; 409 when it is stale"})


class TransitionSchema(Schema):
    to = fields.String(load_default=None, metadata={"description": "The next phase, or 'completed'"})


class GateItemSchema(Schema):
    phase = fields.String()
    key = fields.String()
    text = fields.String()
    source = fields.String()
    automatic = fields.Boolean()
    state = fields.String()
    reason = fields.String()
    by = fields.String()
    at = fields.DateTime(allow_none=True)
    missing = fields.List(fields.String(), metadata={
        "description": "An automatic item's open points, e.g. the priority-1 needs no requirement covers"})


class GateActionSchema(Schema):
    item = fields.String(required=True)
    action = fields.String(required=True, validate=validate.OneOf(["done", "waive", "reopen"]))
    reason = fields.String(load_default="")


class TransitionRecordSchema(Schema):
    from_phase = fields.String()
    to_phase = fields.String()
    at = fields.DateTime()
    by = fields.String(attribute="by_label")
    waived = fields.List(fields.Dict())


class ParticipantSchema(Schema):
    tenant = fields.Function(lambda p: p.tenant.slug)
    tenant_name = fields.Function(lambda p: p.tenant.name)
    role = fields.Function(lambda p: p.role.value)
    status = fields.Function(lambda p: p.status.value)
    responded_at = fields.DateTime(allow_none=True)


class InviteSchema(Schema):
    tenant = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["buyer", "observer"]})


class LeadSchema(Schema):
    tenant = fields.String(required=True)


class ProjectMemberSchema(Schema):
    user_id = fields.UUID()
    email = fields.String()
    tenant = fields.String()
    role = fields.String()


class ProjectMemberInSchema(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["lead", "member", "evaluator", "observer"]})


class ProjectMemberOutSchema(Schema):
    user_id = fields.UUID(required=True)


class NeedSchema(Schema):
    id = fields.UUID()
    position = fields.Integer()
    statement = fields.String()
    user_group = fields.String()
    source = fields.Function(lambda n: n.source.value)
    priority = fields.Integer()
    extension = fields.Dict(metadata={"description": "Plugins' fields, {plugin name: {...}}."})
    created_at = fields.DateTime()


class NeedInSchema(Schema):
    statement = fields.String(load_default="")
    user_group = fields.String(load_default="")
    # No default here: "" is not in the enum, which made /api/v1/openapi.json invalid.
    source = fields.String(metadata={"enum": [s.value for s in NeedSource]})
    priority = fields.Raw(load_default=2, metadata={"type": "integer", "enum": [1, 2, 3]})
    extension = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Fields of the plugins the lead tenant enabled, {plugin name: {...}}, "
                       "each checked by the plugin's need extension schema."})


class NeedPatchSchema(Schema):
    statement = fields.String()
    user_group = fields.String()
    source = fields.String(metadata={"enum": [s.value for s in NeedSource]})
    priority = fields.Raw(metadata={"type": "integer", "enum": [1, 2, 3]})
    extension = fields.Dict(keys=fields.String(), metadata={
        "description": "Replaces the plugin namespaces it names; the others are kept."})


class NeedOrderSchema(Schema):
    order = fields.List(fields.UUID(), required=True)


class NeedImportSchema(Schema):
    template_version = fields.UUID(required=True)
    indexes = fields.List(fields.Integer(), load_default=None)


class AttachmentSchema(Schema):
    id = fields.UUID()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    need_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime()


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    actor = fields.String(attribute="actor_label")
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    changes = fields.Dict()
    hash = fields.String()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    next_cursor = fields.String(allow_none=True)
