"""`samspill audit verify` finds an edited, deleted or added audit row (SQLite and PostgreSQL).

The rows are tampered with directly in the database, as the table owner (on PostgreSQL the app
role itself may only INSERT and SELECT audit rows; see test_rls.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from core import audit
from core.audit import AuditEntry
from core.db import db


@pytest.fixture
def chain(app, make) -> str:
    """A tenant chain with three entries: tenant created, two memberships."""
    tenant = make.tenant("asker", "Asker kommune")
    make.user("one@asker.test", tenant=tenant, role="admin")
    make.user("two@asker.test", tenant=tenant, role="member")
    name = f"tenant:{tenant.id}"
    with app.app_context():
        seqs = db.session.execute(select(AuditEntry.seq).where(AuditEntry.chain == name)
                                  .order_by(AuditEntry.seq)).scalars().all()
    assert seqs == [1, 2, 3]
    return name


@pytest.fixture
def as_owner(app):
    engine = create_engine(app.config["SAMSPILL_OWNER_DATABASE_URL"])

    def run(sql: str, **params) -> int:
        with engine.begin() as conn:
            return conn.execute(text(sql), params).rowcount

    yield run
    engine.dispose()


def verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.stdout, result.stderr


def test_an_intact_log_verifies(runner, chain):
    code, out, err = verify(runner)
    assert code == 0, err
    assert out.startswith("Audit log intact:") and err == ""


def test_an_edited_row_is_found(runner, chain, as_owner):
    assert as_owner("update audit_entries set actor_label = 'someone else' where chain = :c and seq = 2", c=chain) == 1
    code, out, err = verify(runner)
    assert code == 1
    assert err.strip() == f"Audit chain broken: chain {chain}, entry 2: content was changed"


def test_an_edit_that_also_fixes_the_hash_breaks_the_next_link(app, runner, chain, as_owner):
    with app.app_context():
        entry = db.session.execute(
            select(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq == 2)).scalar_one()
        entry.actor_label = "someone else"
        forged = audit.entry_hash(entry)
        db.session.rollback()
    as_owner("update audit_entries set actor_label = 'someone else', hash = :h where chain = :c and seq = 2",
             h=forged, c=chain)
    code, _, err = verify(runner)
    assert code == 1 and f"chain {chain}, entry 3: chain link broken" in err


def test_a_deleted_middle_row_is_found(runner, chain, as_owner):
    assert as_owner("delete from audit_entries where chain = :c and seq = 2", c=chain) == 1
    code, _, err = verify(runner)
    assert code == 1 and f"chain {chain}, entry 2: missing entry" in err


def test_a_deleted_last_row_is_found(runner, chain, as_owner):
    assert as_owner("delete from audit_entries where chain = :c and seq = 3", c=chain) == 1
    code, _, err = verify(runner)
    assert code == 1 and f"chain {chain}, entry 3: missing entry (deleted from the end" in err


def test_a_tampered_chain_head_is_found(runner, chain, as_owner):
    as_owner("update audit_chain_heads set hash = :h where chain = :c", h="0" * 64, c=chain)
    code, _, err = verify(runner)
    assert code == 1 and f"chain {chain}, entry 3: the chain head does not match" in err


def test_the_first_bad_entry_is_reported(runner, chain, as_owner):
    as_owner("update audit_entries set action = 'forged' where chain = :c and seq = 3", c=chain)
    as_owner("update audit_entries set action = 'forged' where chain = :c and seq = 2", c=chain)
    code, _, err = verify(runner)
    assert code == 1 and "entry 2: content was changed" in err and err.count("\n") == 1
