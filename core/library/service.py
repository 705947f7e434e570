"""Rules of the template library: visibility, versions, import/export, reuse and lineage.

Visibility: a template is seen by every tenant when it comes from the platform or a plugin or
is open to all; by its owner tenant; and by the tenants it is shared with. Anything else
answers 404. Only published versions are visible outside the owner tenant, and a published
version never changes (`ImmutableVersion`); editing means a new draft version.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, exists, func, literal_column, or_, select
from sqlalchemy.sql.elements import BindParameter

from core import audit
from core.access import require_tenant_role, require_user
from core.auth import current_principal
from core.db import db, utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.library.diff import diff_content, is_empty
from core.library.format import dump_template, validate_template
from core.library.lists import one_of
from core.library.models import (
    Lesson,
    Template,
    TemplateShare,
    TemplateSource,
    TemplateUse,
    TemplateVersion,
    VersionStatus,
    Visibility,
)
from core.library.search import search_text
from core.pagination import Page, keyset_page
from core.procurement.access import caller_tenant_ids
from tenants.models import Tenant, TenantRole


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


OPEN_TO_ALL = literal_column(f"'{Visibility.all.value}'")
"""`Visibility.all` written into the SQL, not bound: a bound value is unknown to the plan a
prepared statement keeps (its generic plan), which then guessed how many templates are open to
all and looked dearer than a custom plan, so PostgreSQL planned the arena's page on every visit
at scale 10."""


def visible_clause(tenant_ids, dialect: str | None = None, *, planned_blind: bool = False):
    """SQL condition: templates the given tenants may see (platform templates are open to all;
    plugin templates are shared with the tenants that enabled the plugin). `tenant_ids` is a
    list, or the name of a bind parameter that will hold it (then `dialect` says how it is
    bound, and `planned_blind` whether the planner may look at it: `lists.one_of`)."""
    if isinstance(tenant_ids, str):
        owned = one_of(Template.owner_tenant_id, tenant_ids, dialect, planned_blind=planned_blind)
        shared = one_of(TemplateShare.tenant_id, tenant_ids, dialect, planned_blind=planned_blind)
    else:
        ids = tenant_ids if isinstance(tenant_ids, BindParameter) else list(tenant_ids)  # prebuilt: expanding
        owned, shared = Template.owner_tenant_id.in_(ids), TemplateShare.tenant_id.in_(ids)
    return or_(
        Template.visibility == OPEN_TO_ALL,
        owned,
        exists().where(TemplateShare.template_id == Template.id, shared),
    )


def _viewer_tenant_ids() -> frozenset[uuid.UUID]:
    principal = require_user()
    ids = caller_tenant_ids(principal)
    if not ids:
        raise NotFound(_l("No such template."))
    return ids


def viewer_tenant_ids() -> frozenset[uuid.UUID]:
    """The signed-in person's tenants, whose templates they may see (404 when they have none)."""
    return _viewer_tenant_ids()


def visible_published(stmt, q: str = "", clause=None):
    """`stmt` (a select from `Template`) narrowed to the published templates the caller's tenants
    can see; `q` searches title, summary and domain, the latest version's needs, requirements,
    questions and texts (`Template.search_text`) and the lessons learned shared on the template.
    `clause` is the caller's `visible_clause` when the caller has built it already."""
    if clause is None:
        clause = visible_clause(_viewer_tenant_ids())
    stmt = stmt.where(clause, Template.latest_version_id.is_not(None))
    if q.strip():
        stmt = stmt.where(search_clause(search_pattern(q)))
    return stmt


def search_pattern(q: str) -> str:
    """The LIKE pattern of the arena's search words `q` (`search_clause`)."""
    words = q.strip().lower()
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_clause(pattern):
    """SQL condition: the template's words or a lesson on it match `pattern` (a `search_pattern`,
    or a bind parameter for a prebuilt statement)."""
    in_lessons = exists().where(Lesson.template_id == Template.id, or_(
        func.lower(Lesson.title).like(pattern, escape="\\"), func.lower(Lesson.body).like(pattern, escape="\\")))
    return or_(func.lower(Template.title).like(pattern, escape="\\"),
               func.lower(Template.summary).like(pattern, escape="\\"),
               func.lower(func.coalesce(Template.domain, literal_column("''"))).like(pattern, escape="\\"),
               Template.search_text.like(pattern, escape="\\"), in_lessons)


