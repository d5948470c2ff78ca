// Small fetch wrapper for the Loket HTTP API (docs/api.md).
// Staff pages use the HttpOnly session cookie and send the CSRF header on
// state-changing requests; the board passes its device token instead.

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || "";
    this.body = body || null;
  }
}

export class Api {
  constructor({ token = null, base = "/api/v1" } = {}) {
    this.token = token;
    this.base = base;
  }

  url(path, params = {}) {
    const u = new URL(this.base + path, window.location.origin);
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, v);
    }
    return u.pathname + u.search;
  }

  async request(method, path, { body, params, signal } = {}) {
    const headers = { Accept: "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (method !== "GET" && method !== "HEAD") headers["X-Loket-CSRF"] = "1";
    const init = { method, headers, credentials: "same-origin", signal, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(this.url(path, params), init);
    } catch (err) {
      throw new ApiError(0, "network", String(err));
    }
    if (res.status === 204) return null;
    let data = null;
    const type = res.headers.get("content-type") || "";
    if (type.includes("json")) {
      try { data = await res.json(); } catch { data = null; }
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(res.status, e.code || (data && data.detail ? "http_error" : ""), e.message, data);
    }
    return data;
  }

  get(path, params) { return this.request("GET", path, { params }); }
  post(path, body) { return this.request("POST", path, { body: body === undefined ? {} : body }); }
  put(path, body) { return this.request("PUT", path, { body }); }
}

// A request id that stays the same across retries of one submission.
// crypto.randomUUID needs a secure context; office LANs are often plain http.
export function newRequestId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
