"""The procurement domain: lifecycle with gates, joint procurements, needs, protocol."""
