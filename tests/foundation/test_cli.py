"""The command line: what it prints, and one clear line on stderr for a user's mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db import db
from core.identity.models import User
from tenants.models import Tenant
from tests.conftest import bearer

ROOT = Path(__file__).resolve().parents[2]


def run(runner, *args: str, input: str | None = None):
    return runner.invoke(args=list(args), input=input)


def assert_one_line_error(result) -> str:
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def count(app, model) -> int:
    with app.app_context():
        return len(db.session.execute(select(model)).scalars().all())


def test_tenants_create_and_list(runner):
    result = run(runner, "tenants", "create", "asker", "--name", "Asker kommune", "--org-number", "964 967 636")
    assert result.exit_code == 0, result.output
    listed = json.loads(run(runner, "tenants", "list", "--json").stdout)
    assert listed == [{"slug": "asker", "name": "Asker kommune", "org_number": "964967636"}]


@pytest.mark.parametrize("args, field", [
    (["tenants", "create", "asker", "--name", "Dup"], "slug"),
    (["tenants", "create", "other", "--name", "Other", "--org-number", "964967636"], "org_number"),
    (["tenants", "create", "bad", "--name", "Bad", "--org-number", "964967637"], "org_number"),
    (["tenants", "create", "bad", "--name", "Bad", "--org-number", "12345678"], "org_number"),
    (["tenants", "create", "Not A Slug", "--name", "Bad"], "slug"),
    (["tenants", "create", "api", "--name", "Reserved"], "slug"),
    (["tenants", "create", "ok-slug", "--name", "Bad", "--municipality-number", "32"], "municipality_number"),
], ids=["duplicate-slug", "duplicate-org", "bad-check-digit", "eight-digits", "bad-slug", "reserved",
        "municipality-number"])
def test_tenant_mistakes(app, runner, args, field):
    assert run(runner, "tenants", "create", "asker", "--name", "Asker", "--org-number", "964967636").exit_code == 0
    line = assert_one_line_error(run(runner, *args))
    assert line.startswith("Error: ") and field in line
    assert count(app, Tenant) == 1


def test_users_create_with_password_and_membership(app, runner, client):
    run(runner, "tenants", "create", "asker", "--name", "Asker")
    result = run(runner, "users", "create", "Kari@Asker.test", "--tenant", "asker", "--role", "officer",
                 "--password-stdin", input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "kari@asker.test is officer in asker"
    response = client.post("/signin", data={"email": "kari@asker.test", "password": "a long enough password"})
    assert response.status_code == 302


@pytest.mark.parametrize("args, stdin", [
    (["users", "create", "new@asker.test", "--tenant", "asker", "--role", "overlord"], None),
    (["users", "create", "new@asker.test", "--tenant", "nowhere"], None),
    (["users", "create", "not-an-email"], None),
    (["users", "create", "new@asker.test", "--password-stdin"], "short\n"),
], ids=["bad-role", "unknown-tenant", "bad-email", "short-password"])
def test_user_mistakes_leave_nothing_behind(app, runner, args, stdin):
    run(runner, "tenants", "create", "asker", "--name", "Asker")
    assert_one_line_error(run(runner, *args, input=stdin))
    assert count(app, User) == 0


def test_tokens_create_prints_only_the_token(runner, client):
    run(runner, "users", "create", "kari@asker.test")
    result = run(runner, "tokens", "create", "kari@asker.test", "--expires-in", "3")
    assert result.exit_code == 0 and result.stderr == ""
    secret = result.stdout
    assert secret.endswith("\n") and secret.count("\n") == 1 and secret.startswith("ssp_")
    me = client.get("/api/v1/me", headers=bearer(secret.strip()))
    assert me.status_code == 200 and me.json["email"] == "kari@asker.test"


@pytest.mark.parametrize("args", [
    ["tokens", "create", "nobody@asker.test"],
    ["tokens", "create", "kari@asker.test", "--expires-in", "0"],
    ["tokens", "create", "kari@asker.test", "--expires-in", "9999"],
    ["tenants", "set-oidc", "nowhere", "--issuer", "https://idp.example", "--client-id", "x"],
    ["tenants", "set-oidc", "asker", "--issuer", "http://idp.example", "--client-id", "x", "--client-secret-stdin"],
], ids=["unknown-email", "zero-days", "too-many-days", "unknown-tenant", "plain-http-issuer"])
def test_token_and_sign_in_mistakes(runner, args):
    run(runner, "tenants", "create", "asker", "--name", "Asker")
    run(runner, "users", "create", "kari@asker.test")
    assert_one_line_error(run(runner, *args, input="secret\n"))


def test_the_real_command_answers_a_mistake_with_one_line(tmp_path):
    """The installed `samspill` entry point, as an operator runs it (own SQLite database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMSPILL_")}
    env.update(SAMSPILL_INSTANCE_PATH=str(tmp_path), PYTHONPATH=str(ROOT))
    samspill = Path(sys.executable).with_name("samspill")
    command = [str(samspill)] if samspill.exists() else [sys.executable, "-c", "from core.console import main; main()"]
    upgrade = subprocess.run([*command, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    bad = subprocess.run([*command, "tenants", "create", "asker", "--name", "Asker", "--org-number", "123456789"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout == "" and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "org_number" in bad.stderr
