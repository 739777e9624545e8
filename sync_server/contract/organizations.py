"""The organization (tenant) and its users."""

from datetime import datetime

from pydantic import BaseModel, Field

from sync_server.contract.auth import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, Role
from sync_server.contract.base import ContractModel


class OrganizationSettings(ContractModel):
    logo_url: str | None = Field(default=None, max_length=2000)
    colors: dict[str, str] = Field(default_factory=dict, max_length=20)
    consent_version: str | None = Field(default=None, max_length=64)
    consent_text: str | None = Field(default=None, max_length=10_000)
    retention_days: int | None = Field(default=None, ge=1, le=3650)


class OrganizationOut(BaseModel):
    id: str
    name: str
    slug: str
    settings: OrganizationSettings
    created_at: datetime


class OrganizationUpdate(ContractModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    settings: OrganizationSettings | None = None


class UserCreate(ContractModel):
    email: str = Field(min_length=3, max_length=320)
    full_name: str = Field(default="", max_length=200)
    role: Role
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)


class UserUpdate(ContractModel):
    full_name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    is_active: bool | None = Field(default=None, description="False signs the user out everywhere.")


class UserOut(BaseModel):
    id: str
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None = None
