"""Shared fixtures: isolated settings directories, real services, virtual audio."""

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import pulse as pulse_support
from tests.support import s3 as s3_support
from tests.support.services import IN_CI, redis_namespace, temporary_postgres_database

pytest_plugins = ["tests.support.server"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("INTERVIEW_UI_THREAD_GUARD", "strict")  # Qt touched off the GUI thread: raise


@pytest.fixture(autouse=True)
def no_qt_off_the_gui_thread() -> Iterator[None]:
    """Fail the test when anything ran a GUI-thread-only entry point on another thread (ui.tasks guard).

    A violation on a worker thread may be swallowed where it was raised; the record is not.
    """
    tasks = sys.modules.get("ui.tasks")
    seen = len(tasks.thread_violations) if tasks is not None else 0
    yield
    tasks = sys.modules.get("ui.tasks")
    if tasks is not None and len(tasks.thread_violations) > seen:
        new = tasks.thread_violations[seen:]
        del tasks.thread_violations[seen:]
        pytest.fail("Qt touched off the GUI thread: " + "; ".join(new), pytrace=False)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test ever reads or writes the user's real config or data directories."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    for var in list(os.environ):
        if var.startswith(("INTERVIEW_STATION_", "INTERVIEW_SERVER_")) or var in {
            "DATABASE_URL",
            "REDIS_URL",
        }:
            monkeypatch.delenv(var)
    monkeypatch.setenv("INTERVIEW_SERVER_LOG_JSON", "true")
    _clear_settings_caches()
    yield home
    _clear_settings_caches()


def _clear_settings_caches() -> None:
    import desktop_app.config
    import sync_server.config

    desktop_app.config.get_settings.cache_clear()
    sync_server.config.get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A freshly created, empty PostgreSQL database for this test session (dropped at the end)."""
    with temporary_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def redis_config() -> Iterator[tuple[str, str]]:
    """(url, key prefix) on the real Redis; the prefix's keys are removed at the end."""
    with redis_namespace() as config:
        yield config


@pytest.fixture(scope="session")
def pulseaudio() -> Iterator[pulse_support.PulseAudio]:
    """PulseAudio with a virtual speaker and a virtual microphone we can play into."""
    missing = pulse_support.missing_tools()
    if missing:
        message = f"PulseAudio tools missing: {', '.join(missing)}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = pulse_support.start_pulseaudio()
    previous = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH")}
    os.environ.update({k: server.env[k] for k in previous})
    try:
        yield server
    finally:
        server.stop()
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[s3_support.S3Endpoint]:
    """A local S3-compatible server (moto's server mode) for this test session."""
    with s3_support.moto_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
