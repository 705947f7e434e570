"""The audit log appends an entry to its chain when the transaction commits (decision 114): a
rolled-back change, or a savepoint rolled back, leaves no entry; entries of one transaction are
chained in the order recorded, across chains; the chain head is not locked before the commit
(SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from core import audit, isolation
from core.audit import AuditChainHead, AuditEntry
from core.db import db


def entries(chain: str) -> list[tuple[int, str]]:
    return [(e.seq, e.action) for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)).scalars()]


def test_entries_are_chained_at_commit_in_the_order_recorded(app):
    t1, t2 = uuid.uuid4(), uuid.uuid4()
    with app.app_context(), isolation.system_scope():
        audit.record("a.one", "thing", 1, tenant_id=t1)
        audit.record("b.one", "thing", 2, tenant_id=t2)
        audit.record("a.two", "thing", 3, tenant_id=t1)
        db.session.flush()
        assert entries(f"tenant:{t1}") == []  # queued, not yet appended
        db.session.commit()
        assert entries(f"tenant:{t1}") == [(1, "a.one"), (2, "a.two")]
        assert entries(f"tenant:{t2}") == [(1, "b.one")]
        audit.record("a.three", "thing", 4, tenant_id=t1)
        db.session.commit()
        assert entries(f"tenant:{t1}")[-1] == (3, "a.three")
        checked, problem = audit.verify()
        assert problem is None and checked >= 4


def test_a_rolled_back_change_leaves_no_entry(app):
    tenant = uuid.uuid4()
    with app.app_context(), isolation.system_scope():
        audit.record("kept", "thing", tenant_id=tenant)
        db.session.commit()
        audit.record("dropped", "thing", tenant_id=tenant)
        db.session.rollback()
        audit.record("later", "thing", tenant_id=tenant)
        db.session.commit()
        assert entries(f"tenant:{tenant}") == [(1, "kept"), (2, "later")]
        head = db.session.get(AuditChainHead, f"tenant:{tenant}")
        assert head.seq == 2
        assert audit.verify()[1] is None


def test_a_savepoint_rolled_back_takes_its_entries_with_it(app):
    tenant = uuid.uuid4()
    with app.app_context(), isolation.system_scope():
        audit.record("before", "thing", tenant_id=tenant)
        with pytest.raises(RuntimeError), db.session.begin_nested():
            audit.record("inside, undone", "thing", tenant_id=tenant)
            raise RuntimeError
        with db.session.begin_nested():
            audit.record("inside, kept", "thing", tenant_id=tenant)
        audit.record("after", "thing", tenant_id=tenant)
        db.session.commit()
        assert entries(f"tenant:{tenant}") == [(1, "before"), (2, "inside, kept"), (3, "after")]
        assert audit.verify()[1] is None


@pytest.mark.postgres
def test_the_chain_head_is_free_until_the_commit(app):
    """Another writer may take the chain head while this transaction works; it waits only
    for the commit's last step."""
    if not app.config["SAMSPILL_OWNER_DATABASE_URL"].startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")
    tenant = uuid.uuid4()
    chain = f"tenant:{tenant}"
    with app.app_context(), isolation.system_scope():
        audit.record("first", "thing", tenant_id=tenant)
        db.session.commit()
        audit.record("second", "thing", tenant_id=tenant)
        db.session.flush()
        engine = create_engine(app.config["SAMSPILL_OWNER_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                locked = conn.execute(text("select seq from audit_chain_heads where chain = :c "
                                           "for update nowait"), {"c": chain}).scalar_one()
                assert locked == 1
                conn.rollback()
        except OperationalError as exc:  # pragma: no cover - the failure this test names
            raise AssertionError("the chain head was locked before the commit") from exc
        finally:
            engine.dispose()
        db.session.commit()
        assert entries(chain) == [(1, "first"), (2, "second")]
