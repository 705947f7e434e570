"""Benchmark databases: one per database kind and scale, generated once and reused.

SQLite: a file `bench-s<scale>.db` in the data folder, with a `.json` marker beside it.
PostgreSQL: a database `samspill_bench_s<scale>` made with the operator's owner URL, its
marker kept as the database comment. Migrations and generation run as the owner; the app
then connects as the non-owner role `samspill_app`, so row-level security is in force as in
production. A marker records the scale, the migration heads and a digest of the generator's
code; when any of them changes the database is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.data import generate
from core.app import MIGRATIONS_DIR, create_app
from core.db import db
from core.demo import upgrade_database

APP_ROLE = os.environ.get("SAMSPILL_DB_APP_ROLE", "samspill_app")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class BenchDatabase:
    kind: str
    scale: float
    app_url: str
    owner_url: str
    reused: bool
    generation: dict


def scale_tag(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def _fingerprint(scale: float) -> dict:
    from alembic.config import Config  # noqa: PLC0415 - the harness is loaded by every app: Alembic only here
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - as above

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    heads = sorted(ScriptDirectory.from_config(config).get_heads())
    digest = hashlib.sha256()
    for source in sorted((Path(__file__).parent / "data").glob("*.py")):
        digest.update(source.read_bytes())
    return {"scale": scale, "heads": heads, "generator": digest.hexdigest()[:16]}


@contextlib.contextmanager
def env_var(name: str, value: str | None) -> Iterator[None]:
    previous = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def load_data(owner_url: str, scale: float, instance: Path,
              progress: Callable[[str], None]) -> dict:
    """Migrate an empty database and generate data into it, in this process."""
    with env_var("SAMSPILL_MIGRATION_DATABASE_URL", owner_url if owner_url.startswith("postgresql") else None):
        app = create_app({"SQLALCHEMY_DATABASE_URI": owner_url, "INSTANCE_PATH": str(instance)})
        with app.app_context():
            upgrade_database()
            report = generate(scale, progress=progress)
            db.session.remove()
            analyze(db.engine)
            db.engine.dispose()
    return report.as_dict()


def analyze(engine) -> None:
    """Fresh planner statistics after a bulk load (and the visibility map on PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def prepare_sqlite(scale: float, data_dir: Path, regenerate: bool,
                   progress: Callable[[str], None]) -> BenchDatabase:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"bench-s{scale_tag(scale)}.db"
    marker = path.with_suffix(".json")
    url = f"sqlite:///{path}"
    wanted = _fingerprint(scale)
    if not regenerate and path.exists() and marker.exists():
        stored = json.loads(marker.read_text())
        if stored.get("fingerprint") == wanted:
            return BenchDatabase("sqlite", scale, url, url, True, stored["generation"])
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker):
        leftover.unlink(missing_ok=True)
    progress(f"generating scale {scale:g} into {path}")
    generation = load_data(url, scale, data_dir / "instance", progress)
    marker.write_text(json.dumps({"fingerprint": wanted, "generation": generation}, indent=2))
    return BenchDatabase("sqlite", scale, url, url, False, generation)


def prepare_postgres(scale: float, admin_url: str, data_dir: Path, regenerate: bool,
                     progress: Callable[[str], None]) -> BenchDatabase:
    base = make_url(admin_url)
    name = f"samspill_bench_s{scale_tag(scale)}"
    owner = base.set(database=name)
    app = owner.set(username=APP_ROLE, password=None)
    owner_url = owner.render_as_string(hide_password=False)
    app_url = app.render_as_string(hide_password=False)
    wanted = _fingerprint(scale)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            comment = conn.execute(text(
                "select shobj_description(oid, 'pg_database') from pg_database where datname = :n"),
                {"n": name}).first()
            stored = json.loads(comment[0]) if comment and comment[0] else None
            if not regenerate and stored and stored.get("fingerprint") == wanted:
                return BenchDatabase("postgres", scale, app_url, owner_url, True, stored["generation"])
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            if not conn.execute(text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}).first():
                conn.execute(text(f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        progress(f"generating scale {scale:g} into PostgreSQL database {name}")
        generation = load_data(owner_url, scale, data_dir / "instance", progress)
        marker = json.dumps({"fingerprint": wanted, "generation": generation}).replace("'", "''")
        with admin.connect() as conn:
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'"))
    finally:
        admin.dispose()
    return BenchDatabase("postgres", scale, app_url, owner_url, False, generation)


def database_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                return conn.execute(text("show server_version")).scalar_one().split()[0]
            return "SQLite " + conn.execute(text("select sqlite_version()")).scalar_one()
    finally:
        engine.dispose()
