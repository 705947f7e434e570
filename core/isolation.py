"""Tenant isolation, enforced in one place.

Every request runs in a *tenant scope*: the set of tenant ids whose rows it may read and
write. Outside a request (command line, migrations) the scope is the whole system.

1. ORM reads: a `do_orm_execute` listener adds `with_loader_criteria` for every model that
   mixes in `TenantOwned` — also on relationship loads, `any()`/`has()` and ORM
   UPDATE/DELETE. What it cannot filter is refused inside a tenant scope: Core statements
   and raw SQL naming tenant-owned tables, and bulk INSERTs of rows outside the scope.
2. ORM writes: `tenant_id` is stamped at flush from the current tenant; a row can never be
   written into, or moved to, a tenant outside the scope.
3. PostgreSQL: the scope is copied into the transaction with
   `set_config(..., is_local => true)`; row-level security policies (see migrations) check it,
   so even raw SQL that forgets a filter sees no other tenant's rows.
"""

from __future__ import annotations

import re
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import g
from flask.globals import _cv_app as _app_context
from sqlalchemy import Table, Text, TextClause, case, cast, event, func, inspect, literal, text
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import ExecuteStyle
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from core.db import TenantOwned, db

try:  # the PostgreSQL driver is an optional dependency (SQLite needs none)
    import psycopg
    from psycopg import pq as psycopg_pq
except ImportError:  # pragma: no cover - installs without the `postgres` extra
    psycopg = psycopg_pq = None


class IsolationViolation(RuntimeError):
    """A write tried to touch a row of a tenant outside the current scope."""


SYSTEM = "system"


def _app_globals() -> dict | None:
    """The app context's `g` as its dict, or None outside one: read from Flask's context
    variable (what `has_app_context` and `g` read), without a proxy look-up per name; the
    scope is read for every statement and every ORM execution."""
    context = _app_context.get(None)
    return context.g.__dict__ if context is not None else None


def _get_scope():
    names = _app_globals()
    return SYSTEM if names is None else names.get("tenant_scope", SYSTEM)


def current_scope() -> str | frozenset[uuid.UUID]:
    """SYSTEM, or the frozenset of tenant ids the current request may touch."""
    return _get_scope()


def current_tenant_id() -> uuid.UUID | None:
    """The tenant that new tenant-owned rows are stamped with."""
    names = _app_globals()
    return None if names is None else names.get("stamp_tenant_id")


def set_scope(tenant_ids: Iterable[uuid.UUID], stamp_tenant_id: uuid.UUID | None = None) -> None:
    """Restrict this request to `tenant_ids` (an empty set sees no tenant-owned rows)."""
    g.tenant_scope = frozenset(tenant_ids)
    g.stamp_tenant_id = stamp_tenant_id


def begin_request_scope() -> None:
    """A new request starts seeing nothing until its principal is resolved."""
    g.tenant_scope = frozenset()
    g.stamp_tenant_id = None
    g.supplier_id = None


def set_supplier(supplier_id: uuid.UUID | None) -> None:
    """Mark the request as acting for a supplier organisation (RLS: `samspill.supplier_id`)."""
    g.supplier_id = supplier_id


def current_supplier_id() -> uuid.UUID | None:
    """The supplier organisation the request acts for, if any."""
    names = _app_globals()
    return None if names is None else names.get("supplier_id")


@contextmanager
def system_scope(stamp_tenant_id: uuid.UUID | None = None) -> Iterator[None]:
    """Temporarily lift the filter, for a service that must read across tenants on purpose."""
    own = g._get_current_object()  # one look-up (and Flask's error outside an app context)
    previous = (own.get("tenant_scope", SYSTEM), own.get("stamp_tenant_id"))
    own.tenant_scope = SYSTEM
    own.stamp_tenant_id = stamp_tenant_id if stamp_tenant_id else previous[1]
    try:
        yield
    finally:
        own.tenant_scope, own.stamp_tenant_id = previous


@contextmanager
def tenant_scope(tenant_id: uuid.UUID) -> Iterator[None]:
    """Temporarily act inside one tenant (used by the command line and the demo seed)."""
    previous = (g.get("tenant_scope", SYSTEM), g.get("stamp_tenant_id"))
    set_scope({tenant_id}, tenant_id)
    try:
        yield
    finally:
        g.tenant_scope, g.stamp_tenant_id = previous


# --- PostgreSQL: copy the scope into the transaction -------------------------------------

