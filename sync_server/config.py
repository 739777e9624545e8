"""Server settings: one pydantic-settings object, from environment variables.

With no DATABASE_URL / REDIS_URL the server runs embedded: a SQLite file, in-process
cache/limiter/queue and a media folder under the platform data directory.
"""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"changethis", "changeme", "secret", "please-change", "dev", "test"})
MIN_SECRET_LENGTH = 32


def default_data_dir() -> Path:
    return platformdirs.user_data_path("interview-server", appauthor=False)


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTERVIEW_SERVER_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "INTERVIEW_SERVER_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "INTERVIEW_SERVER_REDIS_URL")
    )
    redis_key_prefix: str = "interview:"
    secret_key: SecretStr | None = Field(
        default=None, description="Signs access tokens. Generated and kept in data_dir when unset."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = True
    max_request_bytes: int = Field(default=1_048_576, ge=1024)
    max_cv_upload_bytes: int = Field(default=10 * 1_048_576, ge=1024)
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    refresh_token_days: int = Field(default=7, ge=1, le=30)
    token_issuer: str = "interview-server"  # noqa: S105  (a name, not a secret)
    # Per-user / per-station API budget; login and access-code limits are fixed in sync_server.ratelimit.
    api_rate_limit: str = "600/minute"
    station_rate_limit: str = "1200/minute"
    # Embedded mode runs background jobs in a thread of the server process; set false to run none.
    embedded_worker: bool = True

    # Media storage and resumable uploads (tus).
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_part_size: int = Field(default=8 * 1024 * 1024, ge=5 * 1024 * 1024)
    upload_max_size: int = Field(default=4 * 1024**3, ge=1, description="Tus-Max-Size in bytes.")
    upload_expiry_hours: int = Field(default=72, ge=1, description="Incomplete uploads expire after this.")
    interview_abandoned_after_hours: int = Field(
        default=48,
        ge=1,
        description="An interview in progress with no station activity for this long is marked expired.",
    )

    # AI (scoring, question generation, CV screening, matching). Keys never appear in logs or reprs.
    ai_providers: str = Field(
        default="openai,gemini,local",
        description="Fallback order, comma-separated; providers without a key are skipped; 'local' needs no network.",
    )
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = Field(
        default=None, description="An OpenAI-compatible server, e.g. http://host:8080/v1."
    )
    openai_model: str = "gpt-4o-mini"
    gemini_api_key: SecretStr | None = None
    gemini_base_url: str | None = None
    gemini_model: str = "gemini-2.0-flash"
    ai_timeout_seconds: float = Field(default=30.0, gt=0)
    ai_max_attempts: int = Field(default=3, ge=1, le=10)
    ai_retry_base_seconds: float = Field(default=1.0, ge=0)
    ai_breaker_failures: int = Field(default=5, ge=1)
    ai_breaker_cooldown_seconds: float = Field(default=60.0, gt=0)
    ai_monthly_token_cap: int | None = Field(
        default=None, ge=1, description="Per organization; when reached, only the local provider serves."
    )
    embedding_model_dir: Path | None = Field(
        default=None,
        description="A sentence-transformers model directory; default: the bundled all-MiniLM-L6-v2.",
    )
    cv_max_bytes: int = Field(default=10 * 1_048_576, ge=1024)
    chroma_url: str | None = Field(
        default=None,
        description="A Chroma server (http://host:8000) for CV vectors. Needed when separate worker processes "
        "or hosts write vectors that the API serves; unset, vectors live in data_dir/vectors (one process).",
    )

    @field_validator("database_url")
    @classmethod
    def _normalize_database_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        if not value.startswith(("postgresql+psycopg://", "sqlite://")):
            raise ValueError("DATABASE_URL must be a postgresql:// or sqlite:// URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("ai_providers")
    @classmethod
    def _check_ai_providers(cls, value: str) -> str:
        names = [name.strip().lower() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - {"openai", "gemini", "local"})
        if unknown or not names:
            raise ValueError(
                f"INTERVIEW_SERVER_AI_PROVIDERS must list openai, gemini and/or local (got {value!r})"
            )
        return ",".join(names)

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholder_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.lower() in PLACEHOLDER_SECRETS or len(raw) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"INTERVIEW_SERVER_SECRET_KEY must be a random string of at least "
                f"{MIN_SECRET_LENGTH} characters (try: python -c 'import secrets; "
                f"print(secrets.token_urlsafe(48))')"
            )
        return value

    @model_validator(mode="after")
    def _production_needs_real_services(self) -> "ServerSettings":
        if self.environment == "production" and self.secret_key is None:
            raise ValueError("production needs INTERVIEW_SERVER_SECRET_KEY to be set")
        return self

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> "ServerSettings":
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise ValueError("INTERVIEW_SERVER_STORAGE_BACKEND=s3 needs INTERVIEW_SERVER_S3_BUCKET")
        return self

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'interview.db'}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def ai_provider_order(self) -> list[str]:
        return self.ai_providers.split(",")

    @property
    def vector_dir(self) -> Path:
        return self.data_dir / "vectors"

    def signing_key(self) -> str:
        """The token signing key: configured, or generated once and kept (0600) in data_dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        tmp = key_file.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(key)
        tmp.replace(key_file)
        return key


@lru_cache
def get_settings() -> ServerSettings:
    return ServerSettings()
