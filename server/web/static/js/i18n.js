// Catalog lookup for page scripts. The server embeds the page's catalog
// (server/i18n/catalogs/web.<lang>.json) as JSON in <script id="loket-i18n">.

let messages = {};
let language = "id";

export function loadCatalog() {
  const el = document.getElementById("loket-i18n");
  if (el) {
    const data = JSON.parse(el.textContent || "{}");
    messages = data.messages || {};
    language = data.lang || "id";
  }
  return { messages, language };
}

export function lang() { return language; }

export function t(key, params = {}) {
  const text = messages[key] !== undefined ? messages[key] : key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}
