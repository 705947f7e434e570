"""A tenant's choice about one installed plugin: enabled or not, and its settings; which plugins
a tenant enabled (read by the host once per request: for the person's own tenants in the
principal's statement, `PLUGIN_CHOICES_FACT`; for other tenants by `enabled_names`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Index, Select, String, UniqueConstraint, func, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from core import isolation
from core.auth import PrincipalFact
from core.db import IdMixin, TenantOwned, TimestampMixin, db
from core.identity.memberships import Membership


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


# Plugin names are entry-point names, which never hold a line break.
_NAME_SEPARATOR = "\n"


def _with_plugin_choices(stmt: Select, user_id) -> Select:
    """The plugins each membership's tenant enabled, as one string column per membership row."""
    # The separator as an ordinary bound parameter: `func.aggregate_strings` renders it into the
    # SQL on every execution (a literal-execute parameter), a cost on every request.
    aggregate = func.string_agg if db.engine.dialect.name == "postgresql" else func.group_concat
    names = (select(aggregate(TenantPlugin.plugin, literal(_NAME_SEPARATOR, String)))
             .where(TenantPlugin.tenant_id == Membership.tenant_id, TenantPlugin.enabled.is_(True))
             .scalar_subquery())
    return stmt.add_columns(names.label("enabled_plugins"))


def _plugin_choices_from(rows) -> dict[uuid.UUID, frozenset[str]]:
    return {row.tenant_id: frozenset(row.enabled_plugins.split(_NAME_SEPARATOR)) if row.enabled_plugins
            else frozenset() for row in rows if row.tenant_id is not None}


# `principal.extra["plugin_choices"]`: {tenant id: names of the plugins it enabled} for every
# tenant the person belongs to, read in the principal's own statement (so a page in the
# person's own tenant needs no statement of its own for them; still read on every request, so
# a plugin switched off is off on the next request).
PLUGIN_CHOICES_FACT = PrincipalFact("plugin_choices", _with_plugin_choices, _plugin_choices_from,
                                    per_membership=True)
