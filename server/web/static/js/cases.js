// Staff page for requests (cases), complaints, the working calendar and the
// mail outbox. Everything — including which steps may come next and their
// fields — comes from the API (docs/api.md); this file holds no rule.
import { Api, ApiError } from "./api.js";
import { loadCatalog, t } from "./i18n.js";

loadCatalog();
const api = new Api();
const $ = (sel) => document.querySelector(sel);
const state = { user: null, kinds: [], caseId: null };

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function say(text) {
  const box = $("#message");
  box.textContent = text;
  box.hidden = !text;
}

function fail(err) {
  const message = err instanceof ApiError ? err.message : String(err);
  say(t("cases.error", { message }));
}

function clockLabel(row) {
  if (row.days_left === null || row.days_left === undefined) return "";
  const word = row.clock === "ok" ? "" : ` (${t(`cases.clock_${row.clock}`)})`;
  return `${row.days_left}${word}`;
}

async function loadCases() {
  const rows = await api.get("/cases", { lang: document.documentElement.lang, complaints: false });
  const body = $("#case-list tbody");
  body.replaceChildren();
  for (const row of rows) {
    const tr = el("tr", undefined, { "data-id": row.id, class: `clock-${row.clock}` });
    tr.append(el("td", row.id), el("td", row.kind_label), el("td", row.title),
      el("td", row.current_label), el("td", row.deadline || ""), el("td", clockLabel(row)));
    tr.addEventListener("click", () => showCase(row.id).catch(fail));
    body.append(tr);
  }
  window.loketCases.loaded += 1;
}

function fieldInput(field) {
  const label = el("label", field.name + (field.required ? " *" : "") + " ");
  let input;
  if (field.choices.length) {
    input = el("select");
    if (!field.required) input.append(el("option", "", { value: "" }));
    for (const c of field.choices) input.append(el("option", c, { value: c }));
  } else {
    input = el("input", undefined, { type: field.type === "date" ? "date" : "text", maxlength: field.max });
  }
  input.dataset.field = field.name;
  if (field.required) input.required = true;
  label.append(input);
  return label;
}

function renderStepFields(detail) {
  const chosen = detail.allowed_next.find((n) => n.step === $("#step-select").value);
  $("#step-fields").replaceChildren(...(chosen ? chosen.fields.map(fieldInput) : []));
}

async function showCase(id) {
  const detail = await api.get(`/cases/${id}`, { lang: document.documentElement.lang });
  state.caseId = id;
  state.detail = detail;
  $("#case-detail").hidden = false;
  $("#detail-title").textContent = `#${detail.id} ${detail.kind_label} — ${detail.current_label}`;
  $("#detail-due").textContent = `${t("cases.col_due")}: ${detail.due_date || "-"} ${clockLabel(detail)}`;
  $("#detail-rounds").textContent = `${t("cases.detail_rounds")}: ${detail.rounds}`;
  $("#detail-tracking").href = detail.tracking_url;
  const steps = $("#detail-steps");
  steps.replaceChildren();
  for (const s of detail.steps) {
    const text = s.system
      ? t("cases.detail_due_change", { from: s.data.from || "-", to: s.data.to, reason: s.data.reason })
      : `${s.at.slice(0, 16).replace("T", " ")} — ${s.label}` +
        (Object.keys(s.data).length ? ` (${Object.entries(s.data).map(([k, v]) => `${k}: ${v}`).join(", ")})` : "") +
        (s.note ? ` — ${s.note}` : "");
    steps.append(el("li", text, { class: s.system ? "system" : "" }));
  }
  const select = $("#step-select");
  select.replaceChildren(...detail.allowed_next.map((n) => el("option", n.label, { value: n.step })));
  $("#step-form").hidden = detail.allowed_next.length === 0;
  renderStepFields(detail);
  $("#detail-attachments").replaceChildren(...detail.attachments.map((a) => {
    const li = el("li");
    li.append(el("a", `${a.filename} (${a.size} B)`, { href: `/api/v1/cases/${id}/attachments/${a.id}` }));
    return li;
  }));
  $("#reveal-out").hidden = true;
}

async function takeStep(ev) {
  ev.preventDefault();
  const values = {};
  for (const input of $("#step-fields").querySelectorAll("[data-field]")) {
    if (input.value !== "") values[input.dataset.field] = input.value;
  }
  const body = { step: $("#step-select").value, values, note: $("#step-note").value || null };
  const at = $("#step-at").value;
  if (at) body.at = new Date(at).toISOString();
  try {
    await api.post(`/cases/${state.caseId}/steps`, body);
    $("#step-note").value = "";
    $("#step-at").value = "";
    say("");
    await showCase(state.caseId);
    await loadCases();
  } catch (err) { fail(err); }
}

async function openCase(ev) {
  ev.preventDefault();
  const contact = { name: $("#open-name").value || null, email: $("#open-email").value || null, phone: $("#open-phone").value || null };
  const body = {
    kind: $("#open-kind").value,
    title: $("#open-title").value,
    organiser_type: $("#open-organiser").value,
    language: $("#open-language").value,
    contact,
  };
  const ticket = $("#open-ticket").value;
  if (ticket) body.ticket_id = Number(ticket);
  try {
    const created = await api.post("/cases", body);
    $("#open-case-form").reset();
    await loadCases();
    await showCase(created.id);
  } catch (err) { fail(err); }
}

async function reveal(ev) {
  ev.preventDefault();
  try {
    const out = await api.post(`/cases/${state.caseId}/reveal`, { reason: $("#reveal-reason").value });
    $("#reveal-contact").textContent = [out.contact.name, out.contact.email, out.contact.phone].filter(Boolean).join(" · ");
    const wa = $("#reveal-whatsapp");
    wa.hidden = !out.whatsapp_url;
    if (out.whatsapp_url) wa.href = out.whatsapp_url;
    $("#reveal-out").hidden = false;
  } catch (err) { fail(err); }
}

