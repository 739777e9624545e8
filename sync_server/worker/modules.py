"""Modules that register background jobs. Add yours here so the worker and the server know every job."""

import importlib

JOB_MODULES = (
    "sync_server.auth.jobs",
    "sync_server.candidates.jobs",
    "sync_server.interviews.jobs",
    "sync_server.invites.jobs",
    "sync_server.screening.jobs",
    "sync_server.scoring.jobs",
    "sync_server.uploads.jobs",
)


def import_job_modules() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)
