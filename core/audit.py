"""The append-only, hash-chained audit log.

Services call `record(...)` for every change, in the same transaction as the change itself.
`record` only queues the entry on the session; the transaction appends its queued entries to
their chains as the first step of its commit, after the domain changes are flushed, so a chain
head is locked only from there to the commit (decision 114). An entry recorded inside a
savepoint that rolls back, or in a transaction that rolls back, is never appended; a commit
refused later (a deadline, a constraint) writes none. On PostgreSQL the commit's last entry
also carries the reads offered for the commit's last statement (`core.commit_checks`: the
commit-time deadlines), once the chain head is held.
Entries form chains (one per tenant, one per procurement, one for the platform); each entry
carries the hash of the one before, and a chain head row holds the last sequence number and
hash, so an edited, inserted or deleted row is detected by `verify()`
(`samspill audit verify`). On PostgreSQL the app role may only INSERT into these tables.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_app_context
from sqlalchemy import JSON, Index, String, Uuid, bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from core import commit_checks
from core.db import IdMixin, UTCDateTime, db, utcnow
from core.pagination import keyset_page

GENESIS = "0" * 64


class AuditEntry(IdMixin, db.Model):
    """One recorded change: who, when (UTC), where, what, and before/after."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("uq_audit_entries_chain_seq", "chain", "seq", unique=True),
        Index("ix_audit_entries_procurement_seq", "procurement_id", "seq"),
        Index("ix_audit_entries_tenant_at", "tenant_id", "at"),
    )

    chain: Mapped[str] = mapped_column(String(80), nullable=False)
    seq: Mapped[int] = mapped_column(nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(254), nullable=False)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    procurement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    object_type: Mapped[str] = mapped_column(String(80), nullable=False)
    object_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditChainHead(db.Model):
    """The last sequence number and hash of each chain; locked while appending."""

    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def canonical(value: Any) -> Any:
    """JSON-safe, stable form of a value (UUIDs and times as strings)."""
    return json.loads(json.dumps(value, default=_json_default, sort_keys=True))


