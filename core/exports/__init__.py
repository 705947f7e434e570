"""Exports as jobs: files a procurement's people ask for (XLSX workbooks, the protocol PDF) made
once, stored in the file store and downloaded from there.

- `models`: the `Export` record (who asked, the procurement, kind, parameters, status, file key,
  size, times).
- `kinds`: `ExportKind` (access check, renderer) and the registry read from the internal hook
  `samspill_export_kinds()`, which the domains implement.
- `service`: ask for an export (queued as a job with a key when Redis is configured, else made
  in the request), the job itself (idempotent: one record, one file per export), status and the
  file, each checked with the kind's own access rule (404 for others).
- `api`: `POST /api/v1/procurements/{id}/exports`, `GET /api/v1/exports/{id}` and `…/file`.
"""
