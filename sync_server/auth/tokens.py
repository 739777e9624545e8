"""Access tokens: short-lived JWTs (HS256 only, iss/aud/exp/iat/sub required)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from sync_server.config import ServerSettings
from sync_server.errors import Unauthorized

ALGORITHM = "HS256"
AUDIENCE = "interview-station-api"
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    organization_id: str
    role: str
    family_id: str
    issued_at: datetime


def issue_access_token(
    settings: ServerSettings, *, user_id: str, organization_id: str, role: str, family_id: str
) -> tuple[str, int]:
    """Returns (token, seconds until it expires)."""
    now = datetime.now(UTC)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims = {
        "iss": settings.token_issuer,
        "aud": AUDIENCE,
        "sub": user_id,
        "org": organization_id,
        "role": role,
        "fam": family_id,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=ALGORITHM), int(lifetime.total_seconds())


def read_access_token(settings: ServerSettings, token: str) -> AccessClaims:
    """Verify signature, algorithm, issuer, audience and expiry.

    Raises:
        Unauthorized: for any token that is not one of ours, or expired.
    """
    try:
        claims = jwt.decode(
            token,
            settings.signing_key(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=settings.token_issuer,
            options={"require": _REQUIRED_CLAIMS},
            leeway=5,
        )
        return AccessClaims(
            user_id=str(claims["sub"]),
            organization_id=str(claims["org"]),
            role=str(claims["role"]),
            family_id=str(claims["fam"]),
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The access token has expired; refresh it.", headers=BEARER_CHALLENGE) from None
    except (jwt.InvalidTokenError, KeyError, ValueError, TypeError):
        raise Unauthorized("The access token is not valid.", headers=BEARER_CHALLENGE) from None


BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
