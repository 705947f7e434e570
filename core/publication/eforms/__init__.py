"""eForms notices: building UBL XML from a procurement and checking it against the SDK."""
