"""Internal hooks: extension points that only the platform's own packages implement.

The domain packages (procurement, library, notifications, suppliers, dialogue …) and instance
plugins such as the benchmark harness are registered as internal plugins (always on, never
chosen per tenant) and contribute through these hooks as well as the public ones in
`hookspecs` (pages, API, commands, dashboard panels, gate items, events). A third-party plugin
that implements one of these is refused at registration. `docs/developing.md` lists them.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("samspill")


@hookspec
def samspill_setup_app(app):
    """Set up what the package adds to the Flask app itself: template globals, request hooks."""


@hookspec
def samspill_principal_facts():
    """`core.auth.PrincipalFact`s that every principal's one query resolves."""


@hookspec
def samspill_extension_validators():
    """`{namespace: validator}` for the namespaced `Procurement.extension` data."""


@hookspec
def samspill_procurement_tabs(procurement):
    """Extra tabs on a procurement's pages: a list of `{"url", "label"}` dicts."""


@hookspec(firstresult=True)
def samspill_invitation_template(procurement):
    """The dialogue-invitation draft for `procurement` (a Jinja text), or None."""


@hookspec
def samspill_supplier_start_sections(context):
    """HTML sections (Markup) for a signed-in person's supplier portal start page (`context`:
    their supplier organisation, or None)."""


@hookspec
def samspill_admin_links(tenant):
    """Links for the tenant dashboard's administration list: `[{"label", "url"}]`."""


@hookspec
def samspill_reminders(now, horizon):
    """`core.notifications.reminders.Reminder`s for deadlines between `now` and `now + horizon`."""


@hookspec
def samspill_passed_deadlines(now):
    """`PassedDeadline`s at or before `now` not announced yet (filter with `not_announced`)."""


@hookspec
def samspill_demo_content(passwords):
    """Add the package's demo content once tenants and people exist (idempotent)."""


@hookspec
def samspill_notice_builders():
    """`{kind: builder}`: `builder(procurement, data)` turns `NoticeData` into eForms XML bytes."""


@hookspec
def samspill_notice_data(procurement, kind):
    """Stage data for a `kind` notice of `procurement` (lots, tenders, results), or None."""


@hookspec
def samspill_ocds_releases(procurement, context):
    """OCDS releases (dicts) of later stages: tender, award, contract, implementation."""


@hookspec
def samspill_public_sections(procurement):
    """Published sections (Markup) of a procurement's public page: competition, award, ..."""


INTERNAL_HOOKS = frozenset(name for name in dir() if name.startswith("samspill_"))
