"""Offline speech for call announcements: espeak-ng, a chime, a file cache.

:class:`Synthesizer` renders a :class:`~server.voice.phrases.CallPhrase` into
one WAV file: a two-tone chime, a short pause, then the phrase spoken by
``espeak-ng`` (no network, no online TTS). Files are cached under the data
directory by a hash of everything that changes the sound, written atomically,
and pruned to a bounded number. When espeak-ng is not installed the
synthesiser says so once in the log and raises :class:`VoiceUnavailable`; the
board then shows the call as text only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from server.errors import LoketError
from server.i18n import catalog
from server.voice.phrases import CallPhrase

log = logging.getLogger(__name__)

SYNTH_VERSION = 1
"""Bump when the chime or the assembly changes, so cached files are rebuilt."""

_SAMPLE_WIDTH = 2
_CHANNELS = 1


class VoiceUnavailable(LoketError):
    """Speech cannot be produced on this server (espeak-ng missing or failing)."""

    status_code = 503
    code = "voice_unavailable"


@dataclass(frozen=True)
class WavInfo:
    """Format and length of a WAV file."""

    rate: int
    channels: int
    sample_width: int
    frames: int

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def wav_info(path: Path) -> WavInfo:
    """Read the header of a PCM WAV file."""
    with wave.open(str(path), "rb") as w:
        return WavInfo(w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes())


@cache
def chime_frames(rate: int) -> bytes:
    """A soft two-tone "ding-dong" (E6 then C6), 16-bit mono PCM at ``rate`` Hz.

    Generated once per sample rate and kept in memory.
    """
    out = bytearray()
    for freq, seconds in ((1318.5, 0.45), (1046.5, 0.75)):
        n = int(rate * seconds)
        for i in range(n):
            t = i / rate
            envelope = min(1.0, i / (0.01 * rate)) * math.exp(-4.0 * t)
            tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            sample = 0.35 * envelope * tone
            out += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    return bytes(out)


class Synthesizer:
    """Renders call phrases to cached WAV files; safe to share between threads."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        espeak: str | None = "auto",
        max_files: int = 400,
        timeout: float = 20.0,
    ) -> None:
        self.cache_dir = cache_dir
        self.espeak = shutil.which("espeak-ng") if espeak == "auto" else espeak
        self.max_files = max_files
        self.timeout = timeout
        self._lock = threading.Lock()
        self._warned = False

    @property
    def available(self) -> bool:
        """Whether espeak-ng was found; without it the board shows text only."""
        return bool(self.espeak and Path(self.espeak).exists())

    def cache_key(self, phrase: CallPhrase) -> str:
        """Hash of everything that changes the rendered sound."""
        voice, speed = _voice_settings(phrase.lang)
        blob = json.dumps([SYNTH_VERSION, voice, speed, phrase.speech], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]

    def call_wav(self, phrase: CallPhrase) -> Path:
        """Path of the chime + speech WAV for ``phrase``, rendering it if needed."""
        if not self.available:
            self._warn_missing()
            raise VoiceUnavailable("espeak-ng is not installed; announcements are text only.")
        target = self.cache_dir / f"call-{self.cache_key(phrase)}.wav"
        if target.is_file():
            return target
        with self._lock:
            if target.is_file():
                return target
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=self.cache_dir) as tmp:
                speech = Path(tmp) / "speech.wav"
                self._speak(phrase, speech)
                _assemble(speech, Path(tmp) / "call.wav")
                os.replace(Path(tmp) / "call.wav", target)
            self._prune()
        return target

    def _speak(self, phrase: CallPhrase, out: Path) -> None:
        voice, speed = _voice_settings(phrase.lang)
        assert self.espeak is not None
        cmd = [self.espeak, "-v", voice, "-s", speed, "-w", str(out), phrase.speech]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("espeak-ng failed to run: %s", exc)
            raise VoiceUnavailable("espeak-ng failed; announcements are text only.") from exc
        if result.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
            log.error(
                "espeak-ng exited with %s: %s",
                result.returncode,
                result.stderr.decode("utf-8", "replace")[:300],
            )
            raise VoiceUnavailable("espeak-ng produced no audio; announcements are text only.")

    def _prune(self) -> None:
        files = sorted(self.cache_dir.glob("call-*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[: max(0, len(files) - self.max_files)]:
            old.unlink(missing_ok=True)

    def _warn_missing(self) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "espeak-ng not found on PATH: voice announcements are disabled and the "
                "display board shows calls as text only. Install it with "
                "`apt-get install espeak-ng`."
            )


def _voice_settings(lang: str) -> tuple[str, str]:
    words = catalog("voice", lang)
    voice = words.get("espeak_voice", "id")
    speed = words.get("espeak_speed", "140")
    if not speed.isdigit():
        speed = "140"
    return voice, speed


def _assemble(speech: Path, out: Path) -> None:
    """Write chime, pause, speech and a short tail into ``out`` (speech's format)."""
    with wave.open(str(speech), "rb") as src:
        rate, channels, width = src.getframerate(), src.getnchannels(), src.getsampwidth()
        spoken = src.readframes(src.getnframes())
    if (channels, width) != (_CHANNELS, _SAMPLE_WIDTH):
        raise VoiceUnavailable(f"unexpected espeak-ng output format {channels}ch/{width * 8}bit")

    def silence(seconds: float) -> bytes:
        return b"\x00\x00" * int(rate * seconds)

    with wave.open(str(out), "wb") as dst:
        dst.setnchannels(_CHANNELS)
        dst.setsampwidth(_SAMPLE_WIDTH)
        dst.setframerate(rate)
        dst.writeframes(chime_frames(rate) + silence(0.3) + spoken + silence(0.4))
