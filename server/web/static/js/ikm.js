// The staff IKM page: reads GET /api/v1/reports/ikm and the follow-up plan API
// with the console's session cookie. Numbers, grade and weakest elements come
// from the server; nothing is computed here.
import { Api, ApiError } from "./api.js";

const messages = JSON.parse(document.getElementById("loket-i18n").textContent);
const lang = messages.lang;
const tr = (key) => messages.messages[key] || key;
const api = new Api();
const $ = (id) => document.getElementById(id);
let current = null;

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function showError(err) {
  const box = $("ikm-message");
  box.hidden = false;
  if (err instanceof ApiError && err.status === 401) box.textContent = tr("ikm_sign_in");
  else if (err instanceof ApiError && err.status === 403) box.textContent = tr("ikm_forbidden");
  else box.textContent = tr("ikm_error");
  $("ikm-result").hidden = true;
}

function params() {
  return { from: $("ikm-from").value, to: $("ikm-to").value, service: $("ikm-service").value };
}

async function loadPlan() {
  const rows = await api.get("/reports/ikm/followups", params());
  const body = $("ikm-plan").querySelector("tbody");
  body.replaceChildren();
  for (const entry of rows) {
    const row = document.createElement("tr");
    row.dataset.id = entry.id;
    cell(row, entry.element_code);
    cell(row, entry.action);
    cell(row, entry.owner);
    cell(row, entry.due_date + (entry.done ? ` — ${tr("ikm_plan_done")}` : ""));
    const actions = cell(row, "");
    if (!entry.done) {
      const done = document.createElement("button");
      done.textContent = tr("ikm_plan_done");
      done.addEventListener("click", async () => {
        await api.request("PATCH", `/reports/ikm/followups/${entry.id}`, { body: { done: true } });
        await loadPlan();
      });
      actions.appendChild(done);
    }
    const del = document.createElement("button");
    del.textContent = tr("ikm_plan_delete");
    del.addEventListener("click", async () => {
      await api.request("DELETE", `/reports/ikm/followups/${entry.id}`);
      await loadPlan();
    });
    actions.appendChild(del);
    body.appendChild(row);
  }
  $("ikm-plan-none").hidden = rows.length > 0;
}

function render(report) {
  current = report;
  $("ikm-message").hidden = true;
  $("ikm-result").hidden = false;
  $("ikm-value").textContent = report.ikm === null ? "—" : report.ikm.toFixed(2);
  $("ikm-grade").textContent = report.grade ? `${report.grade.letter} (${report.grade.label[lang]})` : "—";
  $("ikm-none").hidden = report.ikm !== null;
  $("ikm-respondents").textContent = report.respondents;
  $("ikm-served").textContent = report.served;
  $("ikm-minimum").textContent =
    `${report.minimum_respondents} — ${tr(report.minimum_reached ? "ikm_reached" : "ikm_not_reached")}`;
  $("ikm-contact").textContent = report.contact_requests;
  const body = $("ikm-elements").querySelector("tbody");
  body.replaceChildren();
  const select = $("plan-element");
  select.replaceChildren();
  for (const e of report.elements) {
    const row = document.createElement("tr");
    row.dataset.code = e.code;
    if (report.weakest.includes(e.code)) row.classList.add("ikm-weak");
    cell(row, `${e.code} ${e.element[lang]}`);
    cell(row, e.respondents);
    cell(row, e.nrr === null ? "—" : e.nrr.toFixed(2));
    body.appendChild(row);
    const option = document.createElement("option");
    option.value = e.code;
    option.textContent = `${e.code} ${e.element[lang]}`;
    select.appendChild(option);
  }
  const weakest = $("ikm-weakest");
  weakest.replaceChildren();
  for (const code of report.weakest) {
    const e = report.elements.find((x) => x.code === code);
    const li = document.createElement("li");
    li.textContent = `${code} ${e.element[lang]} — ${e.nrr.toFixed(2)}`;
    weakest.appendChild(li);
  }
  if (report.weakest.length) select.value = report.weakest[0];
}

// "Contact me" ratings: no name or contact here. The contact stays in the
// guestbook; the link opens the visit at the console's privacy desk, which asks
// for a reason and writes every opening and reveal to the audit log.
function contactCell(row, r) {
  const td = cell(row, "");
  if (r.visit_id === null) {
    td.textContent = tr("ikm_contact_no_visit");
    return;
  }
  const link = document.createElement("a");
  link.className = "ikm-contact-open";
  link.href = `/console?visit=${encodeURIComponent(r.visit_id)}`;
  link.textContent = `#${r.visit_id} — ${tr("ikm_contact_open")}`;
  td.appendChild(link);
}

function handledCell(row, r) {
  const td = cell(row, "");
  td.className = "ikm-contact-state";
  if (r.contact_handled_at) {
    const when = new Date(r.contact_handled_at).toLocaleString(lang === "id" ? "id-ID" : "en-GB");
    td.textContent = tr("ikm_contact_done").replace("{who}", r.contact_handled_by || "—").replace("{when}", when);
    return;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ikm-contact-mark";
  button.textContent = tr("ikm_contact_mark");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api.post(`/ratings/${r.id}/contact-handled`, {});
      await loadCallbacks();
    } catch (err) {
      showError(err);
    }
  });
  td.appendChild(button);
}

async function loadCallbacks() {
  const rows = await api.get("/ratings", { ...params(), contact_me: "true" });
  const body = $("ikm-callbacks").querySelector("tbody");
  body.replaceChildren();
  for (const r of rows) {
    const row = document.createElement("tr");
    row.dataset.rating = r.id;
    cell(row, r.day);
    cell(row, r.ticket_number);
    cell(row, r.overall);
    cell(row, [r.suggestion, r.followup_text].filter(Boolean).join(" — "));
    contactCell(row, r);
    handledCell(row, r);
    body.appendChild(row);
  }
  $("ikm-callbacks-none").hidden = rows.length > 0;
}

async function show() {
  try {
    render(await api.get("/reports/ikm", params()));
    await loadCallbacks();
    await loadPlan();
  } catch (err) {
    showError(err);
  }
  window.loketIkm.loaded += 1;
}

async function start() {
  const today = new Date();
  const first = new Date(today.getFullYear(), Math.floor(today.getMonth() / 3) * 3, 1);
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  $("ikm-from").value = iso(first);
  const end = new Date(today);
  end.setDate(end.getDate() + 1); // the unit's local day can be ahead of this browser's
  $("ikm-to").value = iso(end);
  try {
    for (const s of await api.get("/services")) {
      const option = document.createElement("option");
      option.value = s.code;
      option.textContent = s.name[lang];
      $("ikm-service").appendChild(option);
    }
  } catch (err) {
    showError(err);
    window.loketIkm.loaded += 1;
    return;
  }
  await show();
}

$("ikm-query").addEventListener("submit", (event) => { event.preventDefault(); show(); });
$("ikm-plan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!current) return;
  try {
    await api.post("/reports/ikm/followups", {
      element_code: $("plan-element").value,
      period_from: current.period_from,
      period_to: current.period_to,
      service: current.service || null,
      action: $("plan-what").value,
      owner: $("plan-who").value,
      due_date: $("plan-when").value,
    });
    $("plan-what").value = "";
    $("plan-who").value = "";
    await loadPlan();
  } catch (err) {
    showError(err);
  }
});

window.loketIkm = { loaded: 0 };
start();
