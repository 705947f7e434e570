"""`SAMSPILL_BASE_URL` gives links made outside a request their address (core.config.apply_base_url):
a published notice written by the command line, a job or the demo's seeding names the portal."""

from __future__ import annotations

import pytest
from flask import url_for

from core import create_app
from core.db import db


def _app(app, tmp_path, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "INSTANCE_PATH": str(tmp_path / "base-url"), "TESTING": True,
                       "SECRET_KEY": "x", **config})


def test_links_outside_a_request_use_the_base_url(app, tmp_path):
    instance = _app(app, tmp_path, SAMSPILL_BASE_URL="https://anskaffelser.example.no/samspill/")
    with instance.app_context():
        assert url_for("supplier.index", _external=True).startswith(
            "https://anskaffelser.example.no/samspill/")
        db.session.remove()
    # other host names are still served (Flask 3.1: SERVER_NAME does not refuse them)
    assert instance.test_client().get("/healthz", base_url="http://10.0.0.7:8000").status_code == 200


def test_without_a_base_url_a_link_outside_a_request_is_refused(app, tmp_path):
    instance = _app(app, tmp_path)
    with instance.app_context(), pytest.raises(RuntimeError, match="SERVER_NAME"):
        url_for("supplier.index", _external=True)


def test_a_set_server_name_wins(app, tmp_path):
    instance = _app(app, tmp_path, SAMSPILL_BASE_URL="https://a.example.no", SERVER_NAME="b.example.no")
    with instance.app_context():
        assert url_for("supplier.index", _external=True).startswith("http://b.example.no/")


@pytest.mark.parametrize("base", ["anskaffelser.example.no", "ftp://x.example.no", "https://x.no/?a=1"])
def test_a_base_url_that_is_not_an_http_address_is_refused_at_start(app, tmp_path, base):
    with pytest.raises(ValueError, match="SAMSPILL_BASE_URL must be an http"):
        _app(app, tmp_path, SAMSPILL_BASE_URL=base)
