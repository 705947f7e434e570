"""Identity: people, their local passwords, OpenID Connect identities and personal API tokens,
and the tenants and memberships the principal is resolved from (`memberships.py`)."""
