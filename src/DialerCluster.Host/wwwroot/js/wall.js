// The supervisor wall: one server-sent-events stream keeps agents, campaigns and imports live (every node's, the
// server merges them); the node strip polls GET /api/cluster, whose figures change by the second, not per event.
"use strict";
(() => {
  const { $, h, label, duration } = Dialer;
  const agents = new Map();
  const campaigns = new Map();
  const imports = new Map();
  const nodesEvery = 3000;
  let clockSkew = 0; // server time minus browser time, so "time in state" does not drift with a wrong PC clock

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    connect();
    setInterval(tickTimers, 1000);
    refreshNodes();
  }

  function connect() {
    const live = $("#live");
    const source = new EventSource("/api/monitor/stream");
    source.addEventListener("open", () => { live.textContent = "live"; live.classList.add("on"); });
    source.addEventListener("error", () => { live.textContent = "reconnecting…"; live.classList.remove("on"); });
    source.addEventListener("snapshot", (e) => {
      const s = JSON.parse(e.data);
      clockSkew = new Date(s.at).getTime() - Date.now();
      agents.clear(); campaigns.clear(); imports.clear();
      for (const a of (s.agents || []).map(Dialer.norm.liveAgent)) agents.set(a.agentId, a);
      for (const c of (s.campaigns || []).map(Dialer.norm.liveCampaign)) campaigns.set(c.campaignId, c);
      for (const i of s.imports || []) imports.set(i.importId ?? i.id, i);
      renderAll();
    });
    source.addEventListener("agent", (e) => { const a = Dialer.norm.liveAgent(JSON.parse(e.data)); agents.set(a.agentId, a); renderAgents(a.agentId); renderTiles(); });
    source.addEventListener("campaign", (e) => { const c = Dialer.norm.liveCampaign(JSON.parse(e.data)); campaigns.set(c.campaignId, c); renderCampaigns(); renderAgents(); renderTiles(); });
    source.addEventListener("import", (e) => { const i = JSON.parse(e.data); imports.set(i.importId ?? i.id, i); renderImports(); });
    source.addEventListener("agent-gone", (e) => { agents.delete(JSON.parse(e.data).id); renderAgents(); renderTiles(); });
    source.addEventListener("campaign-gone", (e) => { campaigns.delete(JSON.parse(e.data).id); renderCampaigns(); renderAgents(); renderTiles(); });
    source.addEventListener("heartbeat", (e) => { clockSkew = new Date(JSON.parse(e.data).at).getTime() - Date.now(); });
  }

  function renderAll() { renderAgents(); renderCampaigns(); renderTiles(); renderImports(); }

  function campaignName(id) { return id == null ? "—" : (campaigns.get(id)?.name || `Campaign ${id}`); }

  function renderAgents(changedId) {
    const rows = Array.from(agents.values()).sort((a, b) => stateOrder(a.state) - stateOrder(b.state) || a.name.localeCompare(b.name));
    const tbody = $("#agents tbody");
    tbody.replaceChildren(...(rows.length ? rows.map((a) => {
      const tr = h("tr", { dataset: { agentId: a.agentId }, class: a.agentId === changedId ? "flash" : "" },
        h("td", {}, h("b", {}, a.name), h("div", { class: "small muted" }, `#${a.agentId}`)),
        h("td", {}, h("span", { class: `pill st-${a.state}`, "data-state": a.state }, a.state === "break" && a.reason ? `Break · ${a.reason}` : label(a.state))),
        h("td", { class: "num timer", dataset: { since: a.since } }, duration(Date.now() + clockSkew - new Date(a.since).getTime())),
        h("td", {}, campaignName(a.campaignId)),
        h("td", {}, a.caseId ? h("span", {}, h("a", { href: `/campaign.html?id=${a.campaignId}` }, `Case #${a.caseId}`), a.callId ? h("span", { class: "small muted" }, ` · call #${a.callId}${a.callState ? ` (${a.callState})` : ""}`) : "") : h("span", { class: "muted" }, "—")));
      return tr;
    }) : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No agents have signed in yet."))]));
    $("#agents-count").textContent = `${rows.filter((a) => a.state !== "offline").length} signed in · ${rows.length} total`;
  }

  function stateOrder(s) { return { on_call: 0, wrap_up: 1, ready: 2, break: 3, offline: 4 }[s] ?? 5; }

  // A rate of nothing (no call answered yet) is shown as "–", never as 0%.
  function pct(x) { return x == null || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(1)}%`; }

  function renderCampaigns() {
    const rows = Array.from(campaigns.values()).sort((a, b) => a.name.localeCompare(b.name));
    $("#campaigns tbody").replaceChildren(...(rows.length ? rows.map((c) => {
      const n = c.counts || {};
      const stages = ["new", "in_acquisition", "offered", "won", "resigned"];
      const values = { new: n.new, in_acquisition: n.inAcquisition, offered: n.offered, won: n.won, resigned: n.resigned };
      const total = stages.reduce((s, k) => s + (values[k] || 0), 0) || 1;
      const d = c.dialing;
      const abandonClass = d && d.abandonRate > 0.03 ? "due" : "";
      return h("tr", { dataset: { campaignId: c.campaignId } },
        h("td", {}, h("a", { href: `/campaign.html?id=${c.campaignId}` }, h("b", {}, c.name))),
        h("td", {}, h("div", { class: "funnel", title: stages.map((k) => `${label(k)}: ${values[k] || 0}`).join(", ") },
          ...stages.map((k) => h("span", { class: `f-${k}`, style: `width:${((values[k] || 0) / total) * 100}%` })))),
        ...stages.map((k) => h("td", { class: "num" }, values[k] ?? 0)),
        h("td", { class: "num" }, n.ready ?? 0),
        h("td", { class: "num" }, n.held ?? 0),
        h("td", { class: "num" }, c.assignedAgents ?? 0),
        h("td", { class: "num" }, d ? d.dialsPerMinute.toFixed(1) : "–"),
        h("td", { class: "num answer-rate" }, d ? pct(d.answerRate) : "–"),
        h("td", { class: `num ${abandonClass}` }, d ? pct(d.abandonRate) : "–"),
        h("td", { class: "num" }, d ? pct(d.agentOccupancy) : "–"));
    }) : [h("tr", {}, h("td", { colspan: 14, class: "muted" }, "No campaigns yet."))]));
  }

  function renderTiles() {
    const count = (s) => Array.from(agents.values()).filter((a) => a.state === s).length;
    for (const s of ["ready", "on_call", "wrap_up", "break"]) $(`#n-${s}`).textContent = count(s);
    $("#n-new").textContent = Array.from(campaigns.values()).reduce((sum, c) => sum + ((c.counts && c.counts.new) || 0), 0);
  }

  function renderImports() {
    const list = Array.from(imports.values());
    $("#imports-panel").hidden = list.length === 0;
    $("#imports").replaceChildren(...list.map((i) => h("li", {},
      h("span", {}, h("b", {}, i.name), " ", i.done ? "done" : "importing…"),
      h("span", { class: "small" }, `${i.rowsRead} rows · ${i.accepted} accepted · ${i.rejected} rejected${i.fraction != null ? ` · ${Math.round(i.fraction * 100)}%` : ""}`))));
  }

  // Each node with its status and grain count; a failed poll keeps the last strip, marked stale, and tries again.
  async function refreshNodes() {
    const strip = $("#nodes");
    try {
      const { nodes } = await Dialer.api.get("/api/cluster");
      strip.classList.remove("stale");
      strip.replaceChildren(h("span", { class: "k" }, "Nodes"), ...nodes.map((n) => h("span", {
        class: `node n-${n.status}${n.self ? " self" : ""}`, dataset: { silo: n.silo, status: n.status },
        title: `${n.silo}\nstarted ${Dialer.when(n.startedAt)}${n.self ? "\nthis wall is served by this node" : ""}`,
      },
        h("span", { class: "pill" }, n.status),
        n.httpAddress ? h("a", { class: "addr", href: n.httpAddress }, n.httpAddress.replace(/^https?:\/\//, "")) : h("span", { class: "addr muted" }, n.silo.split("@")[0]),
        h("span", { class: "activations small muted" }, n.activations == null ? "—" : `${n.activations} grains`))));
    } catch (error) {
      if (error instanceof Dialer.ApiError && error.status === 401) return;
      strip.classList.add("stale");
    }
    setTimeout(refreshNodes, nodesEvery);
  }

  function tickTimers() {
    const now = Date.now() + clockSkew;
    for (const cell of document.querySelectorAll("#agents td.timer")) cell.textContent = duration(now - new Date(cell.dataset.since).getTime());
  }

  start();
})();
