"""The Celery application of a campaign: the broker, the two tasks' names and the settings that
make a job safe to lose a worker over.

    watcher ──send_task("docflow.file", work, unit)──▶ Redis ──▶ worker process ──▶ run_job
            ◀──────────── result (Redis) ─────────────────────────┘

Every worker process opens its own workspace (ledger connection, LibreOffice) when it starts
(worker_process_init), never shared across a fork.
"""

from __future__ import annotations

from typing import Any

from docflow.config import Config

QUEUE = "docflow"
FILE_TASK, REFRESH_TASK = "docflow.file", "docflow.refresh"
# A message taken but not acknowledged comes back after this many seconds beyond the file's own
# limit (a machine that died whole; a worker process that dies is noticed at once).
VISIBILITY_MARGIN = 60.0
POLLED = "docflow.engine.results:PolledRedisBackend"


def make_app(config: Config) -> Any:
    """A Celery app for this config's broker, with acks_late, prefetch 1 and retrying links."""
    from celery import Celery

    broker = config.engine.broker
    results = config.engine.result_backend or broker
    if results.startswith(("redis://", "rediss://")):
        results = f"{POLLED}+{results}"  # the dispatcher polls; no subscription per job
    app = Celery("docflow", broker=broker, backend=results, set_as_current=False)
    visibility = config.watch.file_timeout_seconds + VISIBILITY_MARGIN
    redis_links = {"socket_connect_timeout": 3, "socket_timeout": 10,
                   "retry_on_timeout": True}
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_default_queue=QUEUE,
        # A job is acknowledged when it ends, not when it starts: a worker that dies mid-file
        # gives it back, and the ledger's claim makes running it twice harmless.
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_track_started=True,
        task_time_limit=config.watch.file_timeout_seconds,
        broker_transport_options={"visibility_timeout": visibility, **redis_links},
        broker_connection_retry_on_startup=True, broker_connection_max_retries=None,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_publish_retry=True,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                                   "interval_max": 1},
        result_backend_always_retry=True, result_backend_max_retries=1000,
        result_backend_transport_options={"retry_policy": {"timeout": 600.0}},
        redis_socket_connect_timeout=3, redis_socket_timeout=10, redis_retry_on_timeout=True,
        result_expires=7 * 24 * 3600,
        worker_hijack_root_logger=False, worker_redirect_stdouts=False,
        worker_send_task_events=False, task_send_sent_event=False,
    )
    return app
