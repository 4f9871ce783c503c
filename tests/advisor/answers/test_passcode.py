"""The owner passcode: salted hash, constant-time check, lockout after five failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from advisor.answers.passcode import (
    LOCKOUT_MINUTES,
    MAX_FAILURES,
    Lockout,
    hash_passcode,
    is_valid_hash,
    verify_passcode,
)

FAST = 1_000  # iterations: the production count is slow on purpose
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_the_right_passcode_verifies_and_a_wrong_one_does_not():
    stored = hash_passcode("correct horse", iterations=FAST)
    assert verify_passcode("correct horse", stored)
    assert not verify_passcode("correct hors", stored)
    assert not verify_passcode("", stored)


def test_the_same_passcode_gets_a_new_salt_each_time():
    assert hash_passcode("same one", iterations=FAST) != hash_passcode("same one", iterations=FAST)


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$1000$zz$00"],
)
def test_a_malformed_hash_never_verifies(stored):
    assert not verify_passcode("anything", stored)


def test_is_valid_hash():
    assert is_valid_hash(hash_passcode("abcdefgh", iterations=FAST))
    assert not is_valid_hash("abcdefgh")


def test_five_failures_in_a_row_lock_the_session_out():
    lockout = Lockout()
    for attempt in range(MAX_FAILURES - 1):
        lockout = lockout.failed(NOW)
        assert not lockout.is_locked(NOW), attempt
    lockout = lockout.failed(NOW)
    assert lockout.is_locked(NOW)
    assert lockout.is_locked(NOW + timedelta(minutes=LOCKOUT_MINUTES - 1))
    assert not lockout.is_locked(NOW + timedelta(minutes=LOCKOUT_MINUTES))


def test_a_success_resets_the_run_of_failures():
    lockout = Lockout().failed(NOW).failed(NOW).succeeded()
    assert lockout.failures == 0
    for _ in range(MAX_FAILURES - 1):
        lockout = lockout.failed(NOW)
    assert not lockout.is_locked(NOW)