async function upload() {
  const file = $("#attach-file").files[0];
  if (!file) return;
  const res = await fetch(`/api/v1/cases/${state.caseId}/attachments`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": file.type || "application/octet-stream", "X-Filename": file.name, "X-Loket-CSRF": "1" },
    body: file,
  });
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    say(t("cases.error", { message: (data.error && data.error.message) || res.status }));
  } else { say(""); }
  $("#attach-file").value = "";
  await showCase(state.caseId);
}

async function loadComplaints() {
  const rows = await api.get("/complaints");
  const body = $("#complaint-list tbody");
  body.replaceChildren();
  for (const row of rows) {
    const tr = el("tr", undefined, { "data-id": row.case_id });
    tr.append(el("td", row.case_id), el("td", t(`cases.channel_${row.channel}`) + (row.lapor_number ? ` ${row.lapor_number}` : "")),
      el("td", t(`cases.kind_${row.kind}`)), el("td", t(`cases.step_${row.current_step}`)), el("td", row.due_date || ""));
    tr.addEventListener("click", () => { selectTab("cases"); showCase(row.case_id).catch(fail); });
    body.append(tr);
  }
}

async function fileComplaint(ev) {
  ev.preventDefault();
  const email = $("#complaint-email").value;
  const body = {
    category: $("#complaint-category").value,
    channel: $("#complaint-channel").value,
    text: $("#complaint-text").value,
    lapor_number: $("#complaint-lapor").value || null,
    anonymous: $("#complaint-anonymous").checked,
    contact: email ? { email } : null,
    language: document.documentElement.lang,
  };
  try {
    await api.post("/complaints", body);
    $("#complaint-form").reset();
    say("");
    await loadComplaints();
  } catch (err) { fail(err); }
}

async function loadCalendar() {
  const year = Number($("#calendar-year").value);
  const data = await api.get(`/calendar/${year}`, { lang: document.documentElement.lang });
  const body = $("#calendar-list tbody");
  body.replaceChildren();
  const admin = state.user && state.user.role === "admin";
  for (const d of data.days) {
    const tr = el("tr", undefined, { "data-day": d.day });
    const source = d.removed ? t("cases.removed") : t(`cases.source_${d.source}`);
    const action = el("td");
    if (admin && (d.source === "unit" || d.removed)) {
      const undo = el("button", t("cases.calendar_undo"), { type: "button", class: "btn btn-ghost" });
      undo.addEventListener("click", () => changeDay(d.day, null).catch(fail));
      action.append(undo);
    }
    tr.append(el("td", d.day), el("td", d.name), el("td", source), action);
    body.append(tr);
  }
}

async function changeDay(day, change, name = "") {
  const out = change
    ? await api.put(`/calendar/days/${day}`, { change, name })
    : await api.request("DELETE", `/calendar/days/${day}`);
  say(t("cases.calendar_moved", { count: out.moved.length }));
  await loadCalendar();
  await loadCases();
}

async function loadMail() {
  const rows = await api.get("/mail");
  const body = $("#mail-list tbody");
  body.replaceChildren();
  for (const m of rows) {
    const tr = el("tr", undefined, { "data-status": m.status });
    const action = el("td");
    if (m.status === "failed") {
      const retry = el("button", t("cases.mail_retry"), { type: "button", class: "btn btn-ghost" });
      retry.addEventListener("click", () => api.post(`/mail/${m.id}/retry`).then(loadMail).catch(fail));
      action.append(retry);
    }
    tr.append(el("td", m.id), el("td", m.subject), el("td", t(`cases.mail_status_${m.status}`)), el("td", m.attempts), el("td", m.last_error || ""), action);
    body.append(tr);
  }
}

function selectTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  for (const panel of document.querySelectorAll(".tab-panel")) panel.hidden = panel.id !== `tab-${name}`;
  const loaders = { cases: loadCases, complaints: loadComplaints, calendar: loadCalendar, mail: loadMail };
  loaders[name]().catch(fail);
}

async function start() {
  window.loketCases = { loaded: 0, showCase };
  try {
    state.user = await api.get("/auth/me");
  } catch { state.user = null; }
  if (!state.user) { $("#signin-needed").hidden = false; return; }
  $("#cases-view").hidden = false;
  for (const node of document.querySelectorAll("[data-role=admin]")) node.hidden = state.user.role !== "admin";
  state.kinds = await api.get("/cases/kinds", { lang: document.documentElement.lang });
  $("#open-kind").replaceChildren(...state.kinds.filter((k) => !k.complaint).map((k) => el("option", k.label, { value: k.code })));
  const unit = await api.get("/unit");
  $("#mail-disabled").hidden = unit.mail_enabled;
  $("#calendar-year").value = new Date().getFullYear();
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  $("#step-select").addEventListener("change", () => renderStepFields(state.detail));
  $("#step-form").addEventListener("submit", takeStep);
  $("#open-case-form").addEventListener("submit", openCase);
  $("#reveal-form").addEventListener("submit", reveal);
  $("#attach-file").addEventListener("change", () => upload().catch(fail));
  $("#complaint-form").addEventListener("submit", fileComplaint);
  $("#calendar-year").addEventListener("change", () => loadCalendar().catch(fail));
  $("#calendar-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    changeDay($("#calendar-day").value, $("#calendar-change").value, $("#calendar-name").value).catch(fail);
  });
  await loadCases();
}

start().catch(fail);
