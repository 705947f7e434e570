"""Welfare technology (velferdsteknologi): safety alarms, response centres, digital supervision,
location, fall detection and medicine dispensers, with the "Tryggere hverdag" template."""
