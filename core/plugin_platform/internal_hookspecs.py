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
def samspill_procurement_access():
    """The procurement package's access check, `require(procurement_id, action)`: the caller's
    access for `action` ("read", "write", "manage", "evaluate"), raising 404 when they cannot
    see the procurement and 403 when their role does not allow `action`. The access has
    `procurement`, `acting_tenant_id`, `can(action)` and `abilities()`. The plugin platform's
    procurement pages and extension data check access through it (they sit below procurement)."""


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
def samspill_metric_samples():
    """`core.ops.metrics.Sample`s read when `/metrics` is scraped (backlogs, queue depths)."""


@hookspec
def samspill_jobs():
    """`{name: function}`: work the job queue may run (`core.jobs.enqueue(name, ...)`)."""


@hookspec
def samspill_export_kinds():
    """`core.exports.kinds.ExportKind`s: files the package's people may export as a job."""


@hookspec
def samspill_periodic_jobs():
    """`core.jobs.Periodic`s: jobs the scheduler queues every so often (instead of cron)."""


@hookspec(firstresult=True)
def samspill_competition_announced(procurement):
    """True once `procurement`'s competition is announced (the specification is fixed from then)."""


@hookspec
def samspill_gate_checks(procurement):
    """`{gate item key: [what is missing]}` for core gate items checked from a package's data."""


@hookspec(firstresult=True)
def samspill_contract_start(procurement, tenant_id):
    """The date `tenant_id`'s contract in `procurement` starts, or None (first answer wins)."""


@hookspec
def samspill_arena_template_sections(template):
    """Markup sections a package adds to the arena's page of `template` (e.g. results)."""


@hookspec
def samspill_template_applied(procurement, content):
    """`procurement` was started from a template version whose `content` it copies (needs added)."""


@hookspec
def samspill_tender_content_refused(access):
    """True when the caller (`core.procurement.access.ProcurementAccess`) may not see tender
    content yet, e.g. an evaluator without an impartiality declaration (they get 404)."""


@hookspec
def samspill_buyer_acceptance():
    """`accept(participation, terms)` functions run (outside the guard) when a buyer accepts its invitation."""


@hookspec
def samspill_procurement_sections(procurement):
    """Markup sections a package adds to a procurement's overview page (e.g. the buyers' mandates)."""


@hookspec
def samspill_opened_tender_links(procurement_id, tender_ids):
    """`{tender id: [{"url", "label"}]}`: links next to each opened tender on the competition's page."""


@hookspec(firstresult=True)
def samspill_transition_refused(procurement, target):
    """A `core.errors.Conflict` refusing the move of `procurement` to `target` (a phase, or
    "completed") whatever its checklist says, e.g. before the standstill ends; else None."""


@hookspec
def samspill_protocol_texts():
    """`{audit action: readable (lazy) text}` for the procurement protocol's entries."""


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


@hookspec(firstresult=True)
def samspill_template_library():
    """The template library's answers to the procurement package (which sits below it): an
    object with `template_version(version_id)`, `start_from_template(tenant, *, template_id,
    version_id, fields)`, `origin(procurement)`, `lineage(procurement)`, `lessons(procurement_id,
    limit)`, `add_lesson(procurement_id, title, body)`, `tenant_templates(tenant)`,
    `publish_as_template(procurement_id, **values)` and `need_catalogues(limit)`. The
    procurement package calls them outside the hook guard, so 404 and 422 propagate as usual."""

INTERNAL_HOOKS = frozenset(name for name in dir() if name.startswith("samspill_"))
