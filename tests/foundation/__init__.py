"""Acceptance tests of the foundation (issue #2): sign-in, isolation, RLS, bad input, CLI."""