def entry_hash(entry: AuditEntry) -> str:
    payload = {
        "chain": entry.chain,
        "seq": entry.seq,
        "prev": entry.prev_hash,
        "at": entry.at.isoformat(),
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "actor": entry.actor_label,
        "tenant_id": str(entry.tenant_id) if entry.tenant_id else None,
        "procurement_id": str(entry.procurement_id) if entry.procurement_id else None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
    }
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def current_actor() -> tuple[uuid.UUID | None, str]:
    """The person behind the current request, or the command line."""
    if has_app_context():
        principal = g.get("principal")
        if principal is not None and principal.user is not None:
            return principal.user.id, principal.user.email
        label = g.get("audit_actor_label")
        if label:
            return None, label
    return None, "system"


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as {"before": {...}, "after": {...}}."""
    before_c, after_c = canonical(before), canonical(after)
    keys = sorted(set(before_c) | set(after_c))
    changed = [k for k in keys if before_c.get(k) != after_c.get(k)]
    return {
        "before": {k: before_c.get(k) for k in changed},
        "after": {k: after_c.get(k) for k in changed},
    }


@dataclass(frozen=True)
class _Statements:
    """The chain append's statements, built once (bind parameters only): reserve sequence
    numbers on a head, move a head to its last entry, insert an entry, and on PostgreSQL insert
    an entry and move its head in one statement."""

    reserve: Any
    move_head: Any
    insert_entry: Any
    insert_moving_head: Any


_statements: _Statements | None = None


def _append_statements() -> _Statements:
    global _statements
    if _statements is None:
        heads, table = AuditChainHead.__table__, AuditEntry.__table__
        this_head = heads.c.chain == bindparam("head_chain")
        move_head = update(heads).where(this_head).values(hash=bindparam("head_hash"))
        # Its own parameter names: a column's key among the parameters would become a SET
        # of the head's UPDATE in the CTE too.
        one_entry = insert(table).values({column.key: bindparam(f"entry_{column.key}", type_=column.type)
                                          for column in table.columns})
        _statements = _Statements(
            reserve=(update(heads).where(this_head).values(seq=heads.c.seq + bindparam("head_count"))
                     .returning(heads.c.seq, heads.c.hash)),
            move_head=move_head, insert_entry=insert(table),
            insert_moving_head=one_entry.add_cte(move_head.cte("moved_head")))
    return _statements


# The append's last statement with the commit checks' columns in its RETURNING, kept per tuple of
# column objects (the same objects each commit when the checks keep theirs, `core.deadlines`):
# built, its cache key computed and its isolation check made once per shape, not per commit. An
# entry holds its columns, so their ids are not reused while it is kept; bounded (emptied when
# full) for checks that make new columns each time.
_MAX_RETURNING = 32
_returning_statements: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}


def _returning(statement, columns) -> Any:
    """`statement.returning(*columns)`, the same object for the same column objects."""
    columns = (statement, *columns)  # the statement too: a key names live objects only
    key = tuple(map(id, columns))
    known = _returning_statements.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], columns, strict=True)):
        return known[1]
    if len(_returning_statements) >= _MAX_RETURNING:
        _returning_statements.clear()
    built = statement.returning(*columns[1:])
    _returning_statements[key] = (columns, built)
    return built


def _take_head(session: Session, chain: str, count: int) -> tuple[int, str]:
    """Lock the chain head and reserve `count` sequence numbers on it, in one statement (an
    UPDATE takes the row lock, as `SELECT ... FOR UPDATE` did, and waits for the writer before);
    returns the last sequence number and hash before them. A new chain gets its head first."""
    reserve = _append_statements().reserve
    params = {"head_chain": chain, "head_count": count}
    row = session.execute(reserve, params).one_or_none()
    if row is None:
        try:
            with session.begin_nested():
                session.execute(insert(AuditChainHead.__table__).values(chain=chain, seq=0, hash=GENESIS))
        except IntegrityError:  # another writer created it first; take theirs
            pass
        row = session.execute(reserve, params).one()
    return row.seq - count, row.hash


def _append(session: Session, chain: str, entries: list[AuditEntry], *, last: bool = False) -> None:
    """Number and hash the entries after the chain's head, insert them and move the head to
    the last: on PostgreSQL a single entry and the head's move are one statement, and when it is
    the commit's `last` statement it also makes the reads offered for it (`core.commit_checks`:
    the commit-time deadlines), with the head already held."""
    seq, prev = _take_head(session, chain, len(entries))
    for entry in entries:
        entry.seq, entry.prev_hash = seq + 1, prev
        entry.hash = entry_hash(entry)
        seq, prev = entry.seq, entry.hash
    columns = AuditEntry.__table__.columns
    rows = [{column.key: getattr(entry, column.key) for column in columns} for entry in entries]
    statements, head = _append_statements(), {"head_chain": chain, "head_hash": prev}
    if len(rows) == 1 and session.get_bind().dialect.name == "postgresql":
        params = {**{f"entry_{k}": v for k, v in rows[0].items()}, **head}
        check = commit_checks.take(session) if last else None
        if check is None:
            session.execute(statements.insert_moving_head, params)
        else:  # the RETURNING names no column of audit_entries: INSERT rights suffice
            if params.keys() & check.params.keys():
                raise ValueError("a commit check's parameter has the name of an audit entry's")
            check.judge(session.execute(_returning(statements.insert_moving_head, check.columns),
                                        {**params, **check.params}).one())
    else:
        session.execute(statements.move_head, head)
        session.execute(statements.insert_entry, rows)


_PENDING = "samspill.audit_pending"


def _chain_of(procurement_id: uuid.UUID | None, tenant_id: uuid.UUID | None) -> str:
    if procurement_id:
        return f"procurement:{procurement_id}"
    if tenant_id:
        return f"tenant:{tenant_id}"
    return "platform"


def record(
    action: str,
    obj_type: str,
    obj_id: Any = None,
    *,
    tenant_id: uuid.UUID | None = None,
    procurement_id: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record an entry for the procurement's chain, else the tenant's, else the platform's.

    The change being recorded is flushed now, in the caller's scope. The entry is appended
    (sequence number, previous hash, hash) when the transaction commits; until then it is
    queued on the session and not visible to queries."""
    actor_id, actor_label = current_actor()
    entry = AuditEntry(
        id=uuid.uuid4(),
        chain=_chain_of(procurement_id, tenant_id),
        at=utcnow(),
        actor_id=actor_id,
        actor_label=actor_label,
        tenant_id=tenant_id,
        procurement_id=procurement_id,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id) if obj_id is not None else None,
        changes=canonical(changes or {}),
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # the entry belongs to this transaction: its rollback drops it
    # The change it records is written now, in the caller's isolation scope (a service may record
    # inside `system_scope()` a change the request's own scope could not write at commit).
    session.flush()
    session.info.setdefault(_PENDING, []).append((entry, _innermost(session)))
    return entry


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def append_pending(session: Session) -> int:
    """Append the entries queued in this transaction to their chains (each chain head locked
    once, chains in name order so two writers never wait on each other crosswise)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return 0
    session.flush()  # the domain changes first: their lock waits come before the head's
    by_chain: dict[str, list[AuditEntry]] = {}
    for entry, _transaction in pending:
        by_chain.setdefault(entry.chain, []).append(entry)
    chains = sorted(by_chain)
    for chain in chains:
        _append(session, chain, by_chain[chain], last=chain == chains[-1])
    return len(pending)


@event.listens_for(Session, "before_commit", insert=True)  # before the deadline check (core.deadlines)
def _append_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its entries belong to the enclosing transaction
    append_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(e, t) for e, t in pending if not _within(t, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


@dataclass
class VerifyProblem:
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"chain {self.chain}, entry {self.seq}: {self.reason}"


def verify(batch_size: int = 5000) -> tuple[int, VerifyProblem | None]:
    """Walk every chain in order; return (entries checked, first problem or None)."""
    heads = {h.chain: h for h in db.session.execute(select(AuditChainHead)).scalars()}
    checked = 0
    chains = sorted(set(heads) | set(db.session.execute(select(AuditEntry.chain).distinct()).scalars()))
    for chain in chains:
        expected_seq, expected_prev = 1, GENESIS
        last_seq = 0
        while True:
            rows = db.session.execute(
                select(AuditEntry)
                .where(AuditEntry.chain == chain, AuditEntry.seq > last_seq)
                .order_by(AuditEntry.seq)
                .limit(batch_size)
            ).scalars().all()
            if not rows:
                break
            for entry in rows:
                checked += 1
                if entry.seq != expected_seq:
                    return checked, VerifyProblem(chain, expected_seq, "missing entry")
                if entry.prev_hash != expected_prev:
                    return checked, VerifyProblem(chain, entry.seq, "chain link broken")
                if entry_hash(entry) != entry.hash:
                    return checked, VerifyProblem(chain, entry.seq, "content was changed")
                expected_seq, expected_prev = entry.seq + 1, entry.hash
                last_seq = entry.seq
            db.session.expunge_all()
        problem = _check_head(chain, heads.get(chain), expected_seq - 1, expected_prev)
        if problem:
            return checked, problem
    return checked, None


def _check_head(chain: str, head: AuditChainHead | None, last_seq: int, last_hash: str) -> VerifyProblem | None:
    """The chain head must name the last entry found; otherwise entries were cut or added."""
    if head is None:
        return VerifyProblem(chain, 1, "the chain head is missing")
    if head.seq > last_seq:
        return VerifyProblem(chain, last_seq + 1, "missing entry (deleted from the end of the chain)")
    if head.seq < last_seq:
        return VerifyProblem(chain, head.seq + 1, "entry beyond the chain head (added afterwards)")
    if head.hash != last_hash:
        return VerifyProblem(chain, last_seq, "the chain head does not match the last entry")
    return None


def tenant_audit_page(tenant_id: uuid.UUID, cursor: str | None, limit: int = 50):
    """The newest audit entries about one tenant (its own chain and its procurements)."""

    stmt = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    return keyset_page(stmt, [(AuditEntry.at, True), (AuditEntry.id, True)], limit=limit, cursor=cursor)