def _scope_settings() -> tuple[str, str]:
    scope = _get_scope()
    if scope == SYSTEM:
        return "system", ""
    settings = _settings_of_scope.get(scope)
    if settings is None:  # kept per scope (by its tenant ids): every statement asks
        if len(_settings_of_scope) >= _MAX_SCOPES:
            _settings_of_scope.clear()
        settings = _settings_of_scope[scope] = ("tenant", ",".join(sorted(str(t) for t in scope)))
    return settings


_settings_of_scope: dict[frozenset[uuid.UUID], tuple[str, str]] = {}


# Sent lazily: just before a statement of a Session's transaction runs, and only when the
# scope differs from what that transaction already has. A request changes scope several times
# while resolving its principal but queries in few of those scopes, so this saves round trips.
# Each transaction starts with nothing applied; a rolled-back savepoint forgets what it sent.
# Connections used outside a Session (raw engines, migrations) are left alone, as before.

_APPLIED = "samspill.applied_scope"  # key in the DBAPI connection's info: what this transaction has
_PENDING = ("",)  # a Session's transaction with nothing applied yet
# Savepoint statements need no settings, and ROLLBACK TO SAVEPOINT would undo any sent with it.
_TRANSACTION_CONTROL = ("savepoint", "rollback to savepoint", "release savepoint")
_EXECUTE = ExecuteStyle.EXECUTE
NARROWED_TO = "samspill_narrowed_to"  # the label of a `narrowing_column`
_SETTINGS = text(
    "select set_config('samspill.scope', :mode, true),"
    " set_config('samspill.tenant_ids', :ids, true),"
    " set_config('samspill.supplier_id', :supplier, true)"
)


def _wanted_settings() -> tuple[str, str, str]:
    mode, ids = _scope_settings()
    supplier = current_supplier_id()
    return mode, ids, str(supplier) if supplier else ""


_COMPILED: dict[type, tuple[str, tuple[str, ...] | None]] = {}
_LITERAL = re.compile(r"[0-9a-z,-]*\Z")  # what a mode, tenant id list or supplier id is made of


def _compiled_settings(dialect) -> tuple[str, tuple[str, ...] | None]:
    """The settings statement's SQL for the dialect (compiled once) and, for positional
    paramstyles, the order of its parameters."""
    found = _COMPILED.get(type(dialect))
    if found is None:
        compiled = _SETTINGS.compile(dialect=dialect)
        found = _COMPILED[type(dialect)] = (compiled.string,
                                            tuple(compiled.positiontup) if dialect.positional else None)
    return found


def _begin_with_settings(dbapi_connection, wanted: tuple[str, str, str]) -> bool:
    """On psycopg, when no transaction is open yet: start it and apply the settings in one round
    trip (a simple-protocol `BEGIN; SELECT set_config(...)`), instead of psycopg's own `BEGIN`
    followed by the settings. False when that does not apply (the caller sends them alone)."""
    pgconn = getattr(dbapi_connection, "pgconn", None)
    start = getattr(dbapi_connection, "_get_tx_start_command", None)
    if (psycopg is None or pgconn is None or start is None or dbapi_connection.autocommit
            or getattr(dbapi_connection, "_pipeline", None) is not None
            or pgconn.transaction_status != psycopg_pq.TransactionStatus.IDLE
            or not all(_LITERAL.match(value) for value in wanted)):
        return False
    mode, ids, supplier = wanted  # checked above: nothing in them needs quoting
    sql = (f"{start().decode()}; select set_config('samspill.scope', '{mode}', true),"
           f" set_config('samspill.tenant_ids', '{ids}', true),"
           f" set_config('samspill.supplier_id', '{supplier}', true)")
    result = pgconn.exec_(sql.encode())
    if result.status != psycopg_pq.ExecStatus.TUPLES_OK:
        message = (result.error_message or b"").decode(errors="replace") or "could not start the transaction"
        raise psycopg.OperationalError(message)
    return True


@event.listens_for(Engine, "begin")
def _forget_on_begin(connection) -> None:
    connection.info.pop(_APPLIED, None)


