"""The welfare-technology requirement library as a tenant browses it, and its bookmarks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.plugin_api import (
    NotFound,
    audit,
    current_principal,
    current_tenant,
    db,
    lazy_gettext,
    require_permission,
    settings,
)
from plugins.welfare_tech import content
from plugins.welfare_tech.models import RequirementBookmark

NAME = "welfare_tech"
BOOKMARK = "welfare_tech.bookmark"
REQUIREMENTS_BY_REF = {r["ref"]: r for r in content.REQUIREMENTS}


@dataclass
class LibraryView:
    requirements: list[dict]
    categories: dict[str, str]
    category: str | None
    query: str
    bookmarked_only: bool
    bookmarks: set[str]
    show_standards: bool


def bookmarked_refs(tenant) -> set[str]:
    return set(db.session.execute(
        select(RequirementBookmark.requirement_ref).where(RequirementBookmark.tenant_id == tenant.id)
    ).scalars())


def browse(category: str | None = None, query: str = "", bookmarked_only: bool = False) -> LibraryView:
    """The library filtered by category, words and bookmarks (one query for the bookmarks)."""
    tenant = current_tenant()
    category = category if category in content.REQUIREMENT_CATEGORIES else None
    words = [w for w in (query or "").lower().split() if w]
    bookmarks = bookmarked_refs(tenant)
    items = []
    for item in content.REQUIREMENTS:
        haystack = f"{item['ref']} {item['title']} {item['text']} {' '.join(item['standards'])}".lower()
        if category and item["category"] != category:
            continue
        if words and not all(w in haystack for w in words):
            continue
        if bookmarked_only and item["ref"] not in bookmarks:
            continue
        items.append(item)
    return LibraryView(items, content.REQUIREMENT_CATEGORIES, category, query or "",
                       bookmarked_only, bookmarks, bool(settings(NAME).get("show_standards", True)))


def set_bookmark(ref: str, bookmarked: bool) -> bool:
    """Bookmark or un-bookmark a library requirement for the tenant (audited)."""
    tenant = current_tenant()
    require_permission(BOOKMARK, tenant)
    if ref not in REQUIREMENTS_BY_REF:
        raise NotFound(lazy_gettext("No such requirement in the library."))
    row = db.session.execute(select(RequirementBookmark).where(
        RequirementBookmark.tenant_id == tenant.id, RequirementBookmark.requirement_ref == ref)
    ).scalar_one_or_none()
    if bookmarked and row is None:
        row = RequirementBookmark(tenant_id=tenant.id, requirement_ref=ref,
                                  created_by_id=current_principal().user.id)
        db.session.add(row)
        db.session.flush()
        audit.record("welfare_tech.bookmark_added", "welfare_tech_bookmark", row.id,
                     tenant_id=tenant.id, changes={"after": {"requirement_ref": ref}})
    elif not bookmarked and row is not None:
        audit.record("welfare_tech.bookmark_removed", "welfare_tech_bookmark", row.id,
                     tenant_id=tenant.id, changes={"before": {"requirement_ref": ref}})
        db.session.delete(row)
        db.session.flush()
    return bookmarked
