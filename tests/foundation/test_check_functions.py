"""The policies' helper functions are PL/pgSQL after migration 0031_functions, with the same
expression, the same attributes, and a downgrade that writes the SQL functions back.

PostgreSQL only. What the functions answer is checked where the policies use them (the isolation
tests and `test_scope_once`); here: each is a PL/pgSQL function of one `RETURN`, SECURITY DEFINER,
STABLE, with `search_path` set, callable by the app role; and inside a transaction that is rolled
back, the downgrade's SQL function and the upgrade's PL/pgSQL function again come out as
PostgreSQL printed them, and the SQL function gives the same answer as the PL/pgSQL one.
"""

from __future__ import annotations

import importlib
import uuid

import pytest
from sqlalchemy import create_engine, text

from migrations.rls import CHECK_FUNCTIONS, as_plpgsql, as_sql, function_definition
from tests.conftest import ONLY_POSTGRES_RLS

pytestmark = ONLY_POSTGRES_RLS

MIGRATION = importlib.import_module("migrations.versions.0031_functions")


@pytest.fixture
def owner(migrated):
    engine = create_engine(migrated[0])
    yield engine
    engine.dispose()


def test_the_migration_names_the_functions():
    assert MIGRATION.down_revision == "0030_db"
    assert len(CHECK_FUNCTIONS) == 6


@pytest.mark.parametrize("name", CHECK_FUNCTIONS)
def test_each_function_is_plpgsql_and_keeps_its_attributes(owner, migrated, name):
    with owner.connect() as conn:
        language, definer, volatility, config, can_call = conn.execute(text(
            "select l.lanname, p.prosecdef, p.provolatile, p.proconfig,"
            " has_function_privilege(:role, p.oid, 'EXECUTE')"
            " from pg_proc p join pg_language l on l.oid = p.prolang where p.oid = to_regproc(:name)"),
            {"name": name, "role": "samspill_app"}).one()
        definition = function_definition(conn, name)
    assert (language, definer, volatility, config) == ("plpgsql", True, "s", ["search_path=public"])
    assert can_call
    assert "\nBEGIN\n  RETURN " in definition and definition.count("RETURN ") == 1


@pytest.mark.parametrize("name", CHECK_FUNCTIONS)
def test_the_downgrade_and_upgrade_give_back_each_definition(owner, name):
    unknown = str(uuid.uuid4())
    with owner.connect() as conn, conn.begin() as transaction:
        upgraded = function_definition(conn, name)
        call = text(f"select {name}(:id)")
        conn.execute(text("select set_config('samspill.tenant_ids', :ids, true)"), {"ids": unknown})
        answer = conn.execute(call, {"id": unknown}).scalar()
        conn.exec_driver_sql(as_sql(upgraded))
        downgraded = function_definition(conn, name)
        assert " LANGUAGE sql\n" in downgraded and "\nAS $function$\n  SELECT " in downgraded
        assert conn.execute(call, {"id": unknown}).scalar() == answer
        conn.exec_driver_sql(as_plpgsql(downgraded))
        assert function_definition(conn, name) == upgraded
        transaction.rollback()


def test_a_function_of_another_shape_is_refused():
    with pytest.raises(ValueError, match="not a SQL function of one SELECT"):
        as_plpgsql("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE plpgsql"
                   " AS $function$ BEGIN RETURN 1; END $function$")
    with pytest.raises(ValueError, match="not a PL/pgSQL function"):
        as_sql("CREATE OR REPLACE FUNCTION f()\n RETURNS int\n LANGUAGE sql\nAS $function$\n  SELECT 1\n$function$\n")
