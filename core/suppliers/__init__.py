"""Supplier organisations, their people and the supplier portal under /supplier/.

The package registers itself as the internal plugin `suppliers` (`core.suppliers.plugin`): a
principal fact adds `principal.extra["supplier"]` ({"id", "org_number", "name", "role"}) to
every signed-in person who belongs to a supplier organisation, and each request acting for a
supplier sets `samspill.supplier_id` for PostgreSQL row-level security.
"""
