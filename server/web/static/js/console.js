// Staff console: sign in, pick a counter and its services, call and serve
// visitors, desk registration and device health. Live via /api/v1/events.

import { Api, ApiError } from "./api.js";
import { LiveEvents } from "./events.js";
import { el, minutesSince } from "./format.js";
import { lang, loadCatalog, t } from "./i18n.js";
import { DeskRegistration } from "./register.js";
import { DeviceHealth } from "./devices.js";
import { PrivacyDesk } from "./privacy_desk.js";
import { QuickTicket } from "./quick_ticket.js";

const COUNTER_KEY = "loket.console.counter";
const ACTIVE = new Set(["called", "serving"]);
// What the counter can do; what the current ticket allows comes from the API
// (ticket.allowed_actions, decided by server/domain/queue.py), never a copy here.
const COUNTER_ACTIONS = { idle: ["call-next", "pause"], busy: ["pause"] };
const buttonAction = (action) => action.replace("_", "-"); // API no_show -> button no-show
const CALL_ACTIONS = new Set(["call-next"]);

const $ = (id) => document.getElementById(id);

class Console {
  constructor() {
    loadCatalog();
    this.api = new Api();
    this.webApi = new Api({ base: "/console" });
    this.user = null;
    this.unit = null;
    this.services = [];
    this.counters = [];
    this.counterId = null;
    this.queue = null;
    this.current = null;
    this.visitShown = null;
    this.noShows = [];
    this.busy = false;
    this.refreshSeq = 0;
    this.alerts = [];
    this.events = null;
    this.register = new DeskRegistration(this);
    this.devices = new DeviceHealth(this);
    this.privacy = new PrivacyDesk(this);
    this.quick = new QuickTicket(this);
  }

  async start() {
    this.bind();
    try {
      this.user = await this.api.get("/auth/me");
    } catch (err) {
      if (err.status === 401 || err.status === 403) return this.showLogin();
      return this.showMessage(t("err_network"), "error");
    }
    await this.enter();
  }

