"""Bearer tokens for staff sessions and devices.

A token is 32 random bytes shown once; only its SHA-256 is stored, so a copy
of the database does not let anyone sign in. (A fast hash is right here: the
token has full entropy, unlike a password.)
"""

from __future__ import annotations

import hashlib
import secrets

SESSION_PREFIX = "ses_"
DEVICE_PREFIX = "dev_"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_tracking_token() -> str:
    """The public, unguessable id printed in a ticket's QR code."""
    return secrets.token_urlsafe(16)
