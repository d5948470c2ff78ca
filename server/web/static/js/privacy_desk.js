// The privacy desk (supervisors): find a visitor by NIK, e-mail or name (or
// open a visit by its id, from a "contact me" rating), see the masked record,
// reveal a field with a reason, export (JSON, PDF), correct and erase. Every
// step is audited by the server (/api/v1/visitors, /api/v1/visits).

import { el } from "./format.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["name", "email", "phone", "id_number"];

export class PrivacyDesk {
  constructor(app) {
    this.app = app;
    this.visitor = null;
    this.bound = false;
  }

  init() {
    if (this.bound) return;
    this.bound = true;
    $("desk-search-form").addEventListener("submit", (e) => { e.preventDefault(); this.search(); });
    $("desk-correct-form").addEventListener("submit", (e) => { e.preventDefault(); this.correct(); });
    $("desk-erase").addEventListener("click", () => this.erase());
    for (const id of ["desk-export-json", "desk-export-pdf"]) {
      $(id).addEventListener("click", (e) => this.exportLink(e, id));
    }
  }

  errorText(err) {
    if (err.status === 0) return t("err_network");
    return t("desk_error", { message: err.message || err.code });
  }

  show(id, text) { $(id).textContent = text; $(id).hidden = false; }

  clear() { $("desk-error").hidden = true; $("desk-message").hidden = true; }

  reason() {
    const reason = $("desk-reason").value.trim();
    if (reason.length < 3) { this.show("desk-error", t("desk_reason_needed")); $("desk-reason").focus(); return null; }
    return reason;
  }

  async search() {
    this.clear();
    $("desk-record").hidden = true;
    const body = { [$("desk-by").value]: $("desk-query").value.trim() };
    try {
      const found = await this.app.api.post("/visitors/search", body);
      $("desk-results").replaceChildren(...found.map((v) => el("tr", { dataset: { visitor: v.id } },
        el("td", {}, v.masked.name || "—"), el("td", {}, v.masked.id_number || "—"),
        el("td", {}, v.masked.email || "—"), el("td", {}, t("desk_visits", { count: v.visit_count ?? 0 })),
        el("td", {}, el("button", { type: "button", class: "btn", onclick: () => this.open(v.id) }, t("desk_open"))))));
      if (!found.length) $("desk-results").replaceChildren(el("tr", {}, el("td", { class: "muted" }, t("desk_none"))));
    } catch (err) {
      this.show("desk-error", this.errorText(err));
    }
  }

  // A visit named by its id (a "contact me" rating): GET /visits/{id} is audited
  // as "open"; its visitor's record then opens masked, and each reveal needs a reason.
  async openVisit(visitId) {
    this.clear();
    let visit;
    try {
      visit = await this.app.api.get(`/visits/${visitId}`);
    } catch (err) {
      return this.show("desk-error", this.errorText(err));
    }
    if (!visit.visitor_id) return this.show("desk-message", t("desk_visit_no_visitor", { visit: visit.id }));
    await this.open(visit.visitor_id);
    this.show("desk-message", t("desk_visit_opened", { visit: visit.id, ticket: visit.ticket_number || "—" }));
    $("desk-reason").focus();
  }

  async open(id) {
    this.clear();
    try {
      this.visitor = await this.app.api.get(`/visitors/${id}`);
    } catch (err) {
      return this.show("desk-error", this.errorText(err));
    }
    const v = this.visitor;
    $("desk-record-title").textContent = `#${v.id} · ${v.masked.name || ""}`;
    $("desk-fields").replaceChildren(...FIELDS.map((field) => el("tr", { dataset: { field } },
      el("th", {}, t(`desk_field_${field}`)),
      el("td", { class: "value" }, v.masked[field] || "—"),
      el("td", {}, v.masked[field]
        ? el("button", { type: "button", class: "btn", onclick: () => this.reveal(field) }, t("desk_reveal")) : null))));
    $("desk-export-json").href = `/api/v1/visitors/${v.id}/export`;
    $("desk-export-pdf").href = `/api/v1/admin/visitors/${v.id}/export.pdf?lang=${lang()}`;
    this.exportBase = { "desk-export-json": $("desk-export-json").href, "desk-export-pdf": $("desk-export-pdf").href };
    $("desk-record").hidden = false;
  }

  // An export also needs the reason (audited): it goes into the download's address.
  exportLink(e, id) {
    this.clear();
    const reason = this.reason();
    if (!reason) { e.preventDefault(); return; }
    const url = new URL(this.exportBase[id]);
    url.searchParams.set("reason", reason);
    $(id).href = url.pathname + url.search;
  }

  async reveal(field) {
    this.clear();
    const reason = this.reason();
    if (!reason) return;
    try {
      const out = await this.app.api.post(`/visitors/${this.visitor.id}/reveal`, { field, reason });
      document.querySelector(`#desk-fields tr[data-field=${field}] td.value`).textContent = out.value || "—";
    } catch (err) {
      this.show("desk-error", this.errorText(err));
    }
  }

  async correct() {
    this.clear();
    const reason = this.reason();
    if (!reason) return;
    const body = { reason, [$("desk-correct-field").value]: $("desk-correct-value").value };
    try {
      await this.app.api.request("PATCH", `/visitors/${this.visitor.id}`, { body });
      $("desk-correct-value").value = "";
      await this.open(this.visitor.id);
      this.show("desk-message", t("desk_corrected"));
    } catch (err) {
      this.show("desk-error", this.errorText(err));
    }
  }

  async erase() {
    this.clear();
    const reason = this.reason();
    if (!reason || !window.confirm(t("desk_erase_confirm"))) return;
    try {
      await this.app.api.request("DELETE", `/visitors/${this.visitor.id}?reason=${encodeURIComponent(reason)}`);
      $("desk-record").hidden = true;
      $("desk-results").replaceChildren();
      this.show("desk-message", t("desk_erased"));
    } catch (err) {
      this.show("desk-error", this.errorText(err));
    }
  }
}