  bind() {
    $("login-form").addEventListener("submit", (e) => { e.preventDefault(); this.login(); });
    $("logout").addEventListener("click", () => this.logout());
    $("counter-select").addEventListener("change", (e) => this.selectCounter(Number(e.target.value)));
    $("save-services").addEventListener("click", () => this.saveServices());
    $("actions").addEventListener("click", (e) => {
      const btn = e.target.closest("button[data-action]");
      if (btn && !btn.disabled) this.act(btn.dataset.action);
    });
    $("finish-note").addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); this.act("finish"); }
      if (e.key === "Escape") e.target.blur();
    });
    $("transfer-confirm").addEventListener("click", () => this.transfer());
    $("transfer-close").addEventListener("click", () => { $("transfer-row").hidden = true; });
    for (const tab of document.querySelectorAll(".tab")) {
      tab.addEventListener("click", () => this.showTab(tab.dataset.tab));
    }
    document.addEventListener("keydown", (e) => this.onKey(e));
    setInterval(() => this.renderWaitingTimes(), 30000);
  }

  // ---- session -----------------------------------------------------------
  async login() {
    const err = $("login-error");
    err.hidden = true;
    try {
      const res = await this.api.post("/auth/login", {
        username: $("login-username").value.trim(), password: $("login-password").value,
      });
      this.user = res.user;
      $("login-password").value = "";
      await this.enter();
    } catch (e) {
      err.textContent = e.status === 401 ? t("err_login") : e.status === 429 ? t("err_throttled") : this.errorText(e);
      err.hidden = false;
      if (e.code === "password_change_required") {
        const user = encodeURIComponent($("login-username").value.trim());
        window.location.assign(`/account/password?u=${user}`);
      }
    }
  }

  async logout() {
    try { await this.api.post("/auth/logout"); } catch { /* already gone */ }
    if (this.events) this.events.close();
    window.location.reload();
  }

  showLogin() {
    $("login-view").hidden = false;
    $("app-view").hidden = true;
    $("session-bar").hidden = true;
    $("login-username").focus();
  }

  async enter() {
    $("login-view").hidden = true;
    $("app-view").hidden = false;
    $("session-bar").hidden = false;
    $("user-name").textContent = this.user.username;
    const supervisor = ["admin", "supervisor"].includes(this.user.role);
    this.supervisor = supervisor;
    for (const node of document.querySelectorAll("[data-role=supervisor]")) node.hidden = !supervisor;
    const [unit, services, counters] = await Promise.all([
      this.api.get("/unit"), this.api.get("/services"), this.api.get("/counters"),
    ]);
    this.unit = unit;
    this.services = services.filter((s) => s.active !== false);
    this.counters = counters;
    $("unit-name").textContent = unit.name;
    this.fillCounterSelect();
    this.register.init();
    this.events = new LiveEvents({
      onEvent: (type, data) => this.onEvent(type, data),
      onStatus: (online, reconnected) => this.onLive(online, reconnected),
    });
    this.events.start();
    await this.refresh();
    if (supervisor) this.devices.init();
    if (supervisor) this.privacy.refreshCount();
    if (supervisor) await this.openLinkedVisit();
  }

  // /console?visit=N (the IKM page's "contact me" link): the visit at the privacy
  // desk, opened through the audited path. The address is cleaned so a reload
  // does not open (and audit) it again.
  async openLinkedVisit() {
    const params = new URLSearchParams(window.location.search);
    const visitId = Number(params.get("visit"));
    if (!Number.isInteger(visitId) || visitId <= 0) return;
    params.delete("visit");
    const query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? `?${query}` : ""));
    this.showTab("privacy");
    await this.privacy.openVisit(visitId);
  }

  // ---- counter and services ------------------------------------------------
  fillCounterSelect() {
    const select = $("counter-select");
    const saved = Number(window.localStorage.getItem(COUNTER_KEY));
    const mine = this.counters.find((c) => c.staff_user_id === this.user.id);
    const pick = this.counters.find((c) => c.id === saved) || mine || this.counters[0];
    select.replaceChildren(...this.counters.map((c) =>
      el("option", { value: c.id, selected: pick && c.id === pick.id }, c.name || t("counter_n", { number: c.number }))));
    this.counterId = pick ? pick.id : null;
    this.renderServiceChecks();
  }

  selectCounter(id) {
    this.counterId = id;
    window.localStorage.setItem(COUNTER_KEY, String(id));
    this.renderServiceChecks();
    this.render();
    this.loadNoShows();
  }

  counter() { return this.counters.find((c) => c.id === this.counterId) || null; }

  serviceName(id) {
    const s = this.services.find((x) => x.id === id);
    if (!s) return "";
    return `${s.prefix} · ${s.name[lang()] || s.name.id}`;
  }

  renderServiceChecks() {
    const counter = this.counter();
    const served = new Set(counter ? counter.service_ids : []);
    $("service-checks").replaceChildren(...this.services.map((s) =>
      el("label", { class: "check" },
        el("input", { type: "checkbox", value: s.id, checked: served.has(s.id) }),
        ` ${this.serviceName(s.id)}`)));
    const names = this.services.filter((s) => served.has(s.id)).map((s) => s.prefix);
    $("my-services-summary").textContent = names.length ? `(${names.join(", ")})` : t("no_services_chosen");
    $("my-services").open = names.length === 0;
  }

  async saveServices() {
    const ids = [...$("service-checks").querySelectorAll("input:checked")].map((i) => Number(i.value));
    await this.run(async () => {
      const updated = await this.api.put(`/counters/${this.counterId}/services`, { service_ids: ids });
      this.replaceCounter(updated);
      this.showMessage(t("services_saved"), "ok");
    });
  }

  replaceCounter(updated) {
    this.refreshSeq += 1;
    this.counters = this.counters.map((c) => (c.id === updated.id ? { ...c, ...updated } : c));
    this.renderServiceChecks();
    this.render();
  }

  // ---- live data ---------------------------------------------------------
  async refresh() {
    // Only the newest refresh may paint: an older answer could undo a newer change.
    const seq = ++this.refreshSeq;
    try {
      const [queue, counters] = await Promise.all([this.api.get("/queue"), this.api.get("/counters")]);
      if (seq !== this.refreshSeq) return;
      this.queue = queue;
      this.counters = counters;
      this.render();
      this.loadNoShows();
      if (this.events) this.events.ensureOpen();
    } catch (err) {
      if (err.status === 401) return this.showLogin();
    }
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 150);
  }

  onEvent(type, data) {
    if (type === "device.alert") return this.addAlert(data);
    if (type === "ticket.issued" && this.supervisor) this.privacy.scheduleCount();
    if (type === "services.updated" || type === "unit.updated") this.reloadOffice();
    this.scheduleRefresh();
  }

  // An admin changed the office or its services: pick it up without a reload.
  async reloadOffice() {
    try {
      const [unit, services] = await Promise.all([this.api.get("/unit"), this.api.get("/services")]);
      this.unit = unit;
      this.services = services.filter((s) => s.active !== false);
      $("unit-name").textContent = unit.name;
      if (!$("tab-quick").hidden) this.quick.show();
    } catch { /* the next refresh shows the connection state */ }
  }

  onLive(online, reconnected) {
    const box = $("live-status");
    box.dataset.state = online ? "online" : "offline";
    box.textContent = online ? t("live_online") : t("live_offline");
    if (online && reconnected) this.refresh();
  }

  async loadNoShows() {
    if (!this.counterId) return;
    try {
      this.noShows = await this.webApi.get("/no-shows.json");
    } catch { this.noShows = []; }
    this.renderNoShows();
  }

  // ---- rendering -----------------------------------------------------------
  render() {
    const counter = this.counter();
    const q = this.queue;
    const mine = q && q.counters ? q.counters.find((c) => c.counter_id === this.counterId) : null;
    this.current = mine && mine.current && ACTIVE.has(mine.current.status) ? mine.current : null;
    const paused = counter ? counter.paused : false;
    $("counter-state").textContent = paused ? t("counter_paused") : "";
    $("counter-state").dataset.paused = paused ? "1" : "0";

    const state = this.current ? this.current.status : "none";
    $("current-ticket").dataset.status = state;
    $("current-number").textContent = this.current ? this.current.number : "—";
    $("current-status").textContent = t(`status_${state}`);
    $("current-service").textContent = this.current ? this.serviceName(this.current.service_id) : "";
    $("current-priority").hidden = !(this.current && this.current.priority);
    $("current-elapsed").textContent = this.current && this.current.called_at
      ? t("called_minutes_ago", { minutes: minutesSince(this.current.called_at) }) : "";

    const allowed = new Set(this.current
      ? [...COUNTER_ACTIONS.busy, ...(this.current.allowed_actions || []).map(buttonAction)]
      : COUNTER_ACTIONS.idle);
    for (const btn of document.querySelectorAll("#actions button[data-action]")) {
      const action = btn.dataset.action;
      btn.disabled = this.busy || !counter || !allowed.has(action) || (action === "call-next" && paused);
      if (action === "pause") {
        btn.firstChild.textContent = paused ? t("action_resume") : t("action_pause");
      }
    }
    $("finish-row").hidden = state !== "serving";
    if (state === "none") $("transfer-row").hidden = true;
    this.renderVisit();
    this.renderWaiting();
  }

  renderWaiting() {
    const box = $("waiting-lists");
    const counter = this.counter();
    const served = new Set(counter ? counter.service_ids : []);
    const services = (this.queue && this.queue.services) || [];
    const sorted = [...services].sort((a, b) => Number(served.has(b.service_id)) - Number(served.has(a.service_id)));
    box.replaceChildren(...sorted.map((s) => {
      const rows = (s.waiting || []).map((tk) => el("tr", { class: tk.priority ? "priority" : "", dataset: { ticket: tk.id } },
        el("td", { class: "num" }, tk.number),
        el("td", {}, tk.priority ? el("span", { class: "priority-badge" }, t("priority_reason_" + (tk.priority_reason || "any"))) : ""),
        el("td", { class: "wait", dataset: { issued: tk.issued_at } }, this.waitText(tk.issued_at))));
      return el("section", { class: `service-queue${served.has(s.service_id) ? " served" : ""}`, dataset: { service: s.service_id } },
        el("h3", {}, this.serviceName(s.service_id) || s.prefix,
          el("span", { class: "count" }, t("waiting_count", { count: s.waiting_count ?? rows.length }))),
        rows.length
          ? el("table", { class: "table compact" }, el("tbody", {}, rows))
          : el("p", { class: "muted" }, t("nobody_waiting")));
    }));
  }

  waitText(iso) {
    const m = minutesSince(iso);
    return m === null ? "" : t("waiting_minutes", { minutes: m });
  }

  renderWaitingTimes() {
    for (const td of document.querySelectorAll("td.wait[data-issued]")) td.textContent = this.waitText(td.dataset.issued);
    if (this.current && this.current.called_at) {
      $("current-elapsed").textContent = t("called_minutes_ago", { minutes: minutesSince(this.current.called_at) });
    }
  }

  renderNoShows() {
    const list = $("no-show-list");
    const items = this.noShows || [];
    list.replaceChildren(...(items.length ? items.map((tk) => el("li", {},
      el("span", { class: "num" }, tk.number), " ",
      el("button", { type: "button", class: "btn btn-small", onclick: () => this.requeue(tk) }, t("action_requeue"))))
      : [el("li", { class: "muted" }, t("no_no_shows"))]));
  }

  async renderVisit() {
    const panel = $("visit-panel");
    const visitId = this.current ? this.current.visit_id : null;
    if (!visitId) { panel.hidden = true; this.visitShown = null; return; }
    if (this.visitShown === visitId) return;
    this.visitShown = visitId;
    panel.hidden = false;
    $("visit-fields").replaceChildren();
    $("visit-note").textContent = t("visit_loading");
    try {
      const visit = await this.api.get(`/visits/${visitId}`);
      if (!this.register.form) await this.register.load();
      if (this.visitShown !== visitId) return;
      const label = (name, value) => this.register.label(name, value);
      $("visit-fields").replaceChildren(...visitRows(visit, label).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
      $("visit-note").textContent = t("visit_masked");
    } catch (err) {
      $("visit-note").textContent = err.status === 404 ? t("visit_unavailable") : this.errorText(err);
    }
  }

  // ---- actions -------------------------------------------------------------
  async act(action) {
    if (action === "pause") return this.togglePause();
    if (action === "call-next") {
      return this.run(async () => {
        const ticket = await this.api.post(`/counters/${this.counterId}/call-next`);
        this.showMessage(ticket ? t("called_ticket", { number: ticket.number }) : t("nobody_to_call"), ticket ? "ok" : "info");
      }, action);
    }
    if (action === "transfer") return this.openTransfer();
    const ticket = this.current;
    if (!ticket) return;
    if (action === "cancel" && !window.confirm(t("confirm_cancel", { number: ticket.number }))) return;
    const body = { counter_id: this.counterId };
    if (action === "finish") body.note = $("finish-note").value.trim() || null;
    await this.run(async () => {
      await this.api.post(`/tickets/${ticket.id}/${action}`, body);
      if (action === "finish") $("finish-note").value = "";
      this.showMessage(t(`done_${action.replace("-", "_")}`, { number: ticket.number }), "ok");
    }, action);
  }

  async togglePause() {
    const counter = this.counter();
    if (!counter) return;
    await this.run(async () => {
      const updated = await this.api.post(`/counters/${counter.id}/${counter.paused ? "resume" : "pause"}`);
      this.replaceCounter(updated);
    });
  }

  openTransfer() {
    if (!this.current) return;
    const select = $("transfer-target");
    const services = this.services.filter((s) => s.id !== this.current.service_id);
    const counters = this.counters.filter((c) => c.id !== this.counterId);
    select.replaceChildren(
      el("optgroup", { label: t("transfer_services") }, services.map((s) => el("option", { value: `s:${s.id}` }, this.serviceName(s.id)))),
      el("optgroup", { label: t("transfer_counters") }, counters.map((c) => el("option", { value: `c:${c.id}` }, c.name))));
    $("transfer-row").hidden = false;
    select.focus();
  }

  async transfer() {
    const ticket = this.current;
    const value = $("transfer-target").value;
    if (!ticket || !value) return;
    const [kind, id] = value.split(":");
    const body = kind === "s" ? { service_id: Number(id) } : { counter_id: Number(id) };
    await this.run(async () => {
      await this.api.post(`/tickets/${ticket.id}/transfer`, body);
      $("transfer-row").hidden = true;
      this.showMessage(t("done_transfer", { number: ticket.number }), "ok");
    }, "transfer");
  }

  async requeue(ticket) {
    await this.run(async () => {
      await this.api.post(`/tickets/${ticket.id}/requeue`, {});
      this.showMessage(t("done_requeue", { number: ticket.number }), "ok");
    }, "requeue");
  }

  async run(fn, action = "") {
    if (this.busy) return;
    this.busy = true;
    this.render();
    try {
      await fn();
    } catch (err) {
      this.showMessage(this.errorText(err, action), "error");
    } finally {
      await this.refresh();
      this.busy = false;
      this.render();
    }
  }

  errorText(err, action = "") {
    if (!(err instanceof ApiError)) return String(err);
    if (err.status === 0) return t("err_network");
    if (err.status === 401) return t("err_session");
    if (err.status === 409) {
      const specific = t(`err_${err.code}`);
      if (specific !== `err_${err.code}`) return specific;
      return CALL_ACTIONS.has(action) ? t("err_conflict_called") : t("err_conflict_changed");
    }
    const known = err.code ? t(`err_${err.code}`) : null;
    if (known && known !== `err_${err.code}`) return known;
    return t("err_generic", { message: err.message });
  }

  showMessage(text, kind = "info") {
    const box = $("message");
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = false;
    clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 12000 : 5000);
  }

  addAlert(data) {
    const device = data.device || {};
    if (data.lookup) return this.pushAlert(t("alert_lookup", { device: device.name || t("unknown_device") }));
    const printer = data.printer || (data.status && data.status.printer) || {};
    const paper = printer.paper ? t(`paper_${printer.paper}`) : "";
    const text = t("alert_printer", {
      device: device.name || data.device_name || t("unknown_device"),
      problem: [printer.online === false ? t("printer_offline") : "", paper, printer.error || ""].filter(Boolean).join(" · ") || t("printer_fault"),
    });
    this.pushAlert(text);
  }

  pushAlert(text) {
    this.alerts = [{ text, at: new Date() }, ...this.alerts.filter((a) => a.text !== text)].slice(0, 3);
    const strip = $("alerts");
    strip.replaceChildren(...this.alerts.map((a) => el("div", { class: "alert" }, el("strong", {}, "⚠ "), a.text,
      el("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => this.dismissAlert(a) }, t("dismiss")))));
    strip.hidden = this.alerts.length === 0;
    if (this.devices.active) this.devices.load();
  }

  dismissAlert(alert) {
    this.alerts = this.alerts.filter((a) => a !== alert);
    $("alerts").hidden = this.alerts.length === 0;
    $("alerts").replaceChildren(...[...$("alerts").children].filter((n) => !n.textContent.includes(alert.text)));
  }

  showTab(name) {
    for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    for (const panel of document.querySelectorAll(".tab-panel")) panel.hidden = panel.id !== `tab-${name}`;
    if (name === "devices") this.devices.load();
    if (name === "register") this.register.show();
    if (name === "privacy") { this.privacy.init(); this.privacy.loadReview(); }
    if (name === "quick") this.quick.show();
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    if ($("tab-queue").hidden || $("app-view").hidden) return;
    const key = e.key.toUpperCase();
    const btn = document.querySelector(`#actions button[data-shortcut="${key}"]`);
    if (!btn) return;
    e.preventDefault();
    if (!btn.disabled) this.act(btn.dataset.action);
  }
}

// Rows of the guestbook panel: masked identity plus the coded answers' labels.
function visitRows(visit, label) {
  const visitor = visit.visitor || {};
  const masked = visitor.masked || {};
  const rows = [
    ["field_name", masked.name],
    ["field_institution", visitor.institution],
    ["field_occupation", label("occupation", visit.occupation)],
    ["field_purpose", label("purpose", visit.purpose)],
    ["field_id_type", label("id_type", visit.id_type || visitor.id_type)],
    ["field_id_number", masked.id_number],
    ["field_email", masked.email],
    ["field_phone", masked.phone],
  ];
  return rows.filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [t(k), String(v)]);
}

const app = new Console();
window.loketConsole = app;
app.start();
