// A self-healing Server-Sent Events connection to /api/v1/events.
//
// EventSource already retries after a dropped connection, but gives up for
// good when the server answers with an error status (for example while it
// restarts). This wrapper keeps the last event id, reopens the stream with
// ?last_event_id= after a back-off, and reports "online"/"offline" so pages
// can show an indicator and re-fetch their state after a reconnect.

export const EVENT_TYPES = [
  "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
  "ticket.finished", "ticket.no_show", "ticket.requeued", "ticket.transferred",
  "ticket.cancelled", "counter.updated", "device.alert",
  "unit.updated", "services.updated",
];

export class LiveEvents {
  constructor({ token = null, onEvent, onStatus, path = "/api/v1/events" }) {
    this.token = token;
    this.onEvent = onEvent;
    this.onStatus = onStatus || (() => {});
    this.path = path;
    this.lastEventId = null;
    this.source = null;
    this.retryMs = 500;
    this.timer = null;
    this.online = false;
    this.opens = 0;
  }

  start() { this.open(); }

  url() {
    const u = new URL(this.path, window.location.origin);
    if (this.token) u.searchParams.set("token", this.token);
    if (this.lastEventId) u.searchParams.set("last_event_id", this.lastEventId);
    return u.pathname + u.search;
  }

  open() {
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    const src = new EventSource(this.url());
    this.source = src;
    src.onopen = () => {
      if (src !== this.source) return;
      this.retryMs = 500;
      this.opens += 1;
      this.setOnline(true, this.opens > 1);
    };
    src.onerror = () => {
      if (src !== this.source) return;
      this.setOnline(false, false);
      // CONNECTING: the browser retries by itself (and sends Last-Event-ID).
      // CLOSED: it gave up; reopen ourselves, resuming from the last id.
      if (src.readyState === EventSource.CLOSED) this.scheduleReopen();
    };
    for (const type of EVENT_TYPES) {
      src.addEventListener(type, (msg) => this.dispatch(type, msg, src));
    }
  }

  dispatch(type, msg, src) {
    if (src !== this.source) return;
    if (msg.lastEventId) this.lastEventId = msg.lastEventId;
    let data = {};
    try { data = JSON.parse(msg.data || "{}"); } catch { data = {}; }
    this.onEvent(type, data, msg.lastEventId);
  }

  scheduleReopen() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10000);
  }

  // Called by pages when a periodic fetch shows the server is reachable but
  // the stream is not open (a silently dead connection).
  ensureOpen() {
    if (!this.source || this.source.readyState !== EventSource.OPEN) this.open();
  }

  setOnline(online, reconnected) {
    const changed = online !== this.online;
    this.online = online;
    if (changed || reconnected) this.onStatus(online, reconnected);
  }

  close() {
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    this.source = null;
  }
}
