"""Login, token refresh and the signed-in user."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from sync_server.contract.base import ContractModel

# ASVS 5.0 6.2: at least 8 characters, 64+ allowed, no composition rules, no truncation.
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256


class Role(StrEnum):
    admin = "admin"
    hr = "hr"


class LoginRequest(ContractModel):
    email: str = Field(min_length=3, max_length=320, examples=["hr@example.org"])
    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires.")


class RefreshRequest(ContractModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutRequest(ContractModel):
    refresh_token: str | None = Field(
        default=None, max_length=512, description="Also revoke this refresh token's family."
    )


class PasswordChange(ContractModel):
    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)
    new_password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)


class CurrentUserInfo(BaseModel):
    id: str
    email: str
    full_name: str
    role: Role
    organization_id: str
    organization_name: str
    last_login_at: datetime | None = None
