// Office settings: office details, services, counters, staff, devices and the
// audit log, all through /api/v1/admin/... The server decides what the
// caller's role may do; this page only hides tabs the role cannot use.

import { Api } from "./api.js";
import { el, formatDate, formatTime } from "./format.js";
import { loadCatalog, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ADMIN_TABS = ["office", "services", "counters", "staff", "devices", "audit"];
const SUPERVISOR_TABS = ["counters", "devices", "audit"];
const LOGO_MAX_BYTES = 150 * 1024;

class AdminPage {
  constructor() {
    loadCatalog();
    this.api = new Api();
    this.user = null;
    this.office = null;
    this.services = [];
    this.staff = [];
    this.logo = null;
  }

  async start() {
    try {
      this.user = await this.api.get("/auth/me");
    } catch (err) {
      if (err.status === 401) { $("admin-signin").hidden = false; return; }
      return this.message(this.errorText(err), "error");
    }
    if (!this.user || !["admin", "supervisor"].includes(this.user.role)) {
      $("admin-denied").hidden = false;
      return;
    }
    $("user-name").textContent = this.user.username;
    $("admin-view").hidden = false;
    this.isAdmin = this.user.role === "admin";
    const tabs = this.isAdmin ? ADMIN_TABS : SUPERVISOR_TABS;
    for (const tab of document.querySelectorAll(".tab")) {
      tab.hidden = !tabs.includes(tab.dataset.tab);
      tab.addEventListener("click", () => this.showTab(tab.dataset.tab));
    }
    for (const node of document.querySelectorAll("[data-admin-only]")) node.hidden = !this.isAdmin;
    this.bind();
    this.showTab(window.location.hash.slice(1) && tabs.includes(window.location.hash.slice(1))
      ? window.location.hash.slice(1) : tabs[0]);
  }

  bind() {
    $("office-form").addEventListener("submit", (e) => { e.preventDefault(); this.saveOffice(); });
    $("office-logo").addEventListener("change", (e) => this.pickLogo(e.target.files[0]));
    $("office-logo-remove").addEventListener("click", () => { this.logo = ""; this.showLogo(""); });
    $("service-form").addEventListener("submit", (e) => { e.preventDefault(); this.saveService(); });
    $("service-cancel").addEventListener("click", () => this.editService(null));
    $("counter-form").addEventListener("submit", (e) => { e.preventDefault(); this.saveCounter(); });
    $("counter-cancel").addEventListener("click", () => this.editCounter(null));
    $("staff-form").addEventListener("submit", (e) => { e.preventDefault(); this.addStaff(); });
    $("reset-form").addEventListener("submit", (e) => { e.preventDefault(); this.resetPassword(); });
    $("reset-cancel").addEventListener("click", () => { $("reset-form").hidden = true; });
    $("device-form").addEventListener("submit", (e) => { e.preventDefault(); this.addDevice(); });
    $("audit-form").addEventListener("submit", (e) => { e.preventDefault(); this.loadAudit(); });
  }

  showTab(name) {
    for (const tab of document.querySelectorAll(".tab")) {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    }
    for (const tab of ADMIN_TABS) $(`tab-${tab}`).hidden = tab !== name;
    history.replaceState(null, "", `#${name}`);
    const loaders = {
      office: () => this.loadOffice(), services: () => this.loadServices(),
      counters: () => this.loadCounters(), staff: () => this.loadStaff(),
      devices: () => this.loadDevices(), audit: () => this.loadAudit(),
    };
    this.clearMessage();
    loaders[name]();
  }

  // ---- messages -----------------------------------------------------------
  errorText(err) {
    if (err.status === 0) return t("err_network");
    if (err.status === 403) return t("err_forbidden");
    const key = `err_${err.code}`;
    const text = t(key);
    return text !== key ? text : t("err_generic", { message: err.message || err.code });
  }

  message(text, kind = "ok") {
    const box = $("admin-message");
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = false;
  }

  clearMessage() { $("admin-message").hidden = true; }

  fail(id, err) {
    $(id).textContent = this.errorText(err);
    $(id).hidden = false;
  }

  async run(errorId, work) {
    $(errorId).hidden = true;
    try {
      await work();
      return true;
    } catch (err) {
      this.fail(errorId, err);
      return false;
    }
  }

  // ---- office -------------------------------------------------------------
  async loadOffice() {
    await this.run("office-error", async () => {
      const o = await this.api.get("/admin/office");
      this.office = o;
      $("unit-name").textContent = o.name;
      $("office-name").value = o.name;
      $("office-address").value = o.address;
      $("office-phone").value = o.phone;
      $("office-email").value = o.email;
      $("office-whatsapp").value = o.whatsapp;
      $("office-timezone").value = o.timezone;
      $("office-complaints").value = o.complaint_channels.join("\n");
      $("office-running-text").value = o.running_text;
      $("office-skd").value = o.skd_url;
      $("office-counter-area").value = o.counter_area;
      for (const day of DAYS) $(`hours-${day}`).value = o.opening_hours[day] || "";
      this.logo = null;
      this.showLogo(o.logo);
    });
  }

  showLogo(data) {
    $("office-logo-preview").hidden = !data;
    $("office-logo-remove").hidden = !data;
    if (data) $("office-logo-preview").src = data;
    else $("office-logo-preview").removeAttribute("src");
  }

  pickLogo(file) {
    $("office-error").hidden = true;
    if (!file) return;
    if (!["image/png", "image/jpeg"].includes(file.type)) {
      return this.fail("office-error", { status: 422, code: "bad_logo" });
    }
    if (file.size > LOGO_MAX_BYTES) return this.fail("office-error", { status: 422, code: "logo_too_large" });
    const reader = new FileReader();
    reader.onload = () => { this.logo = String(reader.result); this.showLogo(this.logo); };
    reader.readAsDataURL(file);
  }

  async saveOffice() {
    const hours = {};
    for (const day of DAYS) hours[day] = $(`hours-${day}`).value.trim();
    const body = {
      name: $("office-name").value, address: $("office-address").value,
      phone: $("office-phone").value, email: $("office-email").value,
      whatsapp: $("office-whatsapp").value, timezone: $("office-timezone").value,
      complaint_channels: $("office-complaints").value.split("\n"),
      running_text: $("office-running-text").value, skd_url: $("office-skd").value,
      counter_area: $("office-counter-area").value, opening_hours: hours,
    };
    if (this.logo !== null) body.logo = this.logo;
    const ok = await this.run("office-error", async () => {
      await this.api.put("/admin/office", body);
    });
    if (ok) { this.message(t("saved")); await this.loadOffice(); }
  }

  // ---- services -----------------------------------------------------------
  async loadServices() {
    await this.run("service-error", async () => {
      this.services = await this.api.get("/admin/services");
      $("services-body").replaceChildren(...this.services.map((s) => el("tr",
        { class: s.active ? "" : "inactive", dataset: { service: s.code } },
        el("td", {}, s.sort_order), el("td", {}, s.prefix), el("td", {}, s.code),
        el("td", {}, s.name_id), el("td", {}, s.name_en), el("td", {}, s.case_kind || "—"),
        el("td", {}, s.active ? t("yes") : t("no")),
        el("td", {}, el("button", { type: "button", class: "btn", onclick: () => this.editService(s) }, t("edit"))))));
      this.editService(null);
    });
  }

  editService(s) {
    $("service-error").hidden = true;
    $("service-form-title").textContent = s ? `${t("edit")}: ${s.name_id}` : t("new_service");
    $("service-id").value = s ? s.id : "";
    $("service-code").value = s ? s.code : "";
    $("service-code").disabled = Boolean(s);
    $("service-prefix").value = s ? s.prefix : "";
    $("service-name-id").value = s ? s.name_id : "";
    $("service-name-en").value = s ? s.name_en : "";
    $("service-description-id").value = s ? s.description_id : "";
    $("service-description-en").value = s ? s.description_en : "";
    $("service-order").value = s ? s.sort_order : "";
    $("service-case-kind").value = s && s.case_kind ? s.case_kind : "";
    $("service-active").checked = s ? s.active : true;
    $("service-cancel").hidden = !s;
  }

  async saveService() {
    const id = $("service-id").value;
    const body = {
      prefix: $("service-prefix").value.trim().toUpperCase(),
      name_id: $("service-name-id").value, name_en: $("service-name-en").value,
      description_id: $("service-description-id").value, description_en: $("service-description-en").value,
      active: $("service-active").checked, case_kind: $("service-case-kind").value.trim() || null,
    };
    const ok = await this.run("service-error", async () => {
      if (id) {
        const order = $("service-order").value;
        if (order !== "") body.sort_order = Number(order);
        await this.api.request("PATCH", `/admin/services/${id}`, { body });
      } else {
        await this.api.post("/admin/services", { ...body, code: $("service-code").value.trim() });
      }
    });
    if (ok) { this.message(t("saved")); await this.loadServices(); }
  }

  // ---- counters -----------------------------------------------------------
  async loadCounters() {
    await this.run("counter-error", async () => {
      const [counters, services] = await Promise.all([
        this.api.get("/admin/counters"), this.api.get("/services"),
      ]);
      this.services = services;
      const names = new Map(services.map((s) => [s.id, s.prefix]));
      $("counters-body").replaceChildren(...counters.map((c) => el("tr", { dataset: { counter: c.number } },
        el("td", {}, c.number), el("td", {}, c.name),
        el("td", {}, c.service_ids.map((id) => names.get(id) || id).join(", ") || "—"),
        el("td", {}, c.paused ? t("counter_paused") : t("counter_open")),
        el("td", {},
          el("button", { type: "button", class: "btn", dataset: { act: "pause" }, onclick: () => this.pauseCounter(c) },
            c.paused ? t("resume") : t("pause")),
          this.isAdmin ? el("button", { type: "button", class: "btn", onclick: () => this.editCounter(c) }, t("edit")) : null))));
      this.editCounter(null);
    });
  }

  editCounter(c) {
    $("counter-error").hidden = true;
    $("counter-form-title").textContent = c ? `${t("edit")}: ${c.name}` : t("new_counter");
    $("counter-id").value = c ? c.id : "";
    $("counter-number").value = c ? c.number : "";
    $("counter-name").value = c ? c.name : "";
    const chosen = new Set(c ? c.service_ids : this.services.map((s) => s.id));
    $("counter-services").replaceChildren(...this.services.map((s) => el("label", { class: "check" },
      el("input", { type: "checkbox", value: s.id, checked: chosen.has(s.id) }), ` ${s.prefix} · ${s.name.id}`)));
    $("counter-cancel").hidden = !c;
  }

  async saveCounter() {
    const id = $("counter-id").value;
    const serviceIds = [...$("counter-services").querySelectorAll("input:checked")].map((i) => Number(i.value));
    const body = { number: Number($("counter-number").value), name: $("counter-name").value, service_ids: serviceIds };
    const ok = await this.run("counter-error", async () => {
      if (id) await this.api.request("PATCH", `/admin/counters/${id}`, { body });
      else await this.api.post("/admin/counters", body);
    });
    if (ok) { this.message(t("saved")); await this.loadCounters(); }
  }

  async pauseCounter(c) {
    const ok = await this.run("counter-error", async () => {
      await this.api.request("PATCH", `/admin/counters/${c.id}`, { body: { paused: !c.paused } });
    });
    if (ok) await this.loadCounters();
  }

  // ---- staff --------------------------------------------------------------
  async loadStaff() {
    await this.run("staff-error", async () => {
      this.staff = await this.api.get("/admin/staff");
      $("staff-body").replaceChildren(...this.staff.map((u) => {
        const state = !u.active ? t("state_disabled") : u.must_change_password ? t("state_reset") : t("state_active");
        const role = el("select", { "aria-label": t("staff_role"), onchange: (e) => this.patchStaff(u, { role: e.target.value }) },
          ...["staff", "supervisor", "admin"].map((r) => el("option", { value: r, selected: r === u.role }, t(`role_${r}`))));
        return el("tr", { class: u.active ? "" : "inactive", dataset: { user: u.username } },
          el("td", {}, u.username), el("td", {}, u.full_name), el("td", {}, role), el("td", {}, state),
          el("td", {},
            el("button", { type: "button", class: "btn", dataset: { act: "active" }, onclick: () => this.patchStaff(u, { active: !u.active }) },
              u.active ? t("disable") : t("enable")),
            el("button", { type: "button", class: "btn", dataset: { act: "reset" }, onclick: () => this.askReset(u) }, t("reset_password")),
            el("button", { type: "button", class: "btn", dataset: { act: "signout" }, onclick: () => this.signOut(u) }, t("sign_out_all"))));
      }));
    });
  }

  async addStaff() {
    const body = {
      username: $("staff-username").value.trim(), full_name: $("staff-full-name").value,
      role: $("staff-role").value, password: $("staff-password").value,
    };
    const ok = await this.run("staff-error", async () => { await this.api.post("/admin/staff", body); });
    if (ok) {
      $("staff-username").value = ""; $("staff-full-name").value = ""; $("staff-password").value = "";
      this.message(t("saved"));
      await this.loadStaff();
    }
  }

  async patchStaff(u, body) {
    const ok = await this.run("staff-error", async () => {
      await this.api.request("PATCH", `/admin/staff/${u.id}`, { body });
    });
    if (ok) this.message(t("saved"));
    await this.loadStaff();
  }

  askReset(u) {
    $("reset-user").value = u.id;
    $("reset-label").textContent = t("reset_prompt", { user: u.username });
    $("reset-password").value = "";
    $("reset-error").hidden = true;
    $("reset-form").hidden = false;
    $("reset-password").focus();
  }

  async resetPassword() {
    const id = $("reset-user").value;
    const user = this.staff.find((u) => String(u.id) === id);
    const ok = await this.run("reset-error", async () => {
      await this.api.post(`/admin/staff/${id}/reset-password`, { temporary_password: $("reset-password").value });
    });
    if (ok) {
      $("reset-form").hidden = true;
      this.message(t("reset_done", { user: user ? user.username : id }));
      await this.loadStaff();
    }
  }

  async signOut(u) {
    const ok = await this.run("staff-error", async () => { await this.api.post(`/admin/staff/${u.id}/sign-out`); });
    if (ok) this.message(t("signed_out", { user: u.username }));
  }

  // ---- devices ------------------------------------------------------------
  async loadDevices() {
    await this.run("device-error", async () => {
      const devices = await this.api.get("/admin/devices");
      const tz = (this.office && this.office.timezone) || "Asia/Jakarta";
      $("devices-body").replaceChildren(...devices.map((d) => {
        const seen = d.last_seen_at ? new Date(d.last_seen_at) : null;
        const state = !d.active ? t("revoked") : d.online ? t("online") : t("offline");
        return el("tr", { class: d.active ? "" : "inactive", dataset: { device: d.id } },
          el("td", {}, d.name), el("td", {}, t(`kind_${d.kind}`)), el("td", {}, state),
          el("td", {}, seen ? `${formatDate(seen, tz)} ${formatTime(seen, tz)}` : t("never")),
          el("td", {}, this.isAdmin && d.active
            ? el("button", { type: "button", class: "btn", dataset: { act: "revoke" }, onclick: () => this.revoke(d) }, t("revoke")) : null));
      }));
    });
  }

  async addDevice() {
    $("device-token-box").hidden = true;
    let created = null;
    const ok = await this.run("device-error", async () => {
      created = await this.api.post("/admin/devices", { kind: $("device-kind").value, name: $("device-name").value });
    });
    if (!ok) return;
    $("device-name").value = "";
    $("device-token").textContent = created.token;
    $("device-pair-label").hidden = created.kind !== "board";
    $("device-pair-url").textContent = created.pair_url;
    $("device-qr").src = `data:image/svg+xml;base64,${btoa(created.qr_svg)}`;
    $("device-token-box").hidden = false;
    await this.loadDevices();
  }

  async revoke(d) {
    if (!window.confirm(t("revoke_confirm", { name: d.name }))) return;
    const ok = await this.run("device-error", async () => { await this.api.post(`/admin/devices/${d.id}/revoke`); });
    if (ok) { $("device-token-box").hidden = true; await this.loadDevices(); }
  }

  // ---- audit log ----------------------------------------------------------
  async loadAudit() {
    await this.run("audit-error", async () => {
      const params = {
        user_id: $("audit-user").value, action: $("audit-action").value.trim(),
        visitor_id: $("audit-visitor").value, date_from: $("audit-from").value, date_to: $("audit-to").value,
      };
      const data = await this.api.get("/admin/audit", params);
      this.fillAuditFilters(data);
      const tz = data.timezone || "Asia/Jakarta";
      $("audit-body").replaceChildren(...data.entries.map((a) => {
        const at = new Date(a.at);
        return el("tr", { dataset: { action: a.action } },
          el("td", {}, `${formatDate(at, tz)} ${formatTime(at, tz, { seconds: true })}`),
          el("td", {}, a.username || (a.device_id ? `#${a.device_id}` : "—")),
          el("td", {}, a.action), el("td", {}, a.visitor_id || "—"), el("td", {}, a.reason || ""),
          el("td", { class: "muted" }, [a.fields.join(", "), a.detail ? JSON.stringify(a.detail) : ""].filter(Boolean).join(" ")));
      }));
      if (!data.entries.length) $("audit-body").replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("audit_empty"))));
    });
  }

  fillAuditFilters(data) {
    const select = $("audit-user");
    if (select.options.length === 1) {
      for (const u of data.staff) select.append(el("option", { value: u.id }, u.username));
    }
    $("audit-actions").replaceChildren(...data.actions.map((a) => el("option", { value: a })));
  }
}

const page = new AdminPage();
window.loketAdmin = page;
page.start();
