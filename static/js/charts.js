// Small SVG charts drawn from data the server puts in the page (a <script type="application/json">
// made by json_script): <figure class="chart" data-chart="line|bar" data-source="<script id>">.
// Data: {unit, labels: [...], series: [{name, values: [...]}, ...]}, optionally `max` (a fixed top of
// the scale, e.g. 100 for percentages) and `ticks` (a short label under every slot, e.g. weekdays).
// Bars of several series stand side by side in each slot. No library, no CDN; every chart
// also has a heading, a text summary and a table, so the drawing is hidden from screen readers.
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 240, PAD = { top: 12, right: 12, bottom: 28, left: 48 };
  const COLOURS = ["#2563eb", "#f97316", "#16a34a"];

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(figure) {
    const source = document.getElementById(figure.dataset.source);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const kind = figure.dataset.chart;
    const isNumber = (v) => typeof v === "number" && Number.isFinite(v);
    const all = data.series.flatMap((s) => s.values).filter(isNumber);
    if (!all.length) return;
    // A line needs two points: with one, say so (the table below still holds the value) rather than
    // drawing a lone dot on an empty grid.
    const points = Math.max(...data.series.map((s) => s.values.filter(isNumber).length));
    // Opt-in per chart (data-one-message): some pages still show a first point as a dot on purpose.
    if (kind !== "bar" && points < 2 && figure.dataset.oneMessage) {
      const note = document.createElement("p");
      note.className = "chart-empty muted";
      note.textContent = figure.dataset.oneMessage;
      figure.replaceChildren(note);
      return;
    }
    let min = kind === "bar" ? 0 : Math.min(...all);
    let max = Math.max(...all, typeof data.max === "number" ? data.max : -Infinity);
    if (min === max) { max += 1; if (kind !== "bar") min -= 1; }
    const n = data.labels.length;
    const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
    const x = (i) => PAD.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
    const y = (v) => PAD.top + plotH - ((v - min) / (max - min)) * plotH;
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "presentation", focusable: "false", width: "100%", style: "max-height:260px;display:block" });
    const AXIS = { "font-size": 13, fill: "#4b5563" }; // readable: 13 px, 7:1 on white
    // Numbers as people write them: "21,788", whole when the scale spans 100 or more, else one decimal.
    const tick = (v) => (max - min >= 100 ? Math.round(v) : Math.round(v * 10) / 10).toLocaleString("en");

    for (const v of [min, (min + max) / 2, max]) {
      svg.append(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), stroke: "#e5e7eb", "stroke-width": 1 }));
      svg.append(el("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", ...AXIS }, tick(v)));
    }
    if (Array.isArray(data.ticks) && data.ticks.length === n) {
      const slot = plotW / n;
      data.ticks.forEach((tick, i) => {
        const cx = kind === "bar" ? PAD.left + i * slot + slot / 2 : x(i);
        svg.append(el("text", { x: cx, y: H - 6, "text-anchor": "middle", ...AXIS }, tick));
      });
    } else {
      svg.append(el("text", { x: PAD.left, y: H - 6, ...AXIS }, data.labels[0]));
      if (n > 1) svg.append(el("text", { x: W - PAD.right, y: H - 6, "text-anchor": "end", ...AXIS }, data.labels[n - 1]));
    }

    data.series.forEach((series, index) => {
      const colour = COLOURS[index % COLOURS.length];
      if (kind === "bar") {
        // Several series share each slot side by side (grouped bars); one series fills 70% of it.
        const groups = data.series.length;
        // A bar is at most 48 units wide: one week's single bar is a bar, not the whole chart.
        const slot = plotW / n, group = Math.min(slot * (groups > 1 ? 0.8 : 0.7), 48 * groups), width = Math.max(2, group / groups);
        series.values.forEach((v, i) => {
          if (!isNumber(v)) return;
          const left = PAD.left + i * slot + (slot - group) / 2 + index * width;
          // append() returns nothing: the bar gets its title before it goes into the chart.
          const bar = el("rect", { x: left, y: y(v), width, height: Math.max(0, y(min) - y(v)), fill: colour });
          bar.append(el("title", {}, `${data.labels[i]}${groups > 1 ? ` ${series.name}` : ""}: ${v.toLocaleString("en")} ${data.unit}`));
          svg.append(bar);
        });
      } else {
        const line = series.values.map((v, i) => (isNumber(v) ? `${x(i)},${y(v)}` : null)).filter(Boolean).join(" ");
        svg.append(el("polyline", { points: line, fill: "none", stroke: colour, "stroke-width": index ? 2.5 : 1.5,
          "stroke-dasharray": index ? "" : "3 2" }));
        if (n < 60) series.values.forEach((v, i) => { if (isNumber(v)) svg.append(el("circle", { cx: x(i), cy: y(v), r: 3, fill: colour })); });
      }
    });
    figure.replaceChildren(svg);
    if (data.series.length > 1) {
      const legend = document.createElement("figcaption");
      legend.style.cssText = "display:flex;gap:1rem;font-size:0.85rem";
      data.series.forEach((series, index) => {
        if (!series.values.some(isNumber)) return; // nothing drawn: no legend entry for it
        const item = document.createElement("span");
        item.dataset.colour = COLOURS[index % COLOURS.length];
        const swatch = document.createElement("span");
        // The swatch is drawn like its series: the same colour, dashed for a line chart's first series.
        const dashed = kind !== "bar" && index === 0;
        swatch.style.cssText = `display:inline-block;width:1.2em;height:0;margin-right:0.3em;vertical-align:middle;border-top:${dashed ? "2px dashed" : "3px solid"} ${COLOURS[index % COLOURS.length]}`;
        if (kind === "bar") swatch.style.cssText = `display:inline-block;width:0.8em;height:0.8em;margin-right:0.3em;background:${COLOURS[index % COLOURS.length]}`;
        item.append(swatch, series.name);
        legend.append(item);
      });
      figure.append(legend);
    }
  }

  function drawAll(root) {
    root.querySelectorAll("figure[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  document.addEventListener("htmx:afterSwap", (event) => drawAll(event.target));
})();
