"""The ceiling endpoint: the least a Flask + SQLAlchemy + marshmallow request can cost here.

`GET /_bench/ceiling` lists 20 rows of one table (tenants, by slug) through the same app,
middleware and database as every other endpoint, but with no principal, no access checks
and no templates. Every benchmark figure is reported as a ratio to it, measured in the same
run, so numbers from different machines compare. Mounted only when `SAMSPILL_BENCH_CEILING=1`
(the benchmark app); never in production.
"""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from marshmallow import Schema, fields
from sqlalchemy import select

from core.db import db
from tenants.models import Tenant

CEILING_PATH = "/_bench/ceiling"

bp = Blueprint("bench_ceiling", __name__)


class CeilingRowSchema(Schema):
    """One tenant row as the ceiling endpoint serialises it."""

    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    org_number = fields.String(allow_none=True)
    created_at = fields.DateTime()


_rows_schema = CeilingRowSchema(many=True)


@bp.get(CEILING_PATH)
def ceiling():
    rows = db.session.execute(select(Tenant).order_by(Tenant.slug).limit(20)).scalars().all()
    return jsonify(items=_rows_schema.dump(rows))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
