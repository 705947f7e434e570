"""Names of the demo people, so records read "Kari Nordmann", not an address or a role (the
demo seed creates them, the market dialogue's demo content names its supplier people)."""

from __future__ import annotations

DEMO_NAMES = {
    "admin@asker.demo": "Ingrid Berg", "officer@asker.demo": "Lars Haugen",
    "admin@baerum.demo": "Kari Nordmann", "officer@baerum.demo": "Ola Hansen",
    "admin@drammen.demo": "Nina Johansen", "officer@drammen.demo": "Erik Larsen",
    "post@trygg.demo": "Sara Lie", "post@omsorg.demo": "Jonas Bakken",
}
