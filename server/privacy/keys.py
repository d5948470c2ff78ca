"""The key file: creation (0600), loading, reloading, and adding a rotation key.

The file is JSON::

    {"format": "loket-keys/1", "active": "<id>",
     "keys": {"<id>": {"key": "<base64>", "created_at": "...", "retired_at": null}},
     "lookup_key": "<base64>"}

It lives at ``settings.resolved_key_file`` (default ``data_dir/keys.json``),
never in the repository, and is written atomically (temp file + rename) under
an exclusive lock. :class:`KeyFile` re-reads it when it changes on disk, so a
running server picks up a new active key during ``loket keys rotate`` without
a restart. Lose this file and the personal data is gone: back it up apart
from the database.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import os
import secrets
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server.privacy.crypto import KEY_BYTES, KeyRing

FORMAT = "loket-keys/1"
log = logging.getLogger("loket.privacy.keys")


class KeyFileError(RuntimeError):
    """The key file is missing, unreadable or malformed."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _new_key_id(existing: set[str]) -> str:
    while True:
        kid = "k" + secrets.token_hex(4)
        if kid not in existing:
            return kid


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_key_document() -> dict[str, Any]:
    kid = _new_key_id(set())
    return {
        "format": FORMAT,
        "active": kid,
        "keys": {
            kid: {
                "key": _b64(secrets.token_bytes(KEY_BYTES)),
                "created_at": _now(),
                "retired_at": None,
            }
        },
        "lookup_key": _b64(secrets.token_bytes(32)),
    }


def parse_key_document(doc: dict[str, Any]) -> KeyRing:
    try:
        if doc.get("format") != FORMAT:
            raise KeyFileError("the key file has an unknown format")
        keys = {kid: base64.b64decode(entry["key"]) for kid, entry in doc["keys"].items()}
        retired = frozenset(kid for kid, e in doc["keys"].items() if e.get("retired_at"))
        return KeyRing(keys, doc["active"], base64.b64decode(doc["lookup_key"]), retired)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"the key file is malformed ({type(exc).__name__})") from None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_atomic(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_key_document(path: Path) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"no key file at {path}; run `loket keys init`") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise KeyFileError(f"cannot read the key file ({type(exc).__name__})") from None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("Key file %s is readable by others (mode %o); chmod 600 it.", path, mode)
    return doc


def init_key_file(path: Path) -> bool:
    """Create a new key file (mode 0600); False if one already exists."""
    with _locked(path):
        if path.exists():
            return False
        _write_atomic(path, new_key_document())
        return True


def add_rotation_key(path: Path) -> tuple[str, set[str]]:
    """Add a fresh key and make it active; returns ``(new_id, old_ids)``."""
    with _locked(path):
        doc = read_key_document(path)
        parse_key_document(doc)
        old = set(doc["keys"])
        kid = _new_key_id(old)
        doc["keys"][kid] = {
            "key": _b64(secrets.token_bytes(KEY_BYTES)),
            "created_at": _now(),
            "retired_at": None,
        }
        doc["active"] = kid
        _write_atomic(path, doc)
        return kid, old


def retire_keys(path: Path, key_ids: set[str], *, drop: bool = False) -> None:
    """Mark keys as retired (no data uses them any more), or remove them."""
    with _locked(path):
        doc = read_key_document(path)
        for kid in key_ids:
            if kid == doc["active"] or kid not in doc["keys"]:
                continue
            if drop:
                del doc["keys"][kid]
            else:
                doc["keys"][kid]["retired_at"] = doc["keys"][kid].get("retired_at") or _now()
        _write_atomic(path, doc)


class KeyFile:
    """A key file that is re-read whenever it changes on disk."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        self.create = create
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._ring: KeyRing | None = None

    def ring(self) -> KeyRing:
        """The current key ring (creating the file on first use if allowed)."""
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                if not self.create:
                    raise KeyFileError(
                        f"no key file at {self.path}; run `loket keys init`"
                    ) from None
                init_key_file(self.path)
                log.info("Created a new key file at %s (mode 0600); back it up.", self.path)
                st = os.stat(self.path)
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self._ring is None or stamp != self._stamp:
                self._ring = parse_key_document(read_key_document(self.path))
                self._stamp = stamp
            return self._ring


_files: dict[Path, KeyFile] = {}
_files_lock = threading.Lock()


def key_file_for(path: Path, *, create: bool = True) -> KeyFile:
    """The process-wide :class:`KeyFile` for ``path``."""
    resolved = path.resolve()
    with _files_lock:
        kf = _files.get(resolved)
        if kf is None:
            kf = _files[resolved] = KeyFile(resolved, create=create)
        return kf
