"""The procurement domain: lifecycle with gates, joint procurements, needs, attachments, protocol.

Extension points this package offers (all in `app.extensions`):

- `samspill.gate_item_providers`: callables `(procurement) -> [{"phase", "key", "text"}]` adding
  gate checklist items (see `gates.py`).
- `samspill.extension_validators`: `{namespace: callable(data) -> data}` validating the
  namespaced `Procurement.extension` data (see `service.validate_extension`).
- `samspill.procurement_listeners`: callables `(event, procurement, **data)` told about
  `created`, `phase_changed` and `lead_changed`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from core.api import add_api_registrar
    from core.demo import add_demo_seeder
    from core.procurement import api, api_group, demo, panels, views, views_gates, views_group, views_needs
    from core.procurement.gates import shown_text
    from core.procurement.labels import LABELS
    from core.procurement.protocol import detail_rows, shown_action
    from core.procurement.readable import object_label

    app.jinja_env.globals["procurement_labels"] = LABELS
    app.jinja_env.globals["shown_text"] = shown_text  # recorded gate item texts in the reader's language
    app.jinja_env.globals["protocol_details"] = detail_rows
    app.jinja_env.globals["audit_action"] = shown_action  # records read as sentences, not codes
    app.jinja_env.globals["audit_object"] = object_label

    for module in (views, views_gates, views_group, views_needs):
        app.register_blueprint(module.bp)
    app.extensions.setdefault("samspill.gate_item_providers", [])
    app.extensions.setdefault("samspill.extension_validators", {})
    app.extensions.setdefault("samspill.procurement_listeners", [])
    app.extensions.setdefault("samspill.dashboard_panels", []).insert(0, panels.procurement_panel)

    def register(api_ext):
        from core.extensions import csrf

        for blueprint in (api.bp, api_group.bp):
            api_ext.register_blueprint(blueprint)
            csrf.exempt(blueprint)

    add_api_registrar(app, register)
    add_demo_seeder(app, demo.seed)
