// Shared by the reports pages: catalog lookup, number formatting, table rendering.
// Figures, suppression and labels all come from /api/v1/reports; nothing is computed here.

let messages = {};
let language = "id";

export function loadCatalog() {
  const el = document.getElementById("loket-i18n");
  const data = el ? JSON.parse(el.textContent || "{}") : {};
  messages = data.messages || {};
  language = data.lang || "id";
  return language;
}

export function t(key, params = {}) {
  const text = messages[key] !== undefined ? messages[key] : key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function lang() { return language; }

export function fmt(value, kind) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "string") return value;
  if (kind === "minutes" || kind === "percent") {
    return value.toLocaleString(language === "id" ? "id-ID" : "en-GB",
      { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }
  if (typeof value === "number") return value.toLocaleString(language === "id" ? "id-ID" : "en-GB");
  return String(value);
}

export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

// A <table> from the API's {columns, rows}; a "< 3" cell is marked as suppressed.
export function renderTable(table) {
  const head = el("tr", {}, table.columns.map((c) => el("th", { scope: "col", text: c.label })));
  const body = table.rows.map((row) => el("tr", {}, row.map((v, i) => {
    const suppressed = typeof v === "string" && v === "< 3";
    return el("td", { class: suppressed ? "suppressed" : "", text: fmt(v, table.columns[i].kind) });
  })));
  return el("table", { class: "report-table", "data-table": table.id },
    [el("thead", {}, [head]), el("tbody", {}, body)]);
}

export async function getJson(url) {
  const res = await fetch(url, { credentials: "same-origin", cache: "no-store",
    headers: { Accept: "application/json" } });
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    const message = (data && data.error && data.error.message) || `HTTP ${res.status}`;
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  return data;
}

export const PALETTE = ["#1f5f99", "#e07b39", "#3c9d5d", "#b8404a", "#7a5aa6", "#a38b2e"];
