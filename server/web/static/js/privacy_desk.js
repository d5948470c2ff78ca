// The privacy desk (supervisors): find a visitor by NIK, e-mail or name (or
// open a visit by its id, from a "contact me" rating), see the masked record,
// reveal a field with a reason, export (JSON, PDF), correct and erase. Every
// step is audited by the server (/api/v1/visitors, /api/v1/visits).
//
// "Perlu ditinjau": the records a kiosk registration flagged `needs_review`
// (a known ID number with other contact values, not confirmed), listed masked
// with the record on file each collides with, as the server says
// (`POST /visitors/search {"needs_review": true}`, `review_of`, `review_of_masked`);
// the tab's badge is `GET /visitors/review-count`. Each is settled through the
// audited API with a reason: correct the record on file, erase the duplicate,
// or keep it as a visitor of its own (`POST /visitors/{id}/reviewed`).

import { el, formatDate } from "./format.js";
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
    $("review-list").addEventListener("click", (e) => {
      const btn = e.target.closest("button[data-review]");
      if (btn) this.settle(btn.dataset.review, Number(btn.closest("tr").dataset.visitor));
    });
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

  reason(input = "desk-reason", error = "desk-error") {
    const reason = $(input).value.trim();
    if (reason.length < 3) { this.show(error, t("desk_reason_needed")); $(input).focus(); return null; }
    return reason;
  }

  // ---- records awaiting review ---------------------------------------------

  // The badge on the privacy tab and the list's heading: a number from the server.
  // With `reload`, a changed number while the desk is open reloads the list too.
  async refreshCount({ reload = false } = {}) {
    let count;
    try {
      ({ count } = await this.app.api.get("/visitors/review-count"));
    } catch { return; /* the badge keeps its last number; the desk shows errors when opened */ }
    const changed = count !== this.count;
    this.count = count;
    $("privacy-badge").textContent = String(count);
    $("privacy-badge").hidden = count === 0;
    $("review-count").textContent = String(count);
    if (reload && changed && !$("tab-privacy").hidden) await this.loadReview();
  }

  // A kiosk registration may have flagged a record: count again, at most once a second.
  scheduleCount() {
    clearTimeout(this.countTimer);
    this.countTimer = setTimeout(() => this.refreshCount({ reload: true }), 1000);
  }

  async loadReview() {
    $("review-error").hidden = true;
    let flagged;
    try {
      flagged = await this.app.api.post("/visitors/search", { needs_review: true });
    } catch (err) {
      return this.show("review-error", this.errorText(err));
    }
    this.flagged = new Map(flagged.map((v) => [v.id, v]));
    const locale = lang() === "en" ? "en-GB" : "id-ID";
    const zone = this.app.unit ? this.app.unit.timezone : undefined;
    const action = (name, cls = "btn") => el("button", { type: "button", class: cls, dataset: { review: name } }, t(`review_${name}`));
    $("review-list").replaceChildren(...flagged.map((v) => el("tr", { dataset: { visitor: v.id, reviewOf: v.review_of ?? "" } },
      el("td", {}, v.masked.name || "—"), el("td", {}, v.masked.id_number || "—"),
      el("td", {}, v.masked.email || "—"), el("td", {}, v.masked.phone || "—"),
      el("td", {}, v.last_visit_at ? formatDate(new Date(v.last_visit_at), zone, locale) : "—"),
      el("td", { class: "on-file" }, v.review_of
        ? `#${v.review_of} · ${(v.review_of_masked && v.review_of_masked.name) || "—"}` : "—"),
      el("td", { class: "review-actions" }, action("open"), v.review_of ? action("correct") : null,
        action("keep"), action("erase", "btn btn-danger")))));
    if (!flagged.length) $("review-list").replaceChildren(el("tr", {}, el("td", { class: "muted", colspan: 7 }, t("review_none"))));
    await this.refreshCount();
  }

  async settle(how, id) {
    $("review-error").hidden = true;
    $("review-message").hidden = true;
    const v = this.flagged && this.flagged.get(id);
    if (!v) return;
    if (how === "open") return this.open(id);
    if (how === "correct") return this.correctOnFile(v);
    const reason = this.reason("review-reason", "review-error");
    if (!reason) return;
    try {
      if (how === "keep") {
        await this.app.api.post(`/visitors/${id}/reviewed`, { reason });
        this.show("review-message", t("review_kept", { id }));
      } else if (how === "erase") {
        if (!window.confirm(t("review_erase_confirm"))) return;
        await this.app.api.request("DELETE", `/visitors/${id}?reason=${encodeURIComponent(reason)}`);
        if (this.visitor && this.visitor.id === id) $("desk-record").hidden = true;
        this.show("review-message", t("review_erased", { id }));
      }
    } catch (err) {
      this.show("review-error", this.errorText(err));
    }
    await this.loadReview();
  }

  // The record on file opens in the desk's correction card (every correction needs
  // its reason); the flagged record stays listed until it is erased or kept.
  async correctOnFile(v) {
    if (!$("desk-reason").value.trim()) $("desk-reason").value = $("review-reason").value.trim();
    await this.open(v.review_of);
    if ($("desk-record").hidden) return;
    this.show("desk-message", t("review_correct_hint", { id: v.review_of, flagged: v.id }));
    $("desk-record").scrollIntoView({ block: "start" });
    $("desk-correct-value").focus();
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
      await this.loadReview();
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
      await this.loadReview();
    } catch (err) {
      this.show("desk-error", this.errorText(err));
    }
  }
}
