"""Exports as an internal plugin: the API, the jobs that make an export and sweep stuck ones,
the `samspill exports` command and the metrics."""

from __future__ import annotations

from core.exports import api, service, sweeper
from core.plugin_platform.hookspecs import hookimpl


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_jobs():
    return {service.JOB: service.run_job, sweeper.JOB: sweeper.run_job}


@hookimpl
def samspill_periodic_jobs():
    return sweeper.PERIODIC


@hookimpl
def samspill_register_commands(cli):
    cli.add_command(sweeper.exports_group)


@hookimpl
def samspill_metric_samples():
    return service.metric_samples()