@event.listens_for(Session, "after_begin")
def _on_begin(session, transaction, connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.info[_APPLIED] = _PENDING


@event.listens_for(Engine, "rollback_savepoint")
def _forget_on_savepoint_rollback(connection, name, context) -> None:
    if _APPLIED in connection.info:
        connection.info[_APPLIED] = _PENDING


@event.listens_for(Engine, "before_cursor_execute")
def _send_settings_before_statement(connection, cursor, statement, parameters, context, executemany) -> None:
    applied = connection.info.get(_APPLIED)
    if applied is None or statement[:22].lower().startswith(_TRANSACTION_CONTROL):
        return
    wanted = _wanted_settings()
    if applied == wanted:
        return
    dbapi_connection = connection.connection.dbapi_connection
    if _can_pipeline(dbapi_connection, context, executemany):
        context.samspill_settings = wanted  # sent by `_execute_with_settings`, with the statement
    elif not _begin_with_settings(dbapi_connection, wanted):
        sql, params = _settings_statement(connection.dialect, wanted)
        with dbapi_connection.cursor() as own_cursor:  # never the statement's own
            own_cursor.execute(sql, params)
    connection.info[_APPLIED] = wanted
    names = _app_globals()
    if names is not None:
        names["samspill_settings_sent"] = names.get("samspill_settings_sent", 0) + 1


def _settings_statement(dialect, wanted: tuple[str, str, str]):
    """The settings statement's SQL and parameters for `wanted` (mode, tenant ids, supplier)."""
    sql, names = _compiled_settings(dialect)
    values = dict(zip(("mode", "ids", "supplier"), wanted, strict=True))
    return sql, tuple(values[name] for name in names) if names else values


# psycopg: the settings ride with the statement they are needed for, in one round trip. The
# statement's own `do_execute` sends, in libpq's pipeline mode, psycopg's `BEGIN` when no
# transaction is open, the settings, then the statement, and waits once (one Sync) for all
# three. The settings are still executed before the statement, in the same transaction, and
# an error in any of them fails the statement as before (a failed pipeline runs nothing after
# the failure).
# (The settings to send are left on the statement's execution context, `samspill_settings`.)


_PIPELINE = psycopg is not None and psycopg.Pipeline.is_supported()  # libpq 14 or later


def _can_pipeline(dbapi_connection, context, executemany: bool) -> bool:
    pgconn = getattr(dbapi_connection, "pgconn", None)
    return (_PIPELINE and pgconn is not None and not executemany and context is not None
            and getattr(dbapi_connection, "_autocommit", None) is False
            and callable(getattr(dbapi_connection, "_get_tx_start_command", None))
            and getattr(context, "execute_style", None) is _EXECUTE
            and not dbapi_connection.autocommit and getattr(dbapi_connection, "_pipeline", None) is None
            and pgconn.transaction_status in (psycopg_pq.TransactionStatus.IDLE,
                                              psycopg_pq.TransactionStatus.INTRANS))


@event.listens_for(Engine, "do_execute")
def _execute_with_settings(cursor, statement, parameters, context) -> bool:
    """do_execute: send the settings `_send_settings_before_statement` left for this statement
    and the statement in one pipeline (see above); False when there are none (a plain execute)."""
    wanted = getattr(context, "samspill_settings", None)
    if wanted is None:
        return False
    context.samspill_settings = None
    dbapi_connection = cursor.connection
    sql, params = _settings_statement(context.dialect, wanted)
    begin = dbapi_connection.pgconn.transaction_status == psycopg_pq.TransactionStatus.IDLE
    own_cursor = dbapi_connection.cursor()  # never the statement's own
    try:
        if begin:  # psycopg would send its own BEGIN and wait for it (a Sync of its own)
            dbapi_connection._autocommit = True  # noqa: SLF001 - for the pipeline's length only
        with dbapi_connection.pipeline():
            if begin:
                own_cursor.execute(dbapi_connection._get_tx_start_command())  # noqa: SLF001 - psycopg's BEGIN
            own_cursor.execute(sql, params)
            if parameters is None:
                cursor.execute(statement)
            else:
                cursor.execute(statement, parameters)
    finally:
        if begin:
            dbapi_connection._autocommit = False  # noqa: SLF001
        own_cursor.close()
    return True


@event.listens_for(Engine, "do_execute_no_params")
def _execute_no_params_with_settings(cursor, statement, context) -> bool:
    return _execute_with_settings(cursor, statement, None, context)


@event.listens_for(Engine, "after_cursor_execute")
def _forget_unsent(connection, cursor, statement, parameters, context, executemany) -> None:
    """after_cursor_execute: settings left for a statement that did not send them are not in
    the transaction: refuse (never expected; the statement ran on a failed pipeline's terms)."""
    if context is not None and getattr(context, "samspill_settings", None) is not None:
        raise IsolationViolation("the scope settings were not sent with the statement")


def narrowing_column(tenant_id, member):
    """PostgreSQL: a column for a statement that reads, in system scope, the memberships that the
    request's scope is then narrowed to (the principal's statement). On the statement's last row
    it sets the transaction's scope to the tenants of the rows where `member` holds
    (`samspill.scope = 'tenant'`, `samspill.tenant_ids`) and returns those ids (NULL on the
    other rows); pass the last row's value to `narrowed_to` so the next statement sends no
    settings of its own.

    Nothing of the statement is read under the narrowed scope, whatever plan the database
    chooses: window aggregates over all rows (`OVER ()`) are computed only once the scans and
    joins have produced every row, and the rows are then emitted in window order, each row's
    columns (such as a fact's correlated subquery) evaluated in order, so the setting is made
    after the last row's other columns. The column must therefore be the statement's last
    computed column, and the statement must have no ORDER BY, DISTINCT or LIMIT (a sort would
    move the evaluation of volatile and costly columns after it)."""
    ids = func.coalesce(func.string_agg(case((member, cast(tenant_id, Text))), literal(",", Text)).over(),
                        literal("", Text))
    narrowed_mode = func.left(func.set_config("samspill.scope", "tenant", True), 0)
    narrowing = func.set_config("samspill.tenant_ids", ids.op("||")(narrowed_mode), True)
    last_row = func.row_number().over() == func.count().over()
    return case((last_row, narrowing)).label(NARROWED_TO)


def narrowed_to(connection, tenant_ids: str | None) -> None:
    """Record that the transaction of `connection` now has the tenant scope `tenant_ids` (the
    last row's value of a `narrowing_column`)."""
    applied = connection.info.get(_APPLIED)
    if tenant_ids is None or applied is None or len(applied) != 3:
        return  # nothing known: the next statement sends the settings it needs
    ids = ",".join(sorted(tenant_ids.split(","))) if tenant_ids else ""
    connection.info[_APPLIED] = ("tenant", ids, applied[2])


# --- ORM reads ---------------------------------------------------------------------------

@event.listens_for(Session, "do_orm_execute")
def _filter_tenant_rows(state: ORMExecuteState) -> None:
    scope = _get_scope()
    if scope == SYSTEM or state.execution_options.get("include_all_tenants"):
        return
    if not state.is_orm_statement:
        _refuse_raw_statement(state.statement)
        return
    if state.is_insert:
        _check_bulk_insert(state, scope)
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = _filtered(state.statement, scope)


# The filter of a scope is one option object, kept per scope; the filtered statement is kept per
# (statement object, scope) while the statement lives, so a statement a hot path keeps (built
# once) is filtered once per scope and its cache key (memoized by SQLAlchemy on the filtered
# statement) is computed once, not on every execution. The scope is part of both keys: a
# statement filtered for one scope is never handed to a request in another (the bound values of
# the filter are those of the option the statement carries). Both are bounded: when full, they
# are emptied and filled again.
_MAX_SCOPES = 1024  # scopes whose filter is kept
_MAX_SCOPES_PER_STATEMENT = 16
_criteria_by_scope: dict[frozenset[uuid.UUID], object] = {}
_filtered_by_statement: dict[int, tuple[weakref.ref, dict[frozenset[uuid.UUID], object]]] = {}


def _tenant_criteria(scope: frozenset[uuid.UUID]):
    """The `with_loader_criteria` option that limits every tenant-owned model to `scope`."""
    criteria = _criteria_by_scope.get(scope)
    if criteria is None:
        if len(_criteria_by_scope) >= _MAX_SCOPES:
            _criteria_by_scope.clear()
        allowed = list(scope)
        criteria = _criteria_by_scope[scope] = with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id.in_(allowed), include_aliases=True)
    return criteria


