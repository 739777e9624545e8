import pytest
from pydantic import ValidationError

from desktop_app.config import config_file, load_settings
from desktop_app.errors import ConfigError
from sync_server.config import ServerSettings


def test_server_settings_default_to_embedded_sqlite_under_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEW_SERVER_DATA_DIR", str(tmp_path))
    settings = ServerSettings()
    assert settings.embedded
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'interview.db'}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url_is_normalized_to_psycopg3(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert ServerSettings().database_url == expected


def test_unsupported_database_url_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ValidationError, match="postgresql"):
        ServerSettings()


@pytest.mark.parametrize("secret", ["changethis", "secret", "short-but-random-AbC123"])
def test_placeholder_or_short_secret_key_is_refused(monkeypatch, secret):
    monkeypatch.setenv("INTERVIEW_SERVER_SECRET_KEY", secret)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        ServerSettings()


def test_production_requires_a_configured_secret(monkeypatch):
    monkeypatch.setenv("INTERVIEW_SERVER_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        ServerSettings()


def test_generated_signing_key_is_kept_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEW_SERVER_DATA_DIR", str(tmp_path))
    first = ServerSettings().signing_key()
    assert first == ServerSettings().signing_key()
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_station_settings_read_toml_and_env_wins(monkeypatch):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('camera = "demo.mp4"\ntts_rate = 150\n')
    monkeypatch.setenv("INTERVIEW_STATION_TTS_RATE", "180")
    settings = load_settings()
    assert settings.camera == "demo.mp4"
    assert settings.tts_rate == 180


def test_station_settings_errors_name_the_field_and_the_file():
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("video_fps = 1000\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "video_fps" in info.value.message
    assert str(path) in (info.value.fix or "")


def test_broken_station_toml_is_a_clear_error():
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("camera = [unclosed\n")
    with pytest.raises(ConfigError, match="could not be read"):
        load_settings()
