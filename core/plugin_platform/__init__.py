"""The plugin platform: hook specifications, the host and its guards, per-tenant state, permissions and extension data; its admin UI, API and CLI live in `admin`."""
