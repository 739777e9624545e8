"""The staff PIN: salted scrypt hashes, durable counting of wrong tries, a lock after five."""

import pytest

from desktop_app.staff_pin import StaffPinError, StaffPinGuard, hash_pin, pin_matches
from desktop_app.store.database import open_station_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_hash_is_salted_and_verifies():
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first != second and first.startswith("scrypt$")
    assert "2468" not in first
    assert pin_matches("2468", first) and not pin_matches("2469", first)
    assert not pin_matches("2468", "scrypt$broken") and not pin_matches("2468", "bcrypt$1$2$3$4$5")


@pytest.mark.parametrize("bad", ["12", "abcd", "12 34", "1" * 13, ""])
def test_bad_pins_are_refused_with_a_sentence(bad):
    with pytest.raises(StaffPinError, match="4 to 12 digits"):
        hash_pin(bad)


def test_five_wrong_tries_lock_even_across_a_restart(tmp_path):
    clock = FakeClock()
    stored = hash_pin("2468")
    guard = StaffPinGuard(open_station_db(tmp_path / "station.db"), stored, clock=clock)
    for left in (4, 3, 2, 1):
        check = guard.check("0000")
        assert not check.accepted and check.tries_left == left
    locked = guard.check("0000")
    assert locked.locked_for_seconds == 300 and "Too many wrong PINs" in locked.message
    # power cycle: a new guard on the same database is still locked, even for the right PIN
    guard = StaffPinGuard(open_station_db(tmp_path / "station.db"), stored, clock=clock)
    assert not guard.check("2468").accepted
    clock.now += 301
    assert guard.check("2468").accepted
    assert guard.check("1111").tries_left == 4  # a fresh round after success


def test_right_pin_resets_the_count_and_missing_pin_is_explained(tmp_path):
    clock = FakeClock()
    guard = StaffPinGuard(open_station_db(tmp_path / "s.db"), hash_pin("13579"), clock=clock)
    guard.check("0")
    guard.check("0")
    assert guard.check("13579").accepted
    assert guard.check("0").tries_left == 4
    with pytest.raises(StaffPinError, match="No staff PIN"):
        StaffPinGuard(open_station_db(tmp_path / "s.db"), None).check("1234")
