"""Exports as an internal plugin: the API, the job that makes an export and its metrics."""

from __future__ import annotations

from core.exports import api, service
from core.plugin_platform.hookspecs import hookimpl


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_jobs():
    return {service.JOB: service.run_job}


@hookimpl
def samspill_metric_samples():
    return service.metric_samples()
