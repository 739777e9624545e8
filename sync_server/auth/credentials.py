"""Random credentials and how they are stored: only hashes ever reach the database.

Access codes and enrollment codes are short (typed by people), so they are stored as an HMAC keyed
with the server secret: a stolen database alone cannot be brute-forced offline. Station credentials
and refresh tokens are long random strings; a plain SHA-256 is enough for them.
"""

import hashlib
import hmac
import secrets

from sync_server.contract import ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH

STATION_CREDENTIAL_PREFIX = "ist_"
ENROLLMENT_CODE_LENGTH = 12


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(value: str, *, key: str, purpose: str) -> str:
    """HMAC-SHA256 of a short code, separated by purpose so one code type never matches another."""
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def generate_code(length: int) -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(length))


def generate_access_code() -> str:
    return generate_code(ACCESS_CODE_LENGTH)


def generate_enrollment_code() -> str:
    return generate_code(ENROLLMENT_CODE_LENGTH)


def normalize_code(typed: str) -> str:
    """What a person typed -> the canonical code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def format_code(code: str) -> str:
    """Groups of four for reading aloud and typing: ABCD-EFGH-JK."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def generate_station_credential() -> str:
    return STATION_CREDENTIAL_PREFIX + secrets.token_urlsafe(32)


def generate_refresh_token() -> str:
    return secrets.token_urlsafe(32)
