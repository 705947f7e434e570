"""Bulk writing for the benchmark data: batched Core inserts and a hash-chained audit writer.

`BulkWriter` buffers rows per table and sends them as one executemany `INSERT` per batch,
always parents before children (the metadata's dependency order), so foreign keys hold on
PostgreSQL and on SQLite. `AuditWriter` appends audit entries exactly as `core.audit.record`
does — the same chains, sequence numbers, previous-entry hashes and `core.audit.entry_hash` —
so `samspill audit verify` accepts the generated log.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from core import audit
from core.audit import AuditChainHead, AuditEntry
from core.db import db


class BulkWriter:
    """Buffers rows per table; writes them in batches, parents first."""

    def __init__(self, session: Session, batch_size: int = 2000):
        self.session = session
        self.batch_size = batch_size
        self.buffers: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self.written: dict[str, int] = defaultdict(int)
        self._order = {table: i for i, table in enumerate(db.metadata.sorted_tables)}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write every buffered row, parent tables before the tables that refer to them."""
        for table in sorted(self.buffers, key=lambda t: self._order.get(t, len(self._order))):
            rows = self.buffers[table]
            if rows:
                self.session.execute(insert(table), rows)
                self.written[table.name] += len(rows)
                rows.clear()

    def commit(self) -> None:
        self.flush()
        self.session.commit()


class AuditWriter:
    """Appends hash-chained audit entries through a `BulkWriter`, like `core.audit.record`."""

    def __init__(self, writer: BulkWriter):
        self.writer = writer
        self.table = AuditEntry.__table__
        # chain -> [last seq, last hash, time of the last entry, head row already stored?]
        self.heads: dict[str, list[Any]] = {}
        for head in writer.session.execute(select(AuditChainHead)).scalars():
            self.heads[head.chain] = [head.seq, head.hash, None, True]
        self.count = 0

    @staticmethod
    def chain_for(tenant_id: uuid.UUID | None, procurement_id: uuid.UUID | None) -> str:
        if procurement_id:
            return f"procurement:{procurement_id}"
        if tenant_id:
            return f"tenant:{tenant_id}"
        return "platform"

    def last_at(self, tenant_id: uuid.UUID | None = None,
                procurement_id: uuid.UUID | None = None) -> datetime | None:
        head = self.heads.get(self.chain_for(tenant_id, procurement_id))
        return head[2] if head else None

    def record(self, action: str, obj_type: str, obj_id: Any, *, at: datetime,
               actor: tuple[uuid.UUID | None, str], tenant_id: uuid.UUID | None = None,
               procurement_id: uuid.UUID | None = None, changes: dict[str, Any] | None = None,
               entry_id: uuid.UUID | None = None) -> None:
        """One entry; `at` is moved just past the chain's last entry when it would go back."""
        chain = self.chain_for(tenant_id, procurement_id)
        head = self.heads.setdefault(chain, [0, audit.GENESIS, None, False])
        if head[2] is not None and at <= head[2]:
            at = head[2] + timedelta(seconds=1)
        entry = SimpleNamespace(
            id=entry_id or uuid.uuid4(), chain=chain, seq=head[0] + 1, at=at,
            actor_id=actor[0], actor_label=actor[1], tenant_id=tenant_id,
            procurement_id=procurement_id, action=action, object_type=obj_type,
            object_id=str(obj_id) if obj_id is not None else None,
            changes=audit.canonical(changes or {}), prev_hash=head[1],
        )
        entry.hash = audit.entry_hash(entry)
        head[0], head[1], head[2] = entry.seq, entry.hash, at
        self.writer.add(self.table, vars(entry))
        self.count += 1

    def finish(self) -> None:
        """Store every chain's head (last sequence number and hash)."""
        self.writer.flush()
        heads_table = AuditChainHead.__table__
        new = [{"chain": c, "seq": h[0], "hash": h[1]} for c, h in self.heads.items() if not h[3]]
        for chain, head in self.heads.items():
            if head[3]:
                self.writer.session.execute(
                    update(heads_table).where(heads_table.c.chain == chain)
                    .values(seq=head[0], hash=head[1]))
        for start in range(0, len(new), self.writer.batch_size):
            self.writer.session.execute(insert(heads_table), new[start:start + self.writer.batch_size])
        for head in self.heads.values():
            head[3] = True
