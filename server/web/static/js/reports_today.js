// Today at the desk: fetches /api/v1/reports/today and fetches it again whenever the
// event stream reports a queue or device change (debounced), and every 30 s.

import { LiveEvents } from "./events.js";
import { loadCatalog, t, lang, el, fmt, getJson, PALETTE } from "./reports_common.js";

const Chart = window.Chart;
const state = { data: null, loads: 0, chart: null, events: null, error: null };
window.loketReportsToday = state;

function renderServices(services) {
  const body = document.querySelector("#today-services tbody");
  body.replaceChildren(...services.map((s) => el("tr", { "data-service": s.prefix }, [
    el("td", { text: s.prefix }), el("td", { text: s.name }),
    el("td", { class: "waiting", text: fmt(s.waiting) }), el("td", { text: fmt(s.issued) }),
    el("td", { class: "served", text: fmt(s.served) }), el("td", { class: "no-show", text: fmt(s.no_show) }),
    el("td", { text: fmt(s.wait_median_minutes, "minutes") }),
    el("td", { text: fmt(s.wait_longest_minutes, "minutes") }),
  ])));
  const labels = services.map((s) => s.name);
  const datasets = [
    { label: t("col_waiting"), data: services.map((s) => s.waiting), backgroundColor: PALETTE[1] },
    { label: t("col_served"), data: services.map((s) => s.served), backgroundColor: PALETTE[0] },
  ];
  if (!state.chart) {
    state.chart = new Chart(document.getElementById("chart-today"), {
      type: "bar", data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  } else {
    state.chart.data.labels = labels;
    state.chart.data.datasets.forEach((d, i) => { d.data = datasets[i].data; });
    state.chart.update();
  }
}

function renderCounters(counters) {
  const body = document.querySelector("#today-counters tbody");
  body.replaceChildren(...counters.map((c) => el("tr", { "data-counter": String(c.number) }, [
    el("td", { text: c.name }), el("td", { class: "state", text: t(`state_${c.state}`) }),
    el("td", { text: c.staff || t("no_staff") }), el("td", { class: "ticket", text: c.ticket || "–" }),
  ])));
}

function renderAlerts(alerts) {
  const list = document.getElementById("today-alerts");
  if (!alerts.length) {
    list.replaceChildren(el("li", { text: t("no_alerts") }));
    return;
  }
  list.replaceChildren(...alerts.map((a) => el("li", { class: "alert", "data-problem": a.problem },
    [`${a.device}: ${a.message}`])));
}

async function load() {
  try {
    const data = await getJson(`/api/v1/reports/today?lang=${lang()}`);
    state.data = data;
    document.getElementById("today-day").textContent = data.day;
    renderServices(data.services);
    renderCounters(data.counters);
    renderAlerts(data.alerts);
    const now = new Date();
    document.getElementById("updated-at").textContent =
      t("updated_at", { time: now.toLocaleTimeString(lang() === "id" ? "id-ID" : "en-GB") });
    document.getElementById("message").hidden = true;
    state.loads += 1;
    if (state.events) state.events.ensureOpen();
  } catch (err) {
    state.error = err.message;
    const message = document.getElementById("message");
    message.textContent = t("error_load", { message: err.message });
    message.hidden = false;
  }
}

let timer = null;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(load, 300);
}

function main() {
  loadCatalog();
  const status = document.getElementById("live-status");
  state.events = new LiveEvents({
    onEvent: soon,
    onStatus: (online, reconnected) => {
      status.dataset.state = online ? "online" : "offline";
      status.textContent = online ? t("live_online") : t("live_offline");
      if (reconnected) soon();
    },
  });
  state.events.start();
  load();
  setInterval(load, 30000);
}

main();