def _filtered(statement, scope: frozenset[uuid.UUID]):
    """`statement` with the tenant filter of `scope` (kept per statement object and scope)."""
    key = id(statement)
    known = _filtered_by_statement.get(key)
    if known is not None and known[0]() is statement:
        by_scope = known[1]
        filtered = by_scope.get(scope)
        if filtered is not None:
            return filtered
        if len(by_scope) >= _MAX_SCOPES_PER_STATEMENT:
            by_scope.clear()
    else:
        try:
            ref = weakref.ref(statement, lambda _ref: _filtered_by_statement.pop(key, None))
        except TypeError:  # pragma: no cover - every executable statement takes weak references
            return statement.options(_tenant_criteria(scope))
        by_scope = {}
        _filtered_by_statement[key] = (ref, by_scope)
    filtered = by_scope[scope] = statement.options(_tenant_criteria(scope))
    return filtered


# The known gaps of with_loader_criteria, closed by refusing what it cannot filter: Core
# statements on tenant-owned tables and raw SQL naming them, and ORM bulk INSERTs of rows
# outside the scope. Inside a tenant scope, use ORM entities (filtered) or `system_scope()`
# with an explicit filter. (On PostgreSQL, RLS would filter them too; SQLite has no RLS.)

_tenant_tables: dict[str, Table] | None = None
# What `_refuse_raw_statement` found in a statement object, by its id while it lives (a statement
# is immutable, and the hot paths keep theirs: `_built_once`, the audit's statements).
_touched: dict[int, tuple[weakref.ref, list[str]]] = {}


