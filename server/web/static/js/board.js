// The display board: the number being called, recent calls, waiting counts,
// clock, running text, voice. Authenticates with a board device token from
// the page URL (?token=...). Shows no personal data: it only ever reads
// ticket numbers, counters and counts.

import { Api } from "./api.js";
import { Announcer } from "./announcer.js";
import { LiveEvents } from "./events.js";
import { el, formatDate, formatTime, zoneAbbrev } from "./format.js";
import { loadCatalog, t } from "./i18n.js";

const RECENT = 5;
const ANNOUNCE_MAX_AGE_MS = 120000;
const REFRESH_MS = 20000;
const HEARTBEAT_MS = 60000;

function serviceName(name, lang) {
  if (!name) return "";
  if (typeof name === "string") return name;
  return name[lang] || name.id || "";
}

class Board {
  constructor(root) {
    loadCatalog();
    this.root = root;
    const params = new URLSearchParams(window.location.search);
    this.token = params.get("token") || "";
    this.voiceLang = params.get("voice") || root.dataset.voiceLang || "id";
    this.api = new Api({ token: this.token });
    this.timeZone = "Asia/Jakarta";
    this.recent = [];
    this.callTimes = [];
    this.services = [];
    this.lastRefreshOk = true;
    this.announcer = new Announcer({
      voiceAvailable: root.dataset.voiceAvailable === "1",
      urlFor: (number, counter) => this.voiceUrl(number, counter),
      onBlocked: (blocked) => this.showSoundOverlay(blocked),
      onState: () => this.renderAnnouncerState(),
    });
    this.events = new LiveEvents({
      token: this.token,
      onEvent: (type, data) => this.onEvent(type, data),
      onStatus: (online, reconnected) => this.onStatus(online, reconnected),
    });
    this.$ = (id) => document.getElementById(id);
  }

  voiceUrl(number, counter) {
    const u = new URL("/api/v1/voice/call.wav", window.location.origin);
    u.searchParams.set("number", number);
    u.searchParams.set("counter", counter);
    u.searchParams.set("lang", this.voiceLang);
    if (this.token) u.searchParams.set("token", this.token);
    return u.pathname + u.search;
  }

  async start() {
    if (!this.token) {
      this.setStatus("error", t("board_no_token"));
      return;
    }
    this.$("sound-enable").addEventListener("click", () => this.announcer.unlock());
    this.tickClock();
    setInterval(() => this.tickClock(), 1000);
    await Promise.all([this.loadUnit(), this.refresh()]);
    this.events.start();
    this.announcer.probeAutoplay();
    setInterval(() => this.refresh(), REFRESH_MS);
    this.heartbeat();
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    setInterval(() => this.loadUnit(), 300000);
  }

  // Tells supervisors' device health page that this board is alive.
  async heartbeat() {
    try { await this.api.post("/devices/heartbeat", { printer: null }); } catch { /* shown by refresh */ }
  }

  async loadUnit() {
    try {
      const unit = await this.api.get("/unit");
      this.timeZone = unit.timezone || this.timeZone;
      this.$("unit-name").textContent = unit.name || "";
      this.showLogo();
      this.setRunningText(unit.running_text || "");
      this.tickClock();
    } catch (err) {
      this.handleFetchError(err);
    }
  }

  // The office's logo (admin page); hidden when there is none (404).
  showLogo() {
    const img = this.$("unit-logo");
    img.onload = () => { img.hidden = false; };
    img.onerror = () => { img.hidden = true; };
    img.src = this.api.url("/admin/office/logo", { token: this.token, t: Date.now() });
  }

  async refresh() {
    try {
      const q = await this.api.get("/queue");
      this.applyQueue(q);
      if (!this.lastRefreshOk) this.events.ensureOpen();
      this.lastRefreshOk = true;
      if (this.events.online) this.setStatus("ok");
    } catch (err) {
      this.lastRefreshOk = false;
      this.handleFetchError(err);
    }
  }

