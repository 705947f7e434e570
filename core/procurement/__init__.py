"""The procurement domain: lifecycle with gates, joint procurements, needs, attachments, protocol.

It registers itself as the internal plugin `procurement` (`core.procurement.plugin`). Packages
above it extend it through hooks (`core.plugin_platform.hookspecs` and `internal_hookspecs`):
gate checklist items (`samspill_gate_items`), validators of the namespaced `Procurement.extension`
data (`samspill_extension_validators`), lifecycle events (`samspill_procurement_created`,
`samspill_phase_changed`, …) and tabs on a procurement's pages (`samspill_procurement_tabs`).
"""
