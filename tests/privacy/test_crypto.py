"""Encryption, key file and masking: pure tests, no database."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from server.domain.queue import PRIORITY_REASONS
from server.i18n import catalog
from server.privacy.crypto import DecryptError, KeyRing, context, key_id_of
from server.privacy.form import form_definition
from server.privacy.keys import (
    KeyFile,
    add_rotation_key,
    init_key_file,
    parse_key_document,
    read_key_document,
    retire_keys,
)
from server.privacy.masking import mask_email, mask_id_number, mask_name, mask_phone


@pytest.fixture
def ring(tmp_path: Path) -> KeyRing:
    path = tmp_path / "keys.json"
    init_key_file(path)
    return parse_key_document(read_key_document(path))


def test_round_trip_carries_the_key_id(ring: KeyRing) -> None:
    aad = context("visitors", "name", 7)
    blob = ring.encrypt(b"Siti Aminah", aad=aad)
    assert b"Siti" not in blob
    assert key_id_of(blob) == ring.active_id
    assert ring.decrypt(blob, aad=aad) == b"Siti Aminah"
    assert ring.encrypt(b"Siti Aminah", aad=aad) != blob  # fresh nonce each time


def test_every_flipped_byte_is_refused(ring: KeyRing) -> None:
    aad = context("visitors", "id_number", 1)
    blob = ring.encrypt(b"1906014501900001", aad=aad)
    for i in range(len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(DecryptError):
            ring.decrypt(bytes(tampered), aad=aad)


def test_ciphertext_is_bound_to_row_and_field(ring: KeyRing) -> None:
    blob = ring.encrypt(b"x@example.com", aad=context("visitors", "email", 1))
    for other in (context("visitors", "email", 2), context("visitors", "phone", 1)):
        with pytest.raises(DecryptError):
            ring.decrypt(blob, aad=other)


def test_unknown_key_and_garbage_are_refused(ring: KeyRing, tmp_path: Path) -> None:
    other_path = tmp_path / "other.json"
    init_key_file(other_path)
    other = parse_key_document(read_key_document(other_path))
    blob = other.encrypt(b"secret", aad=b"a")
    with pytest.raises(DecryptError):
        ring.decrypt(blob, aad=b"a")
    with pytest.raises(DecryptError):
        ring.decrypt(b"\x02garbage", aad=b"a")


def test_lookup_hash_is_keyed(ring: KeyRing, tmp_path: Path) -> None:
    import hashlib

    value = "1906014501900001"
    digest = ring.lookup_hash("nik", value)
    assert digest != hashlib.sha256(value.encode()).hexdigest()
    assert digest != hashlib.sha256(f"nik:{value}".encode()).hexdigest()
    assert digest == ring.lookup_hash("nik", value)
    other_path = tmp_path / "other.json"
    init_key_file(other_path)
    assert parse_key_document(read_key_document(other_path)).lookup_hash("nik", value) != digest


def test_key_file_is_private_and_reloads_after_rotation(tmp_path: Path) -> None:
    path = tmp_path / "var" / "keys.json"
    key_file = KeyFile(path)
    first = key_file.ring()  # created on first use
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert init_key_file(path) is False  # never overwritten
    blob = first.encrypt(b"old data", aad=b"ctx")
    new_id, old_ids = add_rotation_key(path)
    assert old_ids == {first.active_id}
    second = key_file.ring()
    assert second.active_id == new_id and second.lookup_key == first.lookup_key
    assert second.decrypt(blob, aad=b"ctx") == b"old data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    retire_keys(path, old_ids)
    assert key_file.ring().retired == frozenset(old_ids)
    retire_keys(path, old_ids, drop=True)
    assert set(json.loads(path.read_text())["keys"]) == {new_id}


def test_masks() -> None:
    assert mask_id_number("1906014501900001") == "1906xxxxxxxx0001"
    assert mask_id_number("B1234567") == "Bxxxxx67"
    assert mask_email("siti@gmail.com") == "s***@gmail.com"
    assert mask_phone("08127856877") == "0812****877"
    assert mask_name("Siti Aminah Rahmawati") == "Siti A. R."
    assert mask_name("Sukarno") == "S******"
    assert mask_name(None) is None


def test_form_definition_matches_queue_and_catalogs() -> None:
    form = form_definition()
    assert form.priority_reasons == PRIORITY_REASONS
    for lang in ("id", "en"):
        texts = catalog("guestbook", lang)
        for field in form.fields:
            assert f"field_{field.name}" in texts
            for choice in field.choices:
                assert f"{field.name}_{choice}" in texts, (lang, field.name, choice)
        for value in form.id_types:
            assert f"id_type_{value}" in texts
        for value in form.priority_reasons:
            assert f"priority_{value}" in texts
