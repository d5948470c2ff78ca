"""Tests for the offline synthesiser: real espeak-ng, real WAV files, the cache."""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from server.voice.phrases import call_phrase
from server.voice.synth import Synthesizer, VoiceUnavailable, chime_frames, wav_info


def test_chime_is_generated_once_and_has_sound() -> None:
    frames = chime_frames(22050)
    assert frames is chime_frames(22050)
    assert len(frames) == 2 * int(22050 * 0.45) + 2 * int(22050 * 0.75)
    assert max(frames) > 0


def test_call_wav_is_chime_plus_speech(tmp_path: Path) -> None:
    synth = Synthesizer(tmp_path)
    path = synth.call_wav(call_phrase("R007", 2))
    info = wav_info(path)
    assert info.channels == 1 and info.sample_width == 2
    # chime (1.2 s) + pause + several seconds of speech
    assert info.seconds > 3.0
    if shutil.which("soxi"):
        out = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True)
        assert float(out.stdout) == pytest.approx(info.seconds, abs=0.01)


def test_cache_hit_does_not_rerender(tmp_path: Path) -> None:
    synth = Synthesizer(tmp_path)
    first = synth.call_wav(call_phrase("A001", 1))
    mtime = first.stat().st_mtime_ns
    time.sleep(0.01)
    calls: list[object] = []
    synth._speak = lambda *a: calls.append(a)  # type: ignore[method-assign]
    again = synth.call_wav(call_phrase("A001", 1))
    assert again == first and again.stat().st_mtime_ns == mtime
    assert calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]


def test_cache_key_depends_on_phrase_and_language(tmp_path: Path) -> None:
    synth = Synthesizer(tmp_path, espeak=None)
    keys = {
        synth.cache_key(call_phrase("A001", 1)),
        synth.cache_key(call_phrase("A001", 2)),
        synth.cache_key(call_phrase("A002", 1)),
        synth.cache_key(call_phrase("A001", 1, "en")),
    }
    assert len(keys) == 4
    assert synth.cache_key(call_phrase("a001", 1)) == synth.cache_key(call_phrase("A001", 1))


def test_cache_is_pruned(tmp_path: Path) -> None:
    synth = Synthesizer(tmp_path, max_files=2)
    for n in ("A001", "A002", "A003"):
        synth.call_wav(call_phrase(n, 1))
    assert len(list(tmp_path.glob("call-*.wav"))) == 2


def test_missing_espeak_is_clear_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    synth = Synthesizer(tmp_path, espeak=None)
    assert not synth.available
    with caplog.at_level(logging.WARNING), pytest.raises(VoiceUnavailable) as err:
        synth.call_wav(call_phrase("A001", 1))
    assert err.value.status_code == 503
    assert "espeak-ng" in caplog.text
    with pytest.raises(VoiceUnavailable):
        synth.call_wav(call_phrase("A001", 1))
    assert caplog.text.count("espeak-ng not found") == 1
    assert list(tmp_path.iterdir()) == []


def test_failing_espeak_raises_unavailable(tmp_path: Path) -> None:
    fake = tmp_path / "espeak-ng"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    fake.chmod(0o755)
    synth = Synthesizer(tmp_path / "cache", espeak=str(fake))
    with pytest.raises(VoiceUnavailable):
        synth.call_wav(call_phrase("A001", 1))
    assert not list((tmp_path / "cache").glob("call-*.wav"))
