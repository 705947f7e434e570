"""WSGI entry point: `gunicorn wsgi:app` from the repository root."""

from core import create_app

app = create_app()
