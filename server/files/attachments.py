"""Request-form attachments: type and size checks, encrypted storage outside the web root.

An upload must be a PDF or Word file (checked by its first bytes, not only its
declared type) and at most ``attachment_max_bytes``. The bytes are encrypted
with the data key (AES-GCM bound to the attachment's id) and written to
``data_dir/attachments/<unit>/<id>.bin``; nothing under that directory is ever
served by a static route — only signed-in staff get a file back, through the API.
"""

from __future__ import annotations

import os
from pathlib import Path

from server.errors import InvalidInput, LoketError, PayloadTooLarge
from server.privacy.crypto import KeyRing, context

TYPES = {
    "application/pdf": (b"%PDF-",),
    "application/msword": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}


class UnsupportedType(LoketError):
    status_code = 415
    code = "unsupported_media_type"


def check_upload(data: bytes, content_type: str, filename: str, *, max_bytes: int) -> str:
    """The upload's canonical type; raises 413, 415 or 422."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"The file is larger than {max_bytes} bytes.", code="attachment_too_large"
        )
    if not data:
        raise InvalidInput("The file is empty.", code="attachment_empty")
    name = filename.strip()
    if not name or len(name) > 200 or "/" in name or "\\" in name or name.startswith("."):
        raise InvalidInput(
            "Give the file a plain name (X-Filename header).", code="attachment_name"
        )
    kind = content_type.split(";")[0].strip().lower()
    if kind not in TYPES:
        raise UnsupportedType("Only PDF and Word files are accepted.", allowed=sorted(TYPES))
    if not any(data.startswith(magic) for magic in TYPES[kind]):
        raise UnsupportedType(f"The file's content is not {kind}.", allowed=sorted(TYPES))
    return kind


def path_of(data_dir: Path, unit_id: int, attachment_id: int) -> Path:
    return data_dir / "attachments" / str(unit_id) / f"{attachment_id}.bin"


def write(data_dir: Path, ring: KeyRing, unit_id: int, attachment_id: int, data: bytes) -> None:
    path = path_of(data_dir, unit_id, attachment_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    sealed = ring.encrypt(data, aad=context("attachments", "content", attachment_id))
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def read(data_dir: Path, ring: KeyRing, unit_id: int, attachment_id: int) -> bytes:
    sealed = path_of(data_dir, unit_id, attachment_id).read_bytes()
    return ring.decrypt(sealed, aad=context("attachments", "content", attachment_id))
