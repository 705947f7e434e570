"""Test support shipped with Samspill (the pytest plugin for plugin authors)."""
