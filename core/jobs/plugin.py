"""The job queue as an internal plugin: the `samspill worker` command and the queue's metrics."""

from __future__ import annotations

from core.jobs import queue, worker
from core.plugin_platform.hookspecs import hookimpl


@hookimpl
def samspill_register_commands(cli) -> None:
    cli.add_command(worker.worker_command)


@hookimpl
def samspill_metric_samples():
    return queue.metric_samples()
