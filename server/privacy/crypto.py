"""Authenticated encryption of personal values and keyed look-up hashes.

A :class:`KeyRing` holds every data key by id, which one is active, and the
separate look-up key. :meth:`KeyRing.encrypt` uses AES-256-GCM with a fresh
96-bit nonce; the blob it returns is::

    0x01 | len(key_id) | key_id | nonce (12) | ciphertext + tag (16)

The associated data binds a blob to its key id and to its *context*
(``table/column/row id``), so a blob copied into another row or field, or a
flipped byte anywhere, is refused with :class:`DecryptError`. Look-up hashes
are HMAC-SHA256 under the look-up key over a normalised value with a kind
prefix (``nik:``, ``email:``); that key is never rotated with the data keys.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptError(ValueError):
    """A blob could not be decrypted: tampered, moved, or its key is unknown."""


def context(table: str, column: str, row_id: int) -> bytes:
    """The associated data that ties a ciphertext to one field of one row."""
    return f"loket/{table}/{column}/{row_id}".encode()


@dataclass(frozen=True)
class KeyRing:
    """Data keys by id (one active) plus the look-up HMAC key."""

    keys: dict[str, bytes]
    active_id: str
    lookup_key: bytes
    retired: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.active_id not in self.keys:
            raise ValueError("the active key id is not in the key ring")
        if any(len(k) != KEY_BYTES for k in self.keys.values()) or len(self.lookup_key) < 32:
            raise ValueError("keys must be 32 bytes")

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> bytes:
        """Encrypt under the active key, bound to ``aad`` (see :func:`context`)."""
        kid = self.active_id.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = _cipher(self.keys[self.active_id]).encrypt(nonce, plaintext, _aad(kid, aad))
        return bytes([FORMAT_VERSION, len(kid)]) + kid + nonce + sealed

    def decrypt(self, blob: bytes, *, aad: bytes) -> bytes:
        """The plaintext of ``blob``; raises :class:`DecryptError` on any mismatch."""
        kid, nonce, sealed = split_blob(blob)
        key = self.keys.get(kid.decode("ascii", errors="replace"))
        if key is None:
            raise DecryptError("unknown key id")
        from cryptography.exceptions import InvalidTag  # lazily, as in _cipher

        try:
            return _cipher(key).decrypt(nonce, sealed, _aad(kid, aad))
        except InvalidTag:
            raise DecryptError("ciphertext failed authentication") from None

    def encrypt_text(self, value: str | None, *, aad: bytes) -> bytes | None:
        return None if value is None else self.encrypt(value.encode("utf-8"), aad=aad)

    def decrypt_text(self, blob: bytes | None, *, aad: bytes) -> str | None:
        return None if blob is None else self.decrypt(bytes(blob), aad=aad).decode("utf-8")

    def lookup_hash(self, kind: str, normalised_value: str) -> str:
        """HMAC-SHA256 (hex) of ``kind:value`` under the look-up key."""
        message = f"{kind}:{normalised_value}".encode()
        return hmac.new(self.lookup_key, message, hashlib.sha256).hexdigest()


def _cipher(key: bytes) -> AESGCM:
    # imported on first use: the cipher library maps ~7 MB into every process,
    # and a server that stores no personal data never needs it
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def split_blob(blob: bytes) -> tuple[bytes, bytes, bytes]:
    """``(key_id, nonce, ciphertext+tag)`` of a blob; DecryptError if malformed."""
    data = bytes(blob)
    if len(data) < 2 or data[0] != FORMAT_VERSION:
        raise DecryptError("unknown ciphertext format")
    kid_len = data[1]
    start = 2 + kid_len
    if len(data) < start + NONCE_BYTES + 16:
        raise DecryptError("ciphertext too short")
    return data[2:start], data[start : start + NONCE_BYTES], data[start + NONCE_BYTES :]


def key_id_of(blob: bytes) -> str:
    """The id of the key that encrypted ``blob``."""
    return split_blob(blob)[0].decode("ascii", errors="replace")


def _aad(kid: bytes, aad: bytes) -> bytes:
    return b"loket-v1|" + kid + b"|" + aad