  handleFetchError(err) {
    if (err.status === 401 || err.status === 403) this.setStatus("error", t("board_bad_token"));
    else this.setStatus("offline");
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 250);
  }

  applyQueue(q) {
    this.services = q.services || [];
    // Today's calls only, each number once (a recall moves it back to the top).
    const today = formatDate(new Date(), this.timeZone);
    const seen = new Set();
    const calls = (q.recent_calls || [])
      .filter((c) => !c.called_at || formatDate(new Date(c.called_at), this.timeZone) === today)
      .filter((c) => !seen.has(c.number) && seen.add(c.number))
      .map((c) => ({ number: c.number, counter: c.counter_number, at: c.called_at }));
    // Keep a just-shown call on top if the server's list has not caught up yet.
    const fresh = this.recent.filter((r) => r.local && !calls.some((c) => c.number === r.number))
      .filter((r) => Date.now() - r.localAt < 5000);
    this.recent = [...fresh, ...calls].slice(0, RECENT + 1);
    this.renderCalls();
    this.renderWaiting();
  }

  onEvent(type, data) {
    if (type === "unit.updated") this.loadUnit();  // running text, name, time zone
    if (type === "ticket.called" || type === "ticket.recalled") {
      const ticket = data.ticket || {};
      const counter = data.counter || {};
      if (!ticket.number) return;
      const number = ticket.number;
      const counterNo = counter.number ?? "";
      this.recent = [
        { number, counter: counterNo, at: data.at, local: true, localAt: Date.now() },
        ...this.recent.filter((r) => r.number !== number),
      ].slice(0, RECENT + 1);
      this.renderCalls(true);
      this.callTimes.push({ number, type, t: performance.timeOrigin + performance.now() });
      if (this.callTimes.length > 500) this.callTimes.shift();
      const age = data.at ? Date.now() - Date.parse(data.at) : 0;
      if (!(age > ANNOUNCE_MAX_AGE_MS) && counterNo !== "") {
        this.announcer.enqueue(number, counterNo, type === "ticket.recalled" ? "recalled" : "called");
      }
    }
    if (type !== "device.alert") this.scheduleRefresh();
  }

  onStatus(online, reconnected) {
    this.setStatus(online ? "ok" : "offline");
    if (online && reconnected) {
      this.refresh();
      this.loadUnit();
    }
  }

  setStatus(state, message) {
    const box = this.$("conn-status");
    box.dataset.state = state;
    box.hidden = state === "ok";
    box.textContent = message || (state === "offline" ? t("board_reconnecting") : "");
  }

  renderCalls(flash = false) {
    const current = this.recent[0];
    const num = this.$("current-number");
    const ctr = this.$("current-counter");
    if (current) {
      num.textContent = current.number;
      ctr.textContent = t("board_counter", { number: current.counter });
    } else {
      num.textContent = "—";
      ctr.textContent = t("board_no_calls");
    }
    if (flash) {
      const card = this.$("current-call");
      card.classList.remove("flash");
      void card.offsetWidth;
      card.classList.add("flash");
    }
    const list = this.$("recent-calls");
    list.replaceChildren(...this.recent.slice(1, RECENT + 1).map((c) =>
      el("li", { class: "recent" },
        el("span", { class: "recent-number" }, c.number),
        el("span", { class: "recent-counter" }, t("board_counter", { number: c.counter })))));
  }

  renderWaiting() {
    const box = this.$("waiting-services");
    box.replaceChildren(...this.services.map((s) => {
      const name = serviceName(s.name, this.root.dataset.lang);
      return el("div", { class: "svc", dataset: { prefix: s.prefix } },
        el("span", { class: "svc-prefix" }, s.prefix),
        el("span", { class: "svc-name" }, name),
        el("span", { class: "svc-count" }, String(s.waiting_count ?? 0)),
        el("span", { class: "svc-label" }, t("board_waiting")));
    }));
  }

  renderAnnouncerState() {
    const textOnly = !this.announcer.voiceAvailable
      || this.announcer.log.slice(-1).some((i) => i.state === "failed");
    this.$("voice-status").hidden = !textOnly;
  }

  setRunningText(text) {
    const span = this.$("running-text");
    if (span.textContent === text) return;
    span.textContent = text;
    span.parentElement.hidden = !text;
    span.style.animationDuration = `${Math.max(15, text.length * 0.25)}s`;
  }

  showSoundOverlay(blocked) {
    this.$("sound-overlay").hidden = !blocked;
  }

  tickClock() {
    const now = new Date();
    const locale = this.root.dataset.lang === "en" ? "en-GB" : "id-ID";
    const time = formatTime(now, this.timeZone, { locale });
    this.$("clock-time").textContent = `${time} ${zoneAbbrev(this.timeZone)}`.trim();
    this.$("clock-date").textContent = formatDate(now, this.timeZone, locale);
  }
}

const root = document.getElementById("board");
const board = new Board(root);
window.loketBoard = board;
board.start();
