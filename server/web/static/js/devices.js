// Device health for supervisors: kiosks, printers, boards and rating
// terminals, online state, last seen and printer paper (GET /api/v1/devices).

import { el, formatTime, formatDate } from "./format.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export class DeviceHealth {
  constructor(app) {
    this.app = app;
    this.active = false;
    this.timer = null;
  }

  init() {
    this.active = true;
    $("devices-refresh").addEventListener("click", () => this.load());
    this.timer = setInterval(() => { if (!$("tab-devices").hidden) this.load(); }, 30000);
  }

  async load() {
    if (!this.active) return;
    try {
      const devices = await this.app.api.get("/devices");
      $("devices-error").hidden = true;
      this.render(devices);
    } catch (err) {
      $("devices-error").textContent = this.app.errorText(err);
      $("devices-error").hidden = false;
    }
  }

  render(devices) {
    const tz = (this.app.unit && this.app.unit.timezone) || "Asia/Jakarta";
    const today = formatDate(new Date(), tz);
    $("devices-body").replaceChildren(...devices.map((d) => {
      const seen = d.last_seen_at ? new Date(d.last_seen_at) : null;
      const seenText = !seen ? t("never")
        : formatDate(seen, tz) === today ? formatTime(seen, tz) : `${formatDate(seen, tz)} ${formatTime(seen, tz)}`;
      return el("tr", { class: d.online ? "online" : "offline", dataset: { device: d.id } },
        el("td", {}, d.name),
        el("td", {}, t(`kind_${d.kind}`)),
        el("td", {}, el("span", { class: `dot ${d.online ? "dot-ok" : "dot-bad"}` }), " ", d.online ? t("online") : t("offline")),
        el("td", {}, seenText),
        el("td", {}, printerText(d.printer)));
    }));
    if (!devices.length) $("devices-body").replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("no_devices"))));
  }
}

function printerText(p) {
  if (!p) return "—";
  const parts = [p.online === false ? t("printer_offline") : t("printer_online")];
  if (p.paper) parts.push(t(`paper_${p.paper}`));
  if (p.error) parts.push(p.error);
  return parts.join(" · ");
}
