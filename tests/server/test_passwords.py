"""Password hashing at its production cost: argon2id with argon2-cffi's parameters."""

from __future__ import annotations

import pytest

from server.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password

pytestmark = pytest.mark.real_password_cost


def test_hash_is_argon2id_at_production_cost() -> None:
    stored = hash_password("a-long-enough-password")
    assert stored.startswith("$argon2id$")
    assert "m=65536,t=3,p=4" in stored  # RFC 9106 low-memory profile (argon2-cffi default)
    assert verify_password(stored, "a-long-enough-password")
    assert not verify_password(stored, "a-long-enough-passwore")


def test_missing_hash_never_verifies() -> None:
    assert not verify_password(None, "a-long-enough-password")
    assert not verify_password("not-a-hash", "a-long-enough-password")


def test_short_password_is_refused() -> None:
    with pytest.raises(ValueError, match=str(MIN_PASSWORD_LENGTH)):
        hash_password("x" * (MIN_PASSWORD_LENGTH - 1))