def list_visible(*, q: str = "", cursor: str | None = None, limit: int = 20) -> Page:
    """Published templates the caller's tenants can see, newest publication first, searched by
    `q` (`visible_published`) — in one query."""
    stmt = visible_published(select(Template), q)
    return keyset_page(stmt, [(Template.latest_published_at, True), (Template.id, True)], limit=limit, cursor=cursor)


def owns(template: Template) -> bool:
    return template.owner_tenant_id is not None and template.owner_tenant_id in caller_tenant_ids(current_principal())


def get_visible_template(template_id: uuid.UUID) -> Template:
    ids = _viewer_tenant_ids()
    template = db.session.execute(
        select(Template).where(Template.id == template_id, visible_clause(ids))).scalar_one_or_none()
    if template is None or (template.latest_version_id is None and not owns(template)):
        raise NotFound(_l("No such template."))
    return template


def list_versions(template: Template) -> list[TemplateVersion]:
    """Published versions, newest first (the owner also sees its draft)."""
    stmt = select(TemplateVersion).where(TemplateVersion.template_id == template.id)
    if not owns(template):
        stmt = stmt.where(TemplateVersion.status == VersionStatus.published)
    return list(db.session.execute(stmt.order_by(TemplateVersion.number.desc())).scalars())


def get_visible_version(version_id: uuid.UUID, template_id: uuid.UUID | None = None) -> TemplateVersion:
    """A version the caller may read: published and visible, or a draft of their own tenant."""
    version = db.session.get(TemplateVersion, version_id)
    if version is None or (template_id is not None and version.template_id != template_id):
        raise NotFound(_l("No such template version."))
    template = get_visible_template(version.template_id)
    if version.status != VersionStatus.published and not owns(template):
        raise NotFound(_l("No such template version."))
    return version


def _owned_template(template_id: uuid.UUID) -> Template:
    template = db.session.get(Template, template_id)
    if template is None or not owns(template):
        raise NotFound(_l("No such template."))
    require_tenant_role(template.owner_tenant_id, TenantRole.officer)
    return template


def _new_version(template: Template, content: dict[str, Any], changelog: str, *, publish: bool,
                 from_procurement_id: uuid.UUID | None = None) -> TemplateVersion:
    principal = current_principal()
    number = (db.session.execute(select(func.max(TemplateVersion.number)).where(
        TemplateVersion.template_id == template.id)).scalar() or 0) + 1
    version = TemplateVersion(template_id=template.id, number=number, content=content,
                              content_hash=content_hash(content), changelog=(changelog or "").strip()[:5000],
                              status=VersionStatus.draft, created_at=utcnow(),
                              from_procurement_id=from_procurement_id,
                              created_by_id=principal.user.id if principal.user else None)
    db.session.add(version)
    db.session.flush()
    if publish:
        _publish(template, version)
    return version


def _publish(template: Template, version: TemplateVersion) -> None:
    version.status, version.published_at = VersionStatus.published, utcnow()
    content = version.content
    template.title, template.summary = content["title"], content.get("summary", "")
    template.domain = content.get("domain")
    template.search_text = search_text(content)
    template.latest_version_id, template.latest_version_number = version.id, version.number
    template.latest_published_at = version.published_at
    db.session.flush()
    audit.record("template.published", "template", template.id, tenant_id=template.owner_tenant_id,
                 changes={"after": {"version": version.number, "key": template.key,
                                    "content_hash": version.content_hash}})


def _clean_shares(visibility: Any, shared_with: list[str] | None) -> tuple[Visibility, list[Tenant]]:
    try:
        visibility = Visibility(visibility or Visibility.private)
    except ValueError:
        raise ValidationError(_l("Choose who can see the template."),
                              errors={"visibility": [_l("Choose private, shared or all.")]}) from None
    tenants: list[Tenant] = []
    if visibility == Visibility.shared:
        slugs = [s.strip() for s in shared_with or [] if s.strip()]
        tenants = list(db.session.execute(select(Tenant).where(Tenant.slug.in_(slugs))).scalars())
        if not slugs or len(tenants) != len(set(slugs)):
            raise ValidationError(_l("Name the municipalities to share with."),
                                  errors={"shared_with": [_l("Give existing municipality slugs.")]})
    return visibility, tenants


