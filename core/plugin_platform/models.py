"""A tenant's choice about one installed plugin: enabled or not, and its settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

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
