"""Station settings: environment variables (INTERVIEW_STATION_*) over a TOML file in the config dir."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from desktop_app.errors import ConfigError

APP_NAME = "interview-station"


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "station.toml"


class StationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTERVIEW_STATION_", extra="ignore")

    data_dir: Path = Field(default_factory=data_dir)
    server_url: str | None = None

    camera: str = Field(default="0", description="A camera index, or a video file standing in for a camera.")
    camera_file_loop: bool = True
    microphone: str | None = Field(
        default=None, description="sounddevice input name or index; None = default."
    )
    speaker: str | None = Field(default=None, description="sounddevice output name or index; None = default.")

    # 640x480: at 1280x720 a 2-core station dropped 4 % of frames while transcribing
    # (tests/benchmarks/bench_recording.py); raise it on stronger hardware.
    video_width: int = Field(default=640, ge=160, le=3840)
    video_height: int = Field(default=480, ge=120, le=2160)
    video_fps: int = Field(default=30, ge=5, le=60)
    video_bitrate: int = Field(default=1_200_000, ge=100_000)
    audio_sample_rate: int = Field(default=48_000, ge=8_000, le=96_000)
    video_container: Literal["mp4", "webm"] = Field(
        default="mp4", description="mp4: H.264 + AAC (plays everywhere); webm: VP8 + Opus (needs 48 kHz)."
    )
    video_x264_preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"] = "ultrafast"

    demo_stand_ins: bool = Field(
        default=False,
        description="Demo only: a generated video and voice stand in for a missing camera or microphone.",
    )

    tts_voice: str | None = None
    tts_rate: int = Field(default=165, ge=60, le=400)

    speech_model_dir: Path | None = Field(
        default=None, description="A CTranslate2 Whisper model directory; default: the bundled tiny.en."
    )
    speech_compute_type: Literal["int8", "int8_float32", "float32", "float16"] = "int8"
    speech_threads: int = Field(default=2, ge=1, le=64)
    speech_beam_size: int = Field(default=5, ge=1, le=10)
    speech_language: str | None = "en"

    sync_chunk_bytes: int = Field(default=4 * 1024 * 1024, ge=64 * 1024, le=256 * 1024 * 1024)
    sync_backoff_max_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    media_retention_days: float = Field(
        default=7.0, ge=0.0, description="Keep sent recordings this long after the server confirmed them."
    )

    staff_pin_hash: str | None = Field(
        default=None, description="scrypt hash of the staff PIN (set with `interview-station set-pin`)."
    )
    kiosk_idle_seconds: float = Field(default=90.0, ge=5.0, le=3600.0)
    kiosk_idle_warning_seconds: int = Field(default=30, ge=3, le=300)
    kiosk_finish_seconds: int = Field(default=20, ge=3, le=600)
    kiosk_practice_think_seconds: int = Field(default=10, ge=0, le=600)
    kiosk_practice_answer_seconds: int = Field(default=45, ge=5, le=600)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_file()))

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def tts_cache_dir(self) -> Path:
        """Spoken questions rendered once (keyed by text, voice and rate)."""
        return self.data_dir / "tts-cache"

    @property
    def station_db_path(self) -> Path:
        return self.data_dir / "station.db"

    @property
    def identity_file(self) -> Path:
        """The station's enrollment (server URL and credential), readable by its user only."""
        return self.data_dir / "station-identity.json"


def load_settings(**overrides: object) -> StationSettings:
    """Read settings, turning validation errors into one readable ConfigError."""
    try:
        return StationSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(
            f"The station settings are not valid ({problems}).",
            fix=f"Correct the value in {config_file()} or the INTERVIEW_STATION_* environment variable.",
        ) from None
    except Exception as exc:  # a TOML syntax error surfaces here
        raise ConfigError(
            f"The station settings file could not be read ({exc}).",
            fix=f"Fix or remove {config_file()}.",
        ) from None


@lru_cache
def get_settings() -> StationSettings:
    return load_settings()


def save_settings_values(values: dict[str, str | int | float | bool | None]) -> Path:
    """Write `values` into the station's TOML file, keeping every other key; None removes a key.

    The values are validated before anything is written, and the file is replaced atomically, so a
    bad value or a power cut never leaves the station unable to start.
    """
    import os
    import tomllib

    import tomli_w

    path = config_file()
    try:
        current = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"The station settings file could not be read ({exc}).", fix=f"Fix or remove {path}."
        ) from None
    for key, value in values.items():
        if key not in StationSettings.model_fields:
            raise ConfigError(f"'{key}' is not a station setting.")
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    try:
        StationSettings.model_validate(current)  # the file's values alone, before anything is written
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"These station settings are not valid ({problems}).") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(tomli_w.dumps(current))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    get_settings.cache_clear()
    return path
