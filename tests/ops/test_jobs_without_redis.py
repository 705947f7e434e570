"""Without Redis the embedded default stays: nothing is queued (callers do the work as before)
and `samspill worker` refuses with one line naming the setting."""

from __future__ import annotations

from core.jobs import queue


def test_nothing_is_queued_without_redis(app):
    with app.app_context():
        assert not queue.configured()
        assert queue.enqueue("notifications.deliver", key="k") is False
        assert queue.metric_samples() == []


def test_the_worker_needs_redis(runner):
    result = runner.invoke(args=["worker", "--no-scheduler"])
    assert result.exit_code != 0
    assert "SAMSPILL_REDIS_URL" in result.output
