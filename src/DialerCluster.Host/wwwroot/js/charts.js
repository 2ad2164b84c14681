// Charts drawn as SVG by hand (no library): grouped bars and lines over labels, with axis ticks, a legend and a
// tooltip per point. Every mark carries data-series, data-label and data-value, so what is drawn can be read back.
"use strict";

const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 860, H = 300, PAD = { left: 56, right: 16, top: 16, bottom: 64 };

  function svg(tag, attrs = {}, ...children) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
    for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }

  // A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value.
  function niceMax(max) {
    if (!(max > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(max)));
    for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
    return 10 * power;
  }

  function short(label, room) {
    const max = Math.max(4, Math.floor(room / 7));
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }

  function frame(chart) {
    const values = chart.series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
    const top = niceMax(Math.max(0, ...values));
    const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
    const y = (v) => PAD.top + plotH - (v / top) * plotH;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": chart.series.map((s) => s.name).join(", ") });
    for (let i = 0; i <= 4; i++) {
      const v = (top / 4) * i;
      root.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "grid" }));
      root.append(svg("text", { x: PAD.left - 8, y: y(v) + 4, class: "tick", "text-anchor": "end" }, Number(v.toFixed(2)).toLocaleString()));
    }
    return { root, y, plotW, plotH };
  }

  function bar(chart) {
    const { root, y, plotW } = frame(chart);
    const n = Math.max(1, chart.labels.length), groupW = plotW / n, series = chart.series.length || 1;
    const barW = Math.max(2, Math.min(48, (groupW * 0.8) / series));
    chart.labels.forEach((label, i) => {
      const x0 = PAD.left + i * groupW + (groupW - barW * series) / 2;
      chart.series.forEach((s, k) => {
        const v = s.values[i];
        if (v === null || v === undefined) return;
        root.append(svg("rect", {
          x: x0 + k * barW, y: y(v), width: barW - 1, height: Math.max(0, y(0) - y(v)), class: `mark series-${k}`,
          "data-series": s.name, "data-label": label, "data-value": v,
        }, svg("title", {}, `${label} · ${s.name}: ${Number(v.toFixed(2)).toLocaleString()}`)));
      });
      const tx = PAD.left + i * groupW + groupW / 2;
      root.append(svg("text", { x: tx, y: H - PAD.bottom + 16, class: "tick", "text-anchor": "middle" }, short(label, groupW)));
    });
    return root;
  }

  function line(chart) {
    const { root, y, plotW } = frame(chart);
    const n = chart.labels.length, step = n > 1 ? plotW / (n - 1) : 0;
    const x = (i) => PAD.left + i * step;
    const every = Math.max(1, Math.ceil(n / 12));
    chart.labels.forEach((label, i) => {
      if (i % every === 0) root.append(svg("text", { x: x(i), y: H - PAD.bottom + 16, class: "tick", "text-anchor": "middle" }, label));
    });
    chart.series.forEach((s, k) => {
      let path = "";
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        path += `${path && s.values[i - 1] !== null && s.values[i - 1] !== undefined ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
        root.append(svg("circle", {
          cx: x(i), cy: y(v), r: 3, class: `mark series-${k}`, "data-series": s.name, "data-label": chart.labels[i], "data-value": v,
        }, svg("title", {}, `${chart.labels[i]} · ${s.name}: ${Number(v.toFixed(2)).toLocaleString()}`)));
      });
      if (path) root.insertBefore(svg("path", { d: path, class: `line series-${k}` }), root.firstChild.nextSibling);
    });
    return root;
  }

  function legend(chart) {
    const box = document.createElement("div");
    box.className = "legend chart-legend";
    chart.series.forEach((s, k) => {
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.className = `swatch series-${k}`;
      item.append(swatch, s.name);
      box.append(item);
    });
    return box;
  }

  /** Draws the chart into the element, replacing what was there. */
  function render(container, chart) {
    const empty = !chart.labels.length || chart.series.every((s) => s.values.every((v) => v === null || v === undefined));
    if (empty) {
      const p = document.createElement("p");
      p.className = "muted chart-empty";
      p.textContent = "Nothing to chart for this period.";
      container.replaceChildren(p);
      return;
    }
    container.replaceChildren(chart.type === "line" ? line(chart) : bar(chart), legend(chart));
  }

  return { render };
})();
