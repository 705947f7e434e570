"""Alembic revisions of the welfare-technology plugin (branch label `welfare_tech`)."""
