"""Identity: people, their local passwords, OpenID Connect identities and personal API tokens."""
