"""Publication: eForms notices (validated against the SDK, sent to Doffin), OCDS open data,
public pages, the business register (Enhetsregisteret) and the printable protocol."""
