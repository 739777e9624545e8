"""Background jobs: register with `@job(...)`, put work on the queue with `enqueue(name, **kwargs)`.

See `registry.py` for how to write a job and `modules.py` to make the worker import yours.
"""

from sync_server.worker.queue import JobQueue, current_queue, enqueue, set_current_queue
from sync_server.worker.registry import JobContext, is_registered, job, registered_jobs

__all__ = [
    "JobContext",
    "JobQueue",
    "current_queue",
    "enqueue",
    "is_registered",
    "job",
    "registered_jobs",
    "set_current_queue",
]
