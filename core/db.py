"""Database base: the typed declarative base, id and time columns, and the tenant-owned mixin.

IDs are random UUIDs so URLs reveal nothing. Times are stored in UTC and always come back
timezone-aware, also on SQLite (which forgets the zone).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, MetaData, TypeDecorator, Uuid, bindparam, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware. Server time is authoritative."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and returned timezone-aware on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not accepted; use UTC-aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every model in core, tenants and plugins."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class IdMixin:
    """A random UUID primary key."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    """Creation and update times in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class TenantOwned:
    """Marks a row that belongs to exactly one tenant.

    Reads are filtered to the request's tenant scope and `tenant_id` is stamped at flush by
    `core.isolation`; PostgreSQL enforces the same with row-level security.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805
        return mapped_column(
            Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True
        )


def lock_for_write(model: type, column: str, value: object) -> None:
    """Hold the rows of `model` whose `column` equals `value` until the transaction ends, so
    concurrent writers of the same thing take turns and each reads what the previous one wrote.

    PostgreSQL: `SELECT … FOR NO KEY UPDATE` (inserts elsewhere that only reference the row by
    foreign key are not blocked). SQLite: a no-op UPDATE, which takes the database's write lock
    (the driver starts the transaction at the first write, so plain reads would not wait). Read
    the rows afterwards with `populate_existing` to see the latest committed values.
    """
    table = model.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(table.c.id).where(table.c[column] == value).with_for_update(key_share=True))
        return
    # A plain column, so SQLite has no key or foreign key to check for the no-op.
    plain = next(c.name for c in table.columns if not c.primary_key and not c.foreign_keys and not c.unique)
    statement = text(f'UPDATE "{table.name}" SET "{plain}" = "{plain}" WHERE "{column}" = :value')  # noqa: S608
    db.session.execute(statement.bindparams(bindparam("value", type_=table.c[column].type)), {"value": value})
