"""Alembic environment and versions. The schema is created only by these migrations."""
