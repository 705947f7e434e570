"""Tenant spaces: municipalities, their members and roles, and per-tenant settings."""
