"""Plugin administration: each tenant's enabled plugins and their settings (pages, API and the
`samspill plugins` commands), plugin extension data on procurements (pages), and the platform's
own hook implementations (`hooks`, the internal plugin `samspill`)."""
