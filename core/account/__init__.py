"""A person's own pages: sign in and out, the account (password, API tokens) and invitation
links. They sit above identity, auth, access and tenants (they use all four), so those packages
never import a page; the blueprint keeps the name `identity` (its URLs and endpoints)."""
