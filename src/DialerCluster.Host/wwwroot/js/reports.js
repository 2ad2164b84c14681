// Reports: pick a period and filters, read a report (chart, table, notes) and export exactly that table.
"use strict";
(() => {
  const { $, $$, h, api } = Dialer;
  let current = "funnel";

  // Cells are written as their column's kind says, the same way the .csv export writes them.
  function cellText(kind, value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    switch (kind) {
      case "count": return String(Math.round(value));
      case "percent": return value.toFixed(1);
      case "money": return value.toFixed(2);
      default: return String(Number(value.toFixed(2)));
    }
  }

  function isoDay(d) { return d.toISOString().slice(0, 10); }

  function query() {
    const p = new URLSearchParams({ from: $("#from").value, to: $("#to").value });
    if ($("#campaign").value) p.set("campaignId", $("#campaign").value);
    if ($("#agent").value) p.set("agentId", $("#agent").value);
    if ($("#lead-source").value.trim()) p.set("leadSource", $("#lead-source").value.trim());
    if (current === "forecast") p.set("weeks", $("#weeks").value || "8");
    return p.toString();
  }

  async function show() {
    $$("#report-tabs button").forEach((b) => b.classList.toggle("on", b.dataset.report === current));
    $("#weeks-field").hidden = current !== "forecast";
    const error = $("#report-error");
    error.hidden = true;
    const q = query();
    try {
      const report = await api.get(`/api/reports/${current}?${q}`);
      render(report);
      // The export counts up to the same moment as the page, so the file holds exactly what is shown.
      const pinned = `${q}&asOf=${encodeURIComponent(report.asOf)}`;
      $("#export-csv").href = `/api/reports/${current}/export?format=csv&${pinned}`;
      $("#export-xlsx").href = `/api/reports/${current}/export?format=xlsx&${pinned}`;
      history.replaceState(null, "", `?report=${current}&${q}`);
    } catch (e) {
      $("#report").hidden = true;
      error.textContent = Object.entries(e.fields || {}).map(([f, r]) => `${f}: ${r}`).join("; ") || e.message;
      error.hidden = false;
    }
  }

  function render(report) {
    $("#report").hidden = false;
    $("#report").dataset.report = report.report;
    $("#report-title").textContent = report.title;
    const to = new Date(new Date(report.to).getTime() - 1);
    $("#report-period").textContent = report.report === "forecast" ? "from today" : `${isoDay(new Date(report.from))} to ${isoDay(to)}`;
    Charts.render($("#chart"), report.chart);
    $("#report-table thead").replaceChildren(h("tr", {}, ...report.columns.map((c) => h("th", { class: c.kind === "text" ? "" : "num", dataset: { key: c.key } }, c.label))));
    $("#report-table tbody").replaceChildren(...(report.rows.length
      ? report.rows.map((row) => h("tr", {}, ...row.map((v, i) => h("td", { class: report.columns[i].kind === "text" ? "" : "num" }, cellText(report.columns[i].kind, v)))))
      : [h("tr", {}, h("td", { colspan: report.columns.length, class: "muted" }, "Nothing in this period."))]));
    $("#report-notes").replaceChildren(...report.notes.map((n) => h("li", {}, n)));
  }

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    const params = new URLSearchParams(location.search);
    const today = new Date();
    $("#to").value = params.get("to") || isoDay(today);
    $("#from").value = params.get("from") || isoDay(new Date(today.getTime() - 29 * 86400000));
    current = params.get("report") || current;
    const [campaigns, agents] = await Promise.all([api.get("/api/campaigns"), api.get("/api/agents")]);
    $("#campaign").append(...Dialer.norm.list(campaigns).map((c) => h("option", { value: c.id }, c.name)));
    $("#agent").append(...Dialer.norm.list(agents).map((a) => h("option", { value: a.id }, a.name)));
    if (params.get("campaignId")) $("#campaign").value = params.get("campaignId");
    if (params.get("agentId")) $("#agent").value = params.get("agentId");
    $("#filters").addEventListener("submit", (e) => { e.preventDefault(); show(); });
    $$("#report-tabs button").forEach((b) => b.addEventListener("click", () => { current = b.dataset.report; show(); }));
    await show();
  }

  start();
})();
