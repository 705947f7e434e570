"""The templates' read policy with the condition inline (migration 0026_arena) lets every scope
see exactly the templates and versions `samspill_visible_template` allowed.

PostgreSQL only: as the app role `samspill_app`, templates of every visibility and share kind
(a tenant's private, shared, shared with nobody, open ones; a private one with a stray share;
platform and plugin templates, open, private and shared; drafts) are read in every scope the
app uses (system, no settings at all, an empty tenant list, one tenant, several, an unknown
tenant, a supplier) and compared with what the old policy's function answers for each id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, insert, text

from core.library.models import Template, TemplateShare, TemplateVersion
from tests.conftest import APP_ROLE, ONLY_POSTGRES_RLS, SCOPE_SETTINGS

pytestmark = ONLY_POSTGRES_RLS



@pytest.fixture
def engines(migrated):
    owner, app_role = create_engine(migrated[0]), create_engine(migrated[1])
    yield owner, app_role
    owner.dispose()
    app_role.dispose()


def _library(owner, tenants: dict[str, uuid.UUID]) -> list[uuid.UUID]:
    """Templates of every kind, each with a published version and some with a draft too."""
    now = datetime.now(UTC)
    kinds = [  # (owner tenant or None, source, visibility, shared with)
        ("A", "tenant", "private", []), ("A", "tenant", "shared", ["B"]), ("A", "tenant", "shared", []),
        ("A", "tenant", "shared", ["B", "C"]), ("A", "tenant", "all", []), ("A", "tenant", "private", ["C"]),
        ("A", "tenant", "all", ["B"]), ("B", "tenant", "private", []), ("B", "tenant", "shared", ["A"]),
        ("B", "tenant", "all", []), (None, "platform", "all", []), (None, "platform", "private", []),
        (None, "plugin", "shared", ["B", "C"]), (None, "plugin", "private", ["A"]), (None, "plugin", "shared", []),
    ]
    ids = []
    with owner.begin() as conn:
        for n, (who, source, visibility, shared) in enumerate(kinds):
            template_id, version_id = uuid.uuid4(), uuid.uuid4()
            owner_id = tenants[who] if who else None
            conn.execute(insert(Template.__table__).values(
                id=template_id, key=f"kind-{n}", source=source, owner_tenant_id=owner_id,
                owner_key=str(owner_id) if owner_id else source, visibility=visibility, title=f"Kind {n}",
                summary="", search_text="", latest_version_id=version_id, latest_version_number=1,
                latest_published_at=now, created_at=now, updated_at=now))
            for number, (vid, status) in enumerate([(version_id, "published"), (uuid.uuid4(), "draft")][:1 + n % 2]):
                conn.execute(insert(TemplateVersion.__table__).values(
                    id=vid, template_id=template_id, number=number + 1, status=status, content={"title": "x"},
                    content_hash=f"{n}-{number}", changelog="", created_at=now))
            for tenant in shared:
                conn.execute(insert(TemplateShare.__table__).values(
                    id=uuid.uuid4(), template_id=template_id, tenant_id=tenants[tenant], owner_tenant_id=owner_id))
            ids.append(template_id)
    return ids


def test_every_scope_sees_the_templates_and_versions_the_function_allowed(app, make, engines):
    owner, app_role = engines
    tenants = {name: make.tenant(f"policy-{name.lower()}").id for name in "ABC"}
    all_templates = _library(owner, tenants)
    with owner.connect() as conn:
        policies = dict(conn.execute(text(
            "select tablename, qual from pg_policies where policyname = 'library_read'"
            " and tablename in ('templates', 'template_versions')")).all())
        versions = dict(conn.execute(text("select id, template_id from template_versions")).all())
    assert "samspill_visible_template" not in policies["templates"] + policies["template_versions"]
    ids = lambda *names: ",".join(str(tenants[n]) for n in names)  # noqa: E731
    scopes = {
        "system": {"mode": "system", "ids": "", "supplier": ""},
        "no settings": None,
        "no tenants": {"mode": "tenant", "ids": "", "supplier": ""},
        "supplier": {"mode": "tenant", "ids": "", "supplier": str(uuid.uuid4())},
        "unknown tenant": {"mode": "tenant", "ids": str(uuid.uuid4()), "supplier": ""},
        **{f"tenants {names}": {"mode": "tenant", "ids": ids(*names), "supplier": ""}
           for names in ("A", "B", "C", "AB", "BC", "AC", "ABC")},
    }
    seen_counts = set()
    with app_role.connect() as conn:
        assert conn.execute(text("select current_user")).scalar() == APP_ROLE
        conn.rollback()
        for scope, settings in scopes.items():
            with conn.begin():
                if settings is not None:
                    conn.execute(text(SCOPE_SETTINGS), settings)
                allowed = set(conn.execute(text("select t from unnest(cast(:ids as uuid[])) as t"
                                                " where samspill_visible_template(t)"),
                                           {"ids": all_templates}).scalars())
                seen = set(conn.execute(text("select id from templates")).scalars())
                seen_versions = set(conn.execute(text("select id from template_versions")).scalars())
                joined = set(conn.execute(text(
                    "select v.id from template_versions v join templates t on t.id = v.template_id")).scalars())
            assert seen == allowed, scope
            expected_versions = {v for v, t in versions.items() if t in allowed}
            assert seen_versions == joined == expected_versions, scope
            seen_counts.add(len(seen))
    assert len(seen_counts) >= 5  # the scopes do see different sets: the comparison is not vacuous
