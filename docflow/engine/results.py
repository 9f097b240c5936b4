"""The result backend the watcher reads by polling: Redis, without a subscription per job.

Celery's Redis backend subscribes to each job's channel when it is sent, so that a caller may
block on it; the dispatcher never blocks, it reads every job in flight with one MGET. Skipping
the subscription saves a round trip per job each way, and a subscription broken by a Redis
restart can no longer stop the watcher ("Retry limit exceeded … must be restarted")."""

from __future__ import annotations

from typing import Any

from celery.backends.redis import RedisBackend

NAME = "docflow.engine.results:PolledRedisBackend"


class PolledRedisBackend(RedisBackend):
    """Redis results, read by polling only."""

    def on_task_call(self, producer: Any, task_id: str) -> None:
        """No subscription: answers are polled (see the dispatcher)."""
