// The period report: reads the period from the address, fetches every table from
// /api/v1/reports/period, draws each chart with Chart.js (heat map: chartjs-chart-matrix)
// and shows each chart's numbers as a table with its CSV download.

import { loadCatalog, t, lang, el, renderTable, getJson, PALETTE } from "./reports_common.js";

const Chart = window.Chart;
const state = { charts: [], ready: false, error: null, report: null };
window.loketReports = state;

function params() {
  const q = new URLSearchParams(window.location.search);
  const out = new URLSearchParams();
  out.set("period", q.get("period") || "month");
  for (const k of ["date", "start", "end"]) if (q.get(k)) out.set(k, q.get(k));
  out.set("lang", lang());
  return out;
}

function syncForm(p) {
  const form = document.getElementById("period-form");
  document.getElementById("period-kind").value = p.get("period");
  form.dataset.kind = p.get("period");
  for (const k of ["date", "start", "end"]) {
    const input = document.getElementById(`period-${k}`);
    if (p.get(k)) input.value = p.get(k);
  }
  document.getElementById("period-kind").addEventListener("change", (e) => {
    form.dataset.kind = e.target.value;
  });
}

function numericColumns(table) {
  const minutes = table.columns.map((c, i) => [c, i]).filter(([c]) => c.kind === "minutes");
  if (minutes.length) return minutes;
  const numbers = table.columns.map((c, i) => [c, i]).filter(([c, i]) => i > 0 && c.kind === "number");
  if (numbers.length) return numbers;
  return table.columns.map((c, i) => [c, i]).filter(([c, i]) => i > 0 && c.kind === "int");
}

function value(v) { return typeof v === "number" ? v : null; }

function barChart(canvas, table) {
  const cols = numericColumns(table);
  const horizontal = table.rows.length > 6;
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: table.rows.map((r) => String(r[0])),
      datasets: cols.map(([c, i], n) => ({
        label: c.label, data: table.rows.map((r) => value(r[i])),
        backgroundColor: PALETTE[n % PALETTE.length],
      })),
    },
    options: { animation: false, maintainAspectRatio: false, indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: cols.length > 1 } } },
  });
}

function lineChart(canvas, table) {
  const cols = numericColumns(table);
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: table.rows.map((r) => String(r[0])),
      datasets: cols.map(([c, i], n) => ({
        label: c.label, data: table.rows.map((r) => value(r[i])),
        borderColor: PALETTE[n % PALETTE.length], backgroundColor: PALETTE[n % PALETTE.length],
        tension: 0, pointRadius: 2,
      })),
    },
    options: { animation: false, maintainAspectRatio: false },
  });
}

function heatmapChart(canvas, table) {
  const hours = table.columns.slice(1).map((c) => c.label);
  const days = table.rows.map((r) => String(r[0]));
  const data = [];
  let max = 0;
  table.rows.forEach((r) => r.slice(1).forEach((v, i) => {
    data.push({ x: hours[i], y: String(r[0]), v });
    max = Math.max(max, v);
  }));
  return new Chart(canvas, {
    type: "matrix",
    data: { datasets: [{
      label: table.title, data,
      backgroundColor: (ctx) => {
        const v = ctx.raw ? ctx.raw.v : 0;
        return `rgba(31, 95, 153, ${max ? 0.08 + 0.92 * (v / max) : 0.08})`;
      },
      borderColor: "#ffffff", borderWidth: 1,
      width: ({ chart }) => (chart.chartArea || {}).width / hours.length - 1,
      height: ({ chart }) => (chart.chartArea || {}).height / days.length - 1,
    }] },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: {
        title: () => "", label: (ctx) => `${ctx.raw.y} ${ctx.raw.x}: ${ctx.raw.v}` } } },
      scales: {
        x: { type: "category", labels: hours, offset: true, grid: { display: false } },
        y: { type: "category", labels: [...days].reverse(), offset: true, grid: { display: false } },
      },
    },
  });
}

const DRAW = { bar: barChart, line: lineChart, heatmap: heatmapChart };

function render(report, p) {
  const root = document.getElementById("report-tables");
  root.replaceChildren();
  document.getElementById("period-label").textContent =
    `${report.period.label} (${t("period_range", { start: report.period.start, end: report.period.end })})`;
  document.getElementById("unit-name").textContent = `${report.unit_name}`;
  const xlsx = new URLSearchParams(p);
  document.getElementById("download-xlsx").href = `/api/v1/reports/period.xlsx?${xlsx}`;
  document.getElementById("download-skm").href = `/api/v1/reports/skm.pdf?${xlsx}`;
  for (const table of report.tables) {
    const csv = el("a", { href: `/api/v1/reports/period/${table.id}.csv?${p}`, download: "",
      "data-csv": table.id, text: t("download_csv") });
    const wide = table.chart === "heatmap" || table.chart === "line" || table.columns.length > 6;
    const block = el("section", { class: `report-block${wide ? " wide" : ""}`, id: `table-${table.id}` },
      [el("h2", {}, [el("span", { text: table.title }), csv])]);
    if (table.chart in DRAW && table.rows.length) {
      const canvas = el("canvas", { role: "img", "aria-label": table.title, "data-chart": table.id });
      block.append(el("div", { class: "chart-box" }, [canvas]));
      root.append(block);
      state.charts.push({ id: table.id, chart: DRAW[table.chart](canvas, table) });
    } else {
      root.append(block);
    }
    block.append(table.rows.length ? renderTable(table) : el("p", { class: "muted", text: t("no_data") }));
  }
}

async function main() {
  loadCatalog();
  const p = params();
  syncForm(p);
  const message = document.getElementById("message");
  message.hidden = false;
  try {
    const report = await getJson(`/api/v1/reports/period?${p}`);
    state.report = report;
    render(report, p);
    message.hidden = true;
  } catch (err) {
    state.error = err.message;
    message.textContent = t("error_load", { message: err.message });
  }
  state.ready = true;
}

main();
