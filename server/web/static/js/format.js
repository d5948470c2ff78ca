// Date and time formatting in the unit's time zone, Indonesian style
// ("Senin, 2 Maret 2026", "14.05").

const ZONE_NAMES = { "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };

export function zoneAbbrev(timeZone) { return ZONE_NAMES[timeZone] || ""; }

export function formatDate(date, timeZone, locale = "id-ID") {
  return new Intl.DateTimeFormat(locale, {
    timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric",
  }).format(date);
}

export function formatTime(date, timeZone, { seconds = false, locale = "id-ID" } = {}) {
  const opts = { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (seconds) opts.second = "2-digit";
  // Indonesian writes times with dots (14.05); id-ID already does.
  return new Intl.DateTimeFormat(locale, opts).format(date);
}

export function minutesSince(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((now - t) / 60000));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