def _apply_shares(template: Template, tenants: list[Tenant]) -> None:
    current = {s.tenant_id: s for s in db.session.execute(
        select(TemplateShare).where(TemplateShare.template_id == template.id)).scalars()}
    wanted = {t.id for t in tenants if t.id != template.owner_tenant_id}
    for tenant_id, share in current.items():
        if tenant_id not in wanted:
            db.session.delete(share)
    for tenant_id in wanted - set(current):
        db.session.add(TemplateShare(template_id=template.id, tenant_id=tenant_id,
                                     owner_tenant_id=template.owner_tenant_id))


def create_template(tenant: Tenant, content: Any, *, visibility: str = "private", shared_with: list[str] | None = None,
                    publish: bool = True, changelog: str = "",
                    from_procurement_id: uuid.UUID | None = None) -> TemplateVersion:
    """A tenant template from validated content (an imported file, or a published procurement)."""
    principal = require_tenant_role(tenant.id, TenantRole.officer)
    content = validate_template(content)
    visibility, share_tenants = _clean_shares(visibility, shared_with)
    key = content["key"]
    if db.session.execute(select(Template.id).where(Template.source == TemplateSource.tenant,
                                                    Template.owner_key == str(tenant.id),
                                                    Template.key == key)).first():
        raise Conflict(_l("Your municipality already has a template with this key; publish a new version of it."),
                       errors={"key": [_l("Already in use.")]})
    template = Template(key=key, source=TemplateSource.tenant, owner_tenant_id=tenant.id, owner_key=str(tenant.id),
                        visibility=visibility, title=content["title"], summary=content.get("summary", ""),
                        domain=content.get("domain"), created_by_id=principal.user.id)
    db.session.add(template)
    db.session.flush()
    _apply_shares(template, share_tenants)
    audit.record("template.created", "template", template.id, tenant_id=tenant.id,
                 changes={"after": {"key": key, "visibility": visibility.value}})
    return _new_version(template, content, changelog, publish=publish, from_procurement_id=from_procurement_id)


def save_draft(template_id: uuid.UUID, content: Any, changelog: str = "", *,
               from_procurement_id: uuid.UUID | None = None) -> TemplateVersion:
    """Create or replace the template's draft version (published versions stay untouched)."""
    template = _owned_template(template_id)
    content = validate_template(content)
    if content["key"] != template.key:
        raise ValidationError(_l("The key of a template cannot change."),
                              errors={"content": {"key": [_l("Must stay the same.")]}})
    draft = db.session.execute(select(TemplateVersion).where(
        TemplateVersion.template_id == template.id, TemplateVersion.status == VersionStatus.draft)).scalar_one_or_none()
    if draft is None:
        return _new_version(template, content, changelog, publish=False, from_procurement_id=from_procurement_id)
    draft.content, draft.content_hash = content, content_hash(content)
    draft.changelog = (changelog or "").strip()[:5000]
    draft.from_procurement_id = from_procurement_id
    db.session.flush()
    audit.record("template.draft_saved", "template", template.id, tenant_id=template.owner_tenant_id,
                 changes={"after": {"version": draft.number, "content_hash": draft.content_hash}})
    return draft


def publish_draft(template_id: uuid.UUID) -> TemplateVersion:
    template = _owned_template(template_id)
    draft = db.session.execute(select(TemplateVersion).where(
        TemplateVersion.template_id == template.id, TemplateVersion.status == VersionStatus.draft)).scalar_one_or_none()
    if draft is None:
        raise Conflict(_l("There is no draft to publish."))
    _publish(template, draft)
    return draft


def update_published_version(version_id: uuid.UUID, content: Any) -> None:
    """Always refused: a published version is immutable (kept as an explicit rule for the API)."""
    version = get_visible_version(version_id)
    if version.status == VersionStatus.published:
        raise Conflict(_l("A published template version cannot be changed; save a new draft instead."))
    save_draft(version.template_id, content)


def set_visibility(template_id: uuid.UUID, visibility: str, shared_with: list[str] | None = None) -> Template:
    template = _owned_template(template_id)
    before = {"visibility": template.visibility.value}
    template.visibility, tenants = _clean_shares(visibility, shared_with)
    _apply_shares(template, tenants)
    db.session.flush()
    audit.record("template.visibility_changed", "template", template.id, tenant_id=template.owner_tenant_id,
                 changes={"before": before, "after": {"visibility": template.visibility.value,
                                                      "shared_with": sorted(t.slug for t in tenants)}})
    return template


