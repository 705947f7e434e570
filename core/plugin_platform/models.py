"""A tenant's choice about one installed plugin: enabled or not, and its settings; which plugins
a tenant enabled (read by the host once per request)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from core import isolation
from core.db import IdMixin, TenantOwned, TimestampMixin, db


class TenantPlugin(IdMixin, TenantOwned, TimestampMixin, db.Model):
    """Installed is the operator's choice; this row is the tenant's (enabled, settings)."""

    __tablename__ = "tenant_plugins"
    __table_args__ = (
        UniqueConstraint("tenant_id", "plugin", name="uq_tenant_plugins_tenant_plugin"),
        Index("ix_tenant_plugins_plugin_enabled", "plugin", "enabled"),
    )

    plugin: Mapped[str] = mapped_column(String(100), nullable=False)
    enabled: Mapped[bool] = mapped_column(default=False, nullable=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    version: Mapped[int] = mapped_column(default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}


def enabled_names(tenant_id: uuid.UUID) -> list[str]:
    """Names of plugins `tenant_id` enabled (active or not)."""
    stmt = select(TenantPlugin.plugin).where(TenantPlugin.tenant_id == tenant_id,
                                             TenantPlugin.enabled.is_(True))
    scope = isolation.current_scope()
    if scope == isolation.SYSTEM or tenant_id in scope:
        return list(db.session.execute(stmt).scalars())
    # The lead tenant's choice governs a joint procurement, so participants read which
    # plugins the lead enabled. Only plugin names are read: configuration, not content.
    with isolation.system_scope():
        return list(db.session.execute(stmt).scalars())
