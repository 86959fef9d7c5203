// SPDX-License-Identifier: Apache-2.0
// Charts of the dashboard and the compare view, drawn by Chart.js (from npm, in vendor/).
// Each chart shows exactly the numbers of the API response it is given.

import { el, formatNumber } from "./dom.js";

const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
const charts = new Map(); // canvas id -> Chart, destroyed before a redraw

function canvasFigure(id, title, rows) {
  const canvas = el("canvas", { id, role: "img", "aria-label": title });
  const box = el("div", { class: "chart-box", style: `height:${Math.max(120, 28 * rows + 60)}px` }, canvas);
  return { figure: el("figure", { class: "chart-figure" }, el("figcaption", {}, title), box), canvas };
}

function draw(canvas, config) {
  charts.get(canvas.id)?.destroy();
  config.options = {
    indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
    plugins: { legend: { position: "bottom" }, tooltip: { callbacks: {
      label: (c) => `${c.dataset.label}: ${formatNumber(c.raw, 3)}`,
    } } },
    ...config.options,
  };
  // Chart.js measures its box: draw once the figure is in the document.
  requestAnimationFrame(() => charts.set(canvas.id, new window.Chart(canvas, config)));
}

// Planned against target per region: two bars a region; a missing target is no bar, not zero.
export function targetChart(id, title, regions, planned, target, labels) {
  const { figure, canvas } = canvasFigure(id, title, regions.length * 2);
  draw(canvas, {
    type: "bar",
    data: {
      labels: regions.map((r) => r.name),
      datasets: [
        { label: labels.planned, data: regions.map((r) => r[planned]), backgroundColor: "#2a7f62" },
        { label: labels.target, data: regions.map((r) => r[target] ?? null), backgroundColor: "#c7c7c7" },
      ],
    },
  });
  return figure;
}

// Hectares per key (transition or layer) per region, stacked.
export function stackedChart(id, title, regions, field, nameOf) {
  const keys = [...new Set(regions.flatMap((r) => Object.keys(r[field])))].sort();
  const { figure, canvas } = canvasFigure(id, title, regions.length);
  draw(canvas, {
    type: "bar",
    data: {
      labels: regions.map((r) => r.name),
      datasets: keys.map((k, i) => ({
        label: nameOf(k), data: regions.map((r) => r[field][k] || 0), backgroundColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: { scales: { x: { stacked: true, title: { display: true, text: "ha" } }, y: { stacked: true } } },
  });
  return figure;
}

// The compare view's differences (b - a) as a share of a, per indicator; a change from 0 has no share.
export function differenceChart(id, title, rows, nameOf) {
  const shown = rows.filter((r) => r.a);
  const { figure, canvas } = canvasFigure(id, title, shown.length);
  const values = shown.map((r) => (100 * r.difference) / Math.abs(r.a));
  draw(canvas, {
    type: "bar",
    data: {
      labels: shown.map((r) => nameOf(r.indicator)),
      datasets: [{ label: "%", data: values, backgroundColor: values.map((v) => (v < 0 ? "#d62728" : "#2ca02c")) }],
    },
    options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: "%" } } } },
  });
  return figure;
}