def shares_of(template: Template) -> list[TemplateShare]:
    return list(db.session.execute(select(TemplateShare).where(TemplateShare.template_id == template.id)).scalars())


def tenant_templates(tenant: Tenant) -> list[Template]:
    """The tenant's own templates, drafts included."""
    require_tenant_role(tenant.id, TenantRole.member)
    return list(db.session.execute(select(Template).where(Template.owner_tenant_id == tenant.id)
                                   .order_by(Template.updated_at.desc(), Template.id)).scalars())


def export_version(version_id: uuid.UUID, template_id: uuid.UUID | None = None) -> tuple[str, str]:
    """(file name, JSON text) of a version the caller may read."""
    version = get_visible_version(version_id, template_id)
    return f"{version.template.key}-v{version.number}.json", dump_template(version.content)


def reuse_stats(template_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """{template_id: {"count": n, "tenants": [names]}} in one query."""
    stats: dict[uuid.UUID, dict[str, Any]] = {tid: {"count": 0, "tenants": []} for tid in template_ids}
    if not template_ids:
        return stats
    rows = db.session.connection().execute(_reuse_statement(db.engine.dialect.name),
                                          {"template_ids": list(template_ids)}).all()
    for template_id, name, count in rows:
        stats[template_id]["count"] += count
        stats[template_id]["tenants"].append(name)
    return stats


@cache
def _reuse_statement(dialect: str):
    """Built once per process and dialect (bind parameter `template_ids`, a list)."""
    return (select(TemplateUse.template_id, Tenant.name, func.count(TemplateUse.id))
            .join(Tenant, Tenant.id == TemplateUse.tenant_id)
            .where(one_of(TemplateUse.template_id, "template_ids", dialect))
            .group_by(TemplateUse.template_id, Tenant.name).order_by(Tenant.name))


def record_use(version: TemplateVersion, tenant_id: uuid.UUID, procurement_id: uuid.UUID) -> None:
    db.session.add(TemplateUse(template_id=version.template_id, version_id=version.id, tenant_id=tenant_id,
                               procurement_id=procurement_id, created_at=utcnow()))


def lineage(procurement) -> dict[str, Any] | None:
    """The template version a procurement started from, and what changed upstream since."""
    if procurement.template_version_id is None:
        return None
    version = db.session.get(TemplateVersion, procurement.template_version_id)
    if version is None:
        return None
    template = version.template
    latest = None
    if template.latest_version_id and template.latest_version_id != version.id and _visible_to_caller(template):
        latest = db.session.get(TemplateVersion, template.latest_version_id)
    changes = diff_content(version.content, latest.content) if latest else None
    return {"template": template, "version": version, "latest": latest,
            "changes": None if changes is None or is_empty(changes) else changes}


def _visible_to_caller(template: Template) -> bool:
    ids = caller_tenant_ids(current_principal())
    return bool(ids) and db.session.execute(
        select(Template.id).where(Template.id == template.id, visible_clause(ids))).first() is not None


class OriginTemplate(NamedTuple):
    """The template of `origin_of`: what the procurement pages print of it."""

    id: uuid.UUID
    title: str
    latest_version_id: uuid.UUID | None


class OriginVersion(NamedTuple):
    id: uuid.UUID
    number: int


# Built once, bound per call: the version's number and its template's title and latest version
# as plain columns (not the version's content, which the pages do not show).
_ORIGIN = (select(TemplateVersion.id, TemplateVersion.number, Template.id, Template.title,
                  Template.latest_version_id, Template.latest_version_number)
           .join(Template, Template.id == TemplateVersion.template_id)
           .where(TemplateVersion.id == bindparam("version_id")))


def origin_of(procurement) -> dict[str, Any] | None:
    """The template version a procurement started from, and whether a newer one exists (one
    statement, plain rows: `template` has id, title and latest_version_id, `version` id and number)."""
    if procurement.template_version_id is None:
        return None
    row = db.session.connection().execute(_ORIGIN, {"version_id": procurement.template_version_id}).first()
    if row is None:
        return None
    version_id, number, template_id, title, latest_version_id, latest_number = row
    return {"template": OriginTemplate(template_id, title, latest_version_id),
            "version": OriginVersion(version_id, number), "newer": latest_number > number}
