"""The clinic owner's passcode: a salted hash to configure, a constant-time check, a lockout.

The hash is `pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>`; `make passcode-hash` makes
one. Five failures in a row lock the session out for LOCKOUT_MINUTES.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
MAX_FAILURES = 5
LOCKOUT_MINUTES = 15
MIN_LENGTH = 8


def hash_passcode(passcode: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_passcode(passcode: str, stored: str) -> bool:
    """True when the passcode matches the stored hash; the digests are compared in constant time."""
    try:
        algorithm, iterations, salt_hex, digest_hex = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", passcode.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations)
        )
        return hmac.compare_digest(digest, bytes.fromhex(digest_hex))
    except ValueError:
        return False


def is_valid_hash(stored: str) -> bool:
    parts = stored.split("$")
    return len(parts) == 4 and parts[0] == ALGORITHM and parts[1].isdigit()


@dataclass(frozen=True)
class Lockout:
    """A session's run of failed tries, and until when it is locked out."""

    failures: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def failed(self, now: datetime) -> Lockout:
        failures = self.failures + 1
        if failures >= MAX_FAILURES:
            return Lockout(0, now + timedelta(minutes=LOCKOUT_MINUTES))
        return replace(self, failures=failures)

    def succeeded(self) -> Lockout:
        return Lockout()


def main() -> int:
    """Ask for a passcode twice and print the line to put in Streamlit secrets."""
    first = getpass.getpass("Owner passcode (8 characters or more): ")
    if len(first) < MIN_LENGTH:
        print(f"error: the passcode needs at least {MIN_LENGTH} characters", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != first:
        print("error: the two passcodes differ", file=sys.stderr)
        return 2
    print("Put this line in .streamlit/secrets.toml (or export it as an environment variable):")
    print(f'MASSAGE_ADVISOR_OWNER_HASH = "{hash_passcode(first)}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
