"""How many messages a page asks of the translation catalogue, for tests of texts kept per
language (the dashboard's panels, the procurement overview)."""

from __future__ import annotations

from core.i18n import translations


def messages_per_visit(app, client, path, monkeypatch) -> int:
    """How many messages the catalogue is asked for on the second visit of `path`."""
    assert client.get(path).status_code == 200  # the kept texts are rendered on the first visit
    asked = []
    with app.test_request_context("/"):
        catalogue = type(translations())
    original = catalogue.ugettext
    monkeypatch.setattr(catalogue, "ugettext", lambda self, s: asked.append(s) or original(self, s))
    assert client.get(path).status_code == 200
    monkeypatch.setattr(catalogue, "ugettext", original)
    return len(asked)
