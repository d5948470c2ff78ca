// Desk registration: staff sign in a visitor who prefers not to use the kiosk.
// Same guestbook form (GET /api/v1/guestbook/form), consent and ticket as the
// kiosk, sent once per client_request_id to POST /api/v1/registrations; a
// retry after a network error reuses the id, so it never makes two tickets.

import { newRequestId } from "./api.js";
import { el } from "./format.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
// The visitor's answers are exactly the fields GET /guestbook/form lists (plus the
// identity document); this file keeps no list of its own.
const ID_KEYS = ["id_type", "id_number"];

export class DeskRegistration {
  constructor(app) {
    this.app = app;
    this.form = null;
    this.requestId = null;
    this.sending = false;
  }

  async init() {
    $("register-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    $("register-form").addEventListener("reset", () => this.resetSoon());
    $("register-another").addEventListener("click", () => this.newVisitor());
    $("register-form").addEventListener("input", () => { this.requestIdDirty = true; });
    $("register-form").addEventListener("change", () => this.applyConditions());
  }

  async show() {
    if (!this.form) await this.load();
  }

  // The label of a coded answer (e.g. purpose "penelitian" → "Penelitian").
  label(name, value) {
    if (!this.form || value === null || value === undefined) return value;
    const field = (this.form.fields || []).find((f) => f.name === name);
    const choices = name === "id_type" ? this.form.id_types : field && field.choices;
    const hit = (choices || []).find((c) => c.value === value);
    return hit ? hit.label : value;
  }

  async load() {
    const services = this.app.services;
    $("register-service").replaceChildren(...services.map((s) => el("option", { value: s.id }, this.app.serviceName(s.id))));
    try {
      this.form = await this.app.api.get("/guestbook/form", { lang: lang() });
    } catch (err) {
      $("register-unavailable").hidden = false;
      $("register-submit").disabled = true;
      if (err.status !== 404) $("register-unavailable").textContent = this.app.errorText(err);
      return;
    }
    $("register-unavailable").hidden = true;
    $("register-submit").disabled = false;
    const notice = this.form.notice || {};
    $("register-notice").textContent = notice.text || "";
    const priority = $("register-priority");
    priority.replaceChildren(el("option", { value: "" }, t("register_priority_none")),
      ...(this.form.priority_reasons || []).map((r) => el("option", { value: r.value }, r.label)));
    const fields = [...(this.form.fields || [])];
    // The identity document is asked for separately from the data-driven fields.
    if (!fields.some((f) => f.name === "id_type") && (this.form.id_types || []).length) {
      fields.push({ name: "id_type", label: t("field_id_type"), kind: "choice", required: true,
        choices: this.form.id_types, personal: false });
    }
    if (!fields.some((f) => f.name === "id_number")) {
      fields.push({ name: "id_number", label: t("field_id_number"), kind: "text", required: true,
        choices: null, personal: true });
    }
    $("register-fields").replaceChildren(...fields.map((f) => this.fieldNode(f)));
    this.applyConditions();
  }

  // A field with "when" (e.g. the "Lainnya" occupation text) shows, and is required,
  // only while the answers it depends on are given — the server's rule, sent as data.
  applyConditions() {
    if (!this.form) return;
    for (const f of this.form.fields || []) {
      if (!f.when) continue;
      const holder = $("register-fields").querySelector(`[data-field="${f.name}"]`);
      if (!holder) continue;
      const shown = Object.entries(f.when).every(([name, value]) => {
        const input = $(`reg-${name}`);
        return input && input.value === value;
      });
      holder.hidden = !shown;
      const input = $(`reg-${f.name}`);
      if (input) {
        input.required = Boolean(f.required && shown);
        if (!shown) input.value = "";
      }
    }
  }

  fieldNode(f) {
    const id = `reg-${f.name}`;
    let input;
    if (f.kind === "choice") {
      input = el("select", { id, name: f.name, required: f.required },
        el("option", { value: "" }, "—"),
        ...(f.choices || []).map((c) => el("option", { value: c.value }, c.label)));
    } else {
      const type = { email: "email", phone: "tel", number: "number" }[f.kind] || "text";
      input = el("input", { id, name: f.name, type, required: f.required, autocomplete: "off",
        inputmode: f.kind === "phone" ? "tel" : null, maxlength: f.max_length || null });
    }
    return el("label", { class: `field${f.personal ? " personal" : ""}`, dataset: { field: f.name },
      title: f.personal ? t("personal_field") : null },
      el("span", {}, f.label, f.required ? el("span", { class: "req", "aria-hidden": "true" }, " *") : ""),
      input, el("small", { class: "field-error", hidden: true }));
  }

  collect() {
    const visitor = {};
    const keys = [...(this.form.fields || []).map((f) => f.name), ...ID_KEYS];
    for (const input of $("register-fields").querySelectorAll("input, select")) {
      const value = input.value.trim();
      if (keys.includes(input.name)) visitor[input.name] = value === "" ? null : value;
    }
    const reason = $("register-priority").value;
    return {
      client_request_id: this.requestId,
      language: lang(),
      consent: { notice_version: (this.form.notice || {}).version || "", accepted: $("register-consent").checked, photo_accepted: false },
      service_id: Number($("register-service").value),
      priority: Boolean(reason),
      priority_reason: reason || null,
      returning_visitor_id: null,
      visitor,
      id_photo_jpeg_base64: null,
    };
  }

  clearErrors() {
    $("register-error").hidden = true;
    for (const small of $("register-fields").querySelectorAll(".field-error")) { small.hidden = true; small.textContent = ""; }
  }

  async submit() {
    if (this.sending || !this.form) return;
    this.clearErrors();
    if (!$("register-consent").checked) return this.fail(t("register_need_consent"));
    const missing = [...$("register-fields").querySelectorAll("[required]")].filter((i) => !i.value.trim());
    if (missing.length) {
      for (const i of missing) this.fieldError(i.name, t("field_required"));
      missing[0].focus();
      return;
    }
    // A new request id per submission; the same one again after a network error.
    if (!this.requestId || this.requestIdDirty) this.requestId = newRequestId();
    this.requestIdDirty = false;
    this.sending = true;
    $("register-submit").disabled = true;
    try {
      const res = await this.app.api.post("/registrations", this.collect());
      this.showResult(res.ticket);
    } catch (err) {
      if (err.status === 422 && err.body && err.body.error && err.body.error.fields) {
        for (const [name, code] of Object.entries(err.body.error.fields)) {
          const text = t(`field_err_${code}`);
          this.fieldError(name, text === `field_err_${code}` ? code : text);
        }
        this.fail(t("register_fix_fields"));
      } else if (err.status === 0) {
        this.fail(t("register_retry"));
      } else {
        this.requestIdDirty = true;
        this.fail(this.app.errorText(err));
      }
    } finally {
      this.sending = false;
      $("register-submit").disabled = false;
    }
  }

  fieldError(name, text) {
    const label = $("register-fields").querySelector(`[data-field="${name}"] .field-error`);
    if (label) { label.textContent = text; label.hidden = false; }
    else this.fail(`${name}: ${text}`);
  }

  fail(text) {
    $("register-error").textContent = text;
    $("register-error").hidden = false;
  }

  showResult(ticket) {
    $("register-form").hidden = true;
    $("register-result").hidden = false;
    $("register-number").textContent = ticket.number;
    $("register-spoken").textContent = t("register_ticket_detail", {
      service: this.app.serviceName(ticket.service_id), ahead: ticket.people_ahead ?? 0,
    });
    this.requestId = null;
  }

  newVisitor() {
    $("register-form").reset();
    $("register-form").hidden = false;
    $("register-result").hidden = true;
  }

  resetSoon() {
    this.requestId = null;
    setTimeout(() => this.clearErrors(), 0);
  }
}
