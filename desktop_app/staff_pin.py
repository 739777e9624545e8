"""The staff PIN that guards the kiosk's exit and station setup.

Stored only as a salted scrypt hash (stdlib; argon2 is a server dependency) in the station config
(`staff_pin_hash`). Wrong tries are counted in the station database, so pulling the plug does not
reset the lock: five wrong tries lock the PIN for a while.
"""

import base64
import hashlib
import hmac
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.errors import StationError
from desktop_app.store.database import ensure_schema

SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # about 16 MiB and 50 ms: fine for a PIN typed by hand
MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 12
MAX_WRONG_TRIES = 5
LOCK_SECONDS = 300

_SCHEMA = [
    "CREATE TABLE staff_pin_tries (id INTEGER PRIMARY KEY CHECK (id = 1), wrong INTEGER NOT NULL, "
    "locked_until REAL NOT NULL)"
]


class StaffPinError(StationError):
    """The staff PIN is not valid, not set, or locked."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_pin_format(pin: str) -> str:
    if not (pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS):
        raise StaffPinError(
            f"A staff PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits.", fix="Choose a PIN of digits only."
        )
    return pin


def hash_pin(pin: str) -> str:
    """`scrypt$n$r$p$salt$hash` for the station config."""
    check_pin_format(pin)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=64 * 1024 * 1024,
        )
    except ValueError:  # a malformed stored hash never matches
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class PinCheck:
    accepted: bool
    tries_left: int
    locked_for_seconds: float

    @property
    def message(self) -> str:
        if self.accepted:
            return "PIN accepted."
        if self.locked_for_seconds > 0:
            minutes = max(1, round(self.locked_for_seconds / 60))
            return f"Too many wrong PINs. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        return f"Wrong PIN. {self.tries_left} tr{'ies' if self.tries_left != 1 else 'y'} left."


class StaffPinGuard:
    """Checks PINs against the stored hash, counting wrong tries durably."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        stored_hash: str | None,
        *,
        clock: Callable[[], float] = time.time,
        max_wrong: int = MAX_WRONG_TRIES,
        lock_seconds: float = LOCK_SECONDS,
    ) -> None:
        ensure_schema(connection, "staff_pin", _SCHEMA)
        self._db = connection
        self._stored = stored_hash
        self._clock = clock
        self._max_wrong = max_wrong
        self._lock_seconds = lock_seconds

    @property
    def is_set(self) -> bool:
        return bool(self._stored)

    def _state(self) -> tuple[int, float]:
        row = self._db.execute("SELECT wrong, locked_until FROM staff_pin_tries WHERE id = 1").fetchone()
        return (int(row["wrong"]), float(row["locked_until"])) if row else (0, 0.0)

    def _save(self, wrong: int, locked_until: float) -> None:
        self._db.execute(
            "INSERT INTO staff_pin_tries (id, wrong, locked_until) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET wrong = excluded.wrong, locked_until = excluded.locked_until",
            (wrong, locked_until),
        )

    def locked_for(self) -> float:
        _, locked_until = self._state()
        return max(0.0, locked_until - self._clock())

    def check(self, pin: str) -> PinCheck:
        """Accept or refuse `pin`; while locked, even the right PIN is refused."""
        if not self._stored:
            raise StaffPinError(
                "No staff PIN is set on this station.",
                fix="Set one with: interview-station set-pin",
            )
        wrong, locked_until = self._state()
        now = self._clock()
        if locked_until > now:
            return PinCheck(False, 0, locked_until - now)
        if locked_until and wrong >= self._max_wrong:  # the lock has expired: a fresh round of tries
            wrong = 0
        if pin_matches(pin, self._stored):
            self._save(0, 0.0)
            return PinCheck(True, self._max_wrong, 0.0)
        wrong += 1
        if wrong >= self._max_wrong:
            self._save(wrong, now + self._lock_seconds)
            return PinCheck(False, 0, self._lock_seconds)
        self._save(wrong, 0.0)
        return PinCheck(False, self._max_wrong - wrong, 0.0)
