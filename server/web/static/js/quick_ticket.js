// Issue a ticket without a guestbook entry (service and priority only, no
// personal data): POST /api/v1/tickets as the signed-in staff member.

import { newRequestId } from "./api.js";
import { lang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export class QuickTicket {
  constructor(app) {
    this.app = app;
    this.bound = false;
    this.requestId = null;
  }

  show() {
    const services = this.app.services || [];
    const select = $("quick-service");
    const chosen = select.value;
    select.replaceChildren(...services.map((s) => {
      const option = document.createElement("option");
      option.value = s.id;
      option.textContent = `${s.prefix} · ${s.name[lang()] || s.name.id}`;
      return option;
    }));
    if (chosen) select.value = chosen;
    if (this.bound) return;
    this.bound = true;
    $("quick-form").addEventListener("submit", (e) => { e.preventDefault(); this.issue(); });
    $("quick-form").addEventListener("change", () => { this.requestId = null; });
  }

  async issue() {
    $("quick-error").hidden = true;
    $("quick-result").hidden = true;
    const reason = $("quick-priority").value;
    this.requestId = this.requestId || newRequestId();  // a retried click gets the same ticket
    const body = { service_id: Number($("quick-service").value), priority: Boolean(reason), client_request_id: this.requestId };
    if (reason) body.priority_reason = reason;
    $("quick-issue").disabled = true;
    try {
      const ticket = await this.app.api.post("/tickets", body);
      $("quick-result").textContent = t("quick_issued", { number: ticket.number });
      $("quick-result").hidden = false;
      this.requestId = null;
    } catch (err) {
      $("quick-error").textContent = this.app.errorText(err);
      $("quick-error").hidden = false;
    } finally {
      $("quick-issue").disabled = false;
    }
  }
}
