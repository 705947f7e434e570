"""Interactive API documentation (Swagger UI) served from the app's own files, no CDN."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template_string, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Samspill API</title>
<link rel="stylesheet" href="{{ url_for('api_docs.asset', filename='swagger-ui.css') }}"></head>
<body><div id="swagger-ui" data-spec="{{ url_for('api-docs.openapi_json') }}"></div>
<script src="{{ url_for('api_docs.asset', filename='swagger-ui-bundle.js') }}"></script>
<script src="{{ url_for('static', filename='api-docs.js') }}"></script>
</body></html>"""


@bp.get("/")
def index():
    response = render_template_string(PAGE)
    return response, 200, {
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"
    }


@bp.get("/assets/<path:filename>")
def asset(filename: str):
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
