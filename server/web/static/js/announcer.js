// Plays call announcements one after another, never over each other.
//
// Each announcement is a WAV from /api/v1/voice/call.wav (chime + speech,
// rendered offline on the server). Browsers refuse to play sound before the
// first touch unless Chromium runs with --autoplay-policy=no-user-gesture-required;
// the board then shows a one-time "Aktifkan suara" overlay and the queue
// waits for it. Every announcement is kept in `log` (for the page and tests).

const MAX_SECONDS = 25;
const MAX_QUEUE = 20;

function silentWavUrl() {
  // 0.05 s of 8 kHz mono 8-bit silence, built in memory.
  const n = 400;
  const buf = new ArrayBuffer(44 + n);
  const v = new DataView(buf);
  const str = (o, s) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  str(0, "RIFF"); v.setUint32(4, 36 + n, true); str(8, "WAVE"); str(12, "fmt ");
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, 8000, true); v.setUint32(28, 8000, true); v.setUint16(32, 1, true);
  v.setUint16(34, 8, true); str(36, "data"); v.setUint32(40, n, true);
  for (let i = 0; i < n; i++) v.setUint8(44 + i, 128);
  return URL.createObjectURL(new Blob([buf], { type: "audio/wav" }));
}

export class Announcer {
  constructor({ urlFor, voiceAvailable = true, onBlocked = () => {}, onState = () => {} }) {
    this.urlFor = urlFor;
    this.voiceAvailable = voiceAvailable;
    this.onBlocked = onBlocked;
    this.onState = onState;
    this.queue = [];
    this.log = [];
    this.playing = null;
    this.unlocked = false;
    this.seq = 0;
  }

  // Try to play a silent sound: resolves true when autoplay is allowed. Only
  // a sound that really started counts; a refusal, an error or a play() that
  // does not settle within 1.5 s shows the "Aktifkan suara" overlay (at worst
  // one unnecessary touch, never a silent board).
  async probeAutoplay() {
    if (!this.voiceAvailable) return true;
    let result = "error";
    for (let attempt = 0; attempt < 2 && result === "error"; attempt++) {
      const play = new Audio(silentWavUrl()).play().then(
        () => "allowed",
        (err) => (err && err.name === "NotAllowedError" ? "blocked" : "error"),
      );
      const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), 1500));
      result = await Promise.race([play, timeout]);
      if (result === "timeout") {
        play.then((late) => { if (late === "allowed" && !this.unlocked) this.unlock(); });
      }
    }
    this.probe = result;
    if (result === "allowed") {
      this.unlocked = true;
      this.onBlocked(false);
      this.pump();
    } else {
      this.onBlocked(true);
    }
    return this.unlocked;
  }

  // Called from the overlay's click handler (a user gesture).
  async unlock() {
    try {
      const a = new Audio(silentWavUrl());
      await a.play();
    } catch { /* the gesture itself is what counts */ }
    this.unlocked = true;
    this.onBlocked(false);
    this.pump();
  }

  enqueue(number, counter, kind = "called") {
    const item = {
      id: ++this.seq, number, counter, kind,
      url: this.voiceAvailable ? this.urlFor(number, counter) : null,
      state: "queued", queuedAt: performance.now(), startedAt: null, endedAt: null, error: null,
    };
    this.log.push(item);
    if (this.log.length > 100) this.log.shift();
    if (!this.voiceAvailable) {
      item.state = "text_only";
      this.onState(item);
      return item;
    }
    this.queue.push(item);
    while (this.queue.length > MAX_QUEUE) {
      const dropped = this.queue.shift();
      dropped.state = "dropped";
    }
    this.onState(item);
    this.pump();
    return item;
  }

  pending() { return this.queue.length + (this.playing ? 1 : 0); }

  async pump() {
    if (this.playing || !this.unlocked) return;
    const item = this.queue.shift();
    if (!item) return;
    this.playing = item;
    item.state = "playing";
    item.startedAt = performance.now();
    this.onState(item);
    try {
      await this.play(item.url);
      item.state = "done";
    } catch (err) {
      item.state = "failed";
      item.error = String((err && err.name) || err);
      if (err && err.name === "NotAllowedError") {
        // Autoplay was withdrawn (e.g. after a reload): ask for a touch again.
        item.state = "queued";
        this.queue.unshift(item);
        this.unlocked = false;
        this.onBlocked(true);
      }
    }
    item.endedAt = performance.now();
    this.playing = null;
    this.onState(item);
    this.pump();
  }

  play(url) {
    return new Promise((resolve, reject) => {
      const audio = new Audio(url);
      let settled = false;
      const finish = (fn, arg) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        audio.onended = audio.onerror = null;
        fn(arg);
      };
      const timer = setTimeout(() => finish(resolve), MAX_SECONDS * 1000);
      audio.onended = () => finish(resolve);
      audio.onerror = () => finish(reject, new Error("audio_error"));
      audio.play().catch((err) => finish(reject, err));
    });
  }
}