@event.listens_for(Mapper, "after_mapper_constructed")
def _forget_tenant_tables(mapper, class_) -> None:
    global _tenant_tables
    _tenant_tables = None
    _touched.clear()
    _criteria_by_scope.clear()  # a new model: the filter's option is made anew
    _filtered_by_statement.clear()


def tenant_tables() -> dict[str, Table]:
    """The tables of every mapped model that mixes in `TenantOwned`, by name (kept until a new
    model is mapped)."""
    global _tenant_tables
    if _tenant_tables is None:
        _tenant_tables = {m.local_table.name: m.local_table for m in db.Model.registry.mappers
                          if issubclass(m.class_, TenantOwned) and isinstance(m.local_table, Table)}
    return _tenant_tables


def _tenant_tables_touched(statement) -> list[str]:
    known = _touched.get(id(statement))
    if known is not None and known[0]() is statement:
        return known[1]
    owned = tenant_tables()
    if isinstance(statement, TextClause):
        names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", statement.text.lower()))
        touched = sorted(names & set(owned))
    else:
        tables = find_tables(statement, check_columns=True, include_aliases=True,
                             include_joins=True, include_selects=True, include_crud=True)
        touched = sorted({t.name for t in tables if isinstance(t, Table) and t.name in owned})
    key = id(statement)
    _touched[key] = (weakref.ref(statement, lambda _ref: _touched.pop(key, None)), touched)
    return touched


def _refuse_raw_statement(statement) -> None:
    touched = _tenant_tables_touched(statement)
    if touched:
        raise IsolationViolation(
            f"Core or raw SQL on tenant-owned tables ({', '.join(touched)}) is not filtered by "
            "tenant; use ORM entities, or system_scope() with an explicit filter")


def _check_bulk_insert(state: ORMExecuteState, scope: frozenset[uuid.UUID]) -> None:
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name not in tenant_tables():
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    if rows:  # session.execute(insert(Model), [{...}, ...])
        ids = [row.get("tenant_id") for row in rows]
    else:  # insert(Model).values(...)
        inline = state.statement.compile().params
        ids = [v for k, v in inline.items() if k == "tenant_id" or k.startswith("tenant_id_m")]
    if not ids or any(tenant_id not in scope for tenant_id in ids):
        raise IsolationViolation(f"bulk INSERT into {table.name} needs a tenant_id inside the scope "
                                 "for every row")


# --- ORM writes --------------------------------------------------------------------------

@event.listens_for(Session, "before_flush")
def _stamp_and_check_tenant(session: Session, flush_context, instances) -> None:
    scope = _get_scope()
    for obj in session.new:
        if not isinstance(obj, TenantOwned):
            continue
        if obj.tenant_id is None:
            obj.tenant_id = current_tenant_id()
            if obj.tenant_id is None:
                raise IsolationViolation(f"{type(obj).__name__} needs a tenant")
        if scope != SYSTEM and obj.tenant_id not in scope:
            raise IsolationViolation(f"{type(obj).__name__} would be written into another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantOwned):
            continue
        history = _attr_history(obj, "tenant_id")
        if history and (history.deleted and history.added):
            raise IsolationViolation(f"{type(obj).__name__} cannot change tenant")
        if scope != SYSTEM and obj.tenant_id not in scope:
            raise IsolationViolation(f"{type(obj).__name__} belongs to another tenant")


def _attr_history(obj, name):

    return inspect(obj).attrs[name].history
