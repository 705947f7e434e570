"""The learning transfer's dashboard panel: the newest packages (published templates) the
tenant's officers can start from, as plain rows of the columns the panel shows — not whole
templates with their search text, summary and content references — rendered into one string,
its constant pieces once per language (`_panel_texts.html`) and each row unpacked in the loop."""

from __future__ import annotations

import uuid
from functools import cache
from typing import NamedTuple

from markupsafe import Markup
from sqlalchemy import literal_column, select

from core.access import require_user
from core.db import db
from core.i18n import translations
from core.library.labels import publisher_of
from core.library.models import Template, TemplateSource
from core.library.service import visible_clause
from core.procurement.access import caller_tenant_ids
from core.web.output_escape import escape_output
from core.web.panels import render_panel
from core.web.urls import row_url
from tenants.models import Tenant

DASHBOARD_PACKAGES = 5


class _Owner(NamedTuple):
    name: str


class PackageRow(NamedTuple):
    """A package of the panel; `publisher_of` reads it like a template (`source`, `owner_key`,
    `owner_tenant`, `publisher`)."""

    id: uuid.UUID
    key: str
    title: str
    source: TemplateSource
    owner_key: str
    owner_tenant: _Owner | None

    publisher = Template.publisher  # the model's rule, on these columns


@cache
def packages_statement(dialect: str, limit: int = DASHBOARD_PACKAGES):
    """Built once per process, dialect and limit: the library's visibility rule for the caller's
    tenants (bind parameter `tenant_ids`, a list: one array on PostgreSQL, `lists.one_of`),
    executed without the ORM: templates and tenants are not tenant-owned tables
    (`core.isolation`). The limit is a constant in the SQL, not a bound parameter: PostgreSQL
    plans a `LIMIT $n` for a tenth of the rows, so the generic plan of the prepared statement
    looked dearer than a custom one and the statement was planned again on every visit."""
    return (select(Template.id, Template.key, Template.title, Template.source, Template.owner_key, Tenant.name)
            .outerjoin(Tenant, Tenant.id == Template.owner_tenant_id)
            .where(visible_clause("tenant_ids", dialect), Template.latest_version_id.is_not(None))
            .order_by(Template.latest_published_at.desc(), Template.id.desc())
            .limit(literal_column(str(int(limit)))))


def package_rows(limit: int = DASHBOARD_PACKAGES) -> list[PackageRow]:
    """The newest published templates the caller's tenants can see (the order and visibility of
    `library.service.list_visible`), in one statement."""
    ids = caller_tenant_ids(require_user())
    if not ids:
        return []
    found = db.session.connection().execute(packages_statement(db.engine.dialect.name, limit),
                                           {"tenant_ids": sorted(ids)})
    return [PackageRow(t_id, key, title, source, owner_key, _Owner(name) if name is not None else None)
            for t_id, key, title, source, owner_key, name in found]


class PackageItem(NamedTuple):
    """A package as the panel's loop unpacks it: link and "Published by" sentence ready."""

    id: uuid.UUID
    url: str
    key: str
    title: str
    published_by: Markup


def package_panel() -> Markup | None:
    """The panel, or None when there is no package to show. The sentence is translated once
    and formatted per package as the template's `_()` does (`Markup`, the name escaped)."""
    rows = package_rows()
    if not rows:
        return None
    link = row_url("arena.template", "template_id")
    sentence = translations().ugettext("Published by %(publisher)s.")
    # As `_()` formats it (`Markup(text) % values`): the catalogue's text as markup, the name
    # escaped; formatted as a str with the escaped name, then marked (one Markup per package).
    return render_panel("transfer/_dashboard_panel.html", items=[
        PackageItem(t.id, link(t.id), t.key, t.title,
                    Markup(sentence % {"publisher": escape_output(publisher_of(t))}))  # noqa: S704 (escaped above)
        for t in rows])
