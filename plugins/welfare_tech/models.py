"""The welfare-technology plugin's own table: a tenant's bookmarked library requirements.

It has its own Alembic branch (`welfare_tech`, in plugins/welfare_tech/migrations/versions),
applied by `samspill db upgrade` with the core's revisions.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.plugin_api import IdMixin, TenantOwned, TimestampMixin, db


class RequirementBookmark(IdMixin, TenantOwned, TimestampMixin, db.Model):
    """A library requirement the tenant wants to keep in mind for its specifications."""

    __tablename__ = "welfare_tech_bookmarks"
    __table_args__ = (UniqueConstraint("tenant_id", "requirement_ref",
                                       name="uq_welfare_tech_bookmarks_tenant_ref"),)

    requirement_ref: Mapped[str] = mapped_column(String(32), nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"))
