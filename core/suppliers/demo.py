"""The demo's supplier organisations: key, name and organisation number (the demo seed creates
their people, the market dialogue's demo content registers them)."""

from __future__ import annotations

DEMO_SUPPLIERS = [
    ("trygg", "Trygg Teknologi AS", "915345727"),
    ("omsorg", "Omsorgsdata AS", "914778271"),
]
