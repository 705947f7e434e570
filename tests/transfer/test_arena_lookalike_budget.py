"""A page of the arena names at most `search.PAGE_OTHERS` templates that are not on it in its
look-alike lines (decision "[arena] Twenty look-alikes per page"): every template's newest
look-alike first, then the second newest, and so on, so the page does not grow with the library
and no template loses its nearest look-alike to another's third. Each template still shows at
most `SHOWN`, newest first, and a template another municipality keeps private is never named,
however new."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from core import isolation
from core.db import db
from core.library import listing
from core.library.models import Template, TemplateShare, TemplateVersion
from core.library.search import PAGE_OTHERS, SHOWN

BASE = datetime(2026, 1, 1, tzinfo=UTC)
TITLES = 20


def _template(connection, owner, title: str, minutes: int, visibility: str = "all") -> uuid.UUID:
    template_id, version_id = uuid.uuid4(), uuid.uuid4()
    connection.execute(insert(Template.__table__).values(
        id=template_id, key=f"k-{template_id}", source="tenant", owner_tenant_id=owner, owner_key=f"{owner}-{minutes}",
        visibility=visibility, title=title, summary="", search_text="", latest_version_id=version_id,
        latest_version_number=1, latest_published_at=BASE + timedelta(minutes=minutes), created_at=BASE,
        updated_at=BASE))
    connection.execute(insert(TemplateVersion.__table__).values(
        id=version_id, template_id=template_id, number=1, status="published",
        content={"title": title, "summary": str(minutes)}, content_hash=str(minutes), changelog="", created_at=BASE))
    return template_id


def test_a_page_names_each_templates_newest_look_alike_first_and_never_a_private_one(app, make):
    reader, other = make.tenant("lesar"), make.tenant("annan")
    visible: dict[str, list[tuple[int, uuid.UUID]]] = {}  # title -> (minutes, id) of the look-alikes
    hidden = set()
    with app.app_context(), isolation.system_scope():
        connection = db.session.connection()
        for t in range(TITLES):
            title = f"Side {t}"
            _template(connection, other.id, title, 10_000 + t)  # on the page: the newest visible
            visible[title] = [(m, _template(connection, other.id, title, m)) for m in (100 * t + j for j in range(5))]
            hidden.add(_template(connection, other.id, title, 20_000 + t, "private"))  # newer, not the reader's
            if t < 3:  # private, shared with the reader: a look-alike like the open ones
                shared = _template(connection, other.id, title, 5_000 + t, "private")
                connection.execute(insert(TemplateShare.__table__).values(
                    id=uuid.uuid4(), template_id=shared, tenant_id=reader.id, owner_tenant_id=other.id))
                visible[title].append((5_000 + t, shared))
        db.session.commit()
    with app.test_request_context("/arena/"):
        isolation.set_scope([reader.id])
        tenant_ids = {"tenant_ids": [reader.id]}
        page = listing.arena_page(limit=TITLES, tenant_ids=tenant_ids)
        rows = listing.arena_rows(page, str, tenant_ids)
        db.session.rollback()
    assert len(rows) == TITLES and {row.title for row in rows} == set(visible)
    # what each title's lookup finds (its SHOWN newest look-alikes, the page's own template being
    # the newest), ranked: every title's newest, then every title's second newest, ...
    found = sorted(((rank, -minutes, template_id) for items in visible.values()
                    for rank, (minutes, template_id) in enumerate(sorted(items, reverse=True)[:SHOWN])),
                   key=lambda item: item[:2])
    kept = {template_id for _rank, _minutes, template_id in found[:PAGE_OTHERS]}
    named = {line.id for row in rows for line in row.lookalikes}
    assert len(found) > PAGE_OTHERS  # without the budget the page would name them all (60)
    assert named == kept and not named & hidden
    for row in rows:
        expected = [i for _m, i in sorted(visible[row.title], reverse=True)[:SHOWN] if i in kept]
        assert [line.id for line in row.lookalikes] == expected, row.title
    assert all(len(row.lookalikes) == 1 for row in rows)  # here: twenty titles, each its newest
