"""Password hashing (argon2id, OWASP parameters) and the ASVS 5.0 6.2 password rules."""

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sync_server.contract import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from sync_server.errors import UnprocessableEntity

# OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16)

# Verified for unknown emails so an unknown account takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for equal timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown user) spend the same time and answer False."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = resources.files("sync_server.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in lines.splitlines() if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, *, email: str = "") -> None:
    """ASVS 5.0 6.2: length 8..256 with no composition rules and no truncation; not a common password.

    Raises:
        UnprocessableEntity: with the rule the password breaks.
    """
    if len(password) < PASSWORD_MIN_LENGTH:
        raise UnprocessableEntity(f"The password needs at least {PASSWORD_MIN_LENGTH} characters.")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise UnprocessableEntity(f"The password may have at most {PASSWORD_MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords():
        raise UnprocessableEntity("That password is on the list of commonly used passwords; choose another.")
    local_part = email.split("@", 1)[0].lower()
    if email and (lowered == email.lower() or (len(local_part) >= 4 and lowered == local_part)):
        raise UnprocessableEntity("The password must not be your email address.")
