"""The template library: templates, their immutable published versions, shares, reuse, lessons.

A template belongs to the platform (no owner), a plugin, or a tenant. Its versions are
numbered; a draft version can be edited, a published one never again (enforced here with an
ORM guard and in the database by a trigger). `TemplateUse` records every procurement started
from a version, so the arena can show how often and by whom a template was reused.
`Lesson` rows are lessons learned, readable by every tenant.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Computed, Enum, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db
from tenants.models import Tenant

FORMAT = "samspill.template/1"


def _enum(cls):
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


class TemplateSource(enum.StrEnum):
    platform = "platform"
    plugin = "plugin"
    tenant = "tenant"


class Visibility(enum.StrEnum):
    private = "private"  # the owner tenant only
    shared = "shared"    # the owner and the named tenants
    all = "all"          # every tenant


class VersionStatus(enum.StrEnum):
    draft = "draft"
    published = "published"


class Template(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "templates"
    __table_args__ = (
        UniqueConstraint("source", "owner_key", "key", name="uq_templates_source_owner_key"),
        Index("ix_templates_published", "latest_published_at", "id"),
        # The arena's look-alikes: other templates with the same key or title (core.library.search).
        Index("ix_templates_key", "key", "latest_published_at", "id"),
        Index("ix_templates_title_key", "title_key", "latest_published_at", "id"),
    )

    key: Mapped[str] = mapped_column(String(80), nullable=False)
    source: Mapped[TemplateSource] = mapped_column(_enum(TemplateSource), nullable=False)
    owner_tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"))
    # The tenant id, plugin name or "platform": makes `key` unique per publisher.
    owner_key: Mapped[str] = mapped_column(String(80), nullable=False)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility), default=Visibility.private, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    # The title in lower case, kept by the database: the arena's look-alikes by title are an
    # index lookup (a plain column comparison stays an index condition under row-level security).
    title_key: Mapped[str | None] = mapped_column(String(300), Computed("lower(title)", persisted=True))
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # The latest published version's words, lower case, for the arena search (core.library.search).
    search_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    domain: Mapped[str | None] = mapped_column(String(64))
    latest_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    latest_version_number: Mapped[int] = mapped_column(default=0, nullable=False)
    latest_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))

    owner_tenant: Mapped[Tenant | None] = relationship(lazy="joined")

    # `title_key` is never read back when a template is written: under row-level security an
    # INSERT ... RETURNING would have to pass the read policy on a row not yet visible.
    __mapper_args__ = {"eager_defaults": False}

    @property
    def publisher(self) -> str:
        """Who published it: the municipality, the plugin's domain, or Samspill itself."""
        if self.owner_tenant is not None:
            return self.owner_tenant.name
        return "Samspill" if self.source == TemplateSource.platform else self.owner_key


class TemplateVersion(IdMixin, db.Model):
    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_template_versions_template_number"),)

    template_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("templates.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(nullable=False)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus), nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    changelog: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # Where the content came from: a procurement published as template (lineage for the arena).
    from_procurement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))

    template: Mapped[Template] = relationship(lazy="joined", innerjoin=True)


class ImmutableVersion(RuntimeError):
    """Something tried to change a published template version."""


@event.listens_for(TemplateVersion, "before_update")
def _refuse_changes_to_published(mapper, connection, target: TemplateVersion) -> None:
    status = inspect(target).attrs.status.history
    was = (status.deleted or status.unchanged or [None])[0]
    if was == VersionStatus.published:
        raise ImmutableVersion("published template versions are immutable")


class TemplateShare(IdMixin, db.Model):
    """A tenant a `shared` template is shared with (the owner is copied for the RLS policy)."""

    __tablename__ = "template_shares"
    __table_args__ = (
        UniqueConstraint("template_id", "tenant_id", name="uq_template_shares_template_tenant"),
        # The shares of the transaction's tenants (the templates' read policy, migration 0029_shares).
        Index("ix_template_shares_tenant", "tenant_id", "template_id"),
    )

    template_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("templates.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    owner_tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"))

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True, foreign_keys=[tenant_id])


class TemplateUse(IdMixin, db.Model):
    """A procurement started from a template version (the arena's reuse count)."""

    __tablename__ = "template_uses"
    __table_args__ = (
        UniqueConstraint("procurement_id", name="uq_template_uses_procurement"),
        Index("ix_template_uses_template", "template_id", "tenant_id"),
    )

    template_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("templates.id", ondelete="CASCADE"), nullable=False)
    version_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("template_versions.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Lesson(IdMixin, TimestampMixin, db.Model):
    """A lesson learned on a procurement or a template; every tenant can read it."""

    __tablename__ = "lessons"
    __table_args__ = (
        Index("ix_lessons_created", "created_at", "id"),
        Index("ix_lessons_template", "template_id", "created_at"),
        Index("ix_lessons_procurement", "procurement_id", "created_at"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    procurement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("procurements.id", ondelete="CASCADE"))
    template_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("templates.id", ondelete="CASCADE"))
    # The title of the procurement or template when the lesson was written (shown to everyone).
    context_title: Mapped[str] = mapped_column(String(300), nullable=False)
    phase: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)
