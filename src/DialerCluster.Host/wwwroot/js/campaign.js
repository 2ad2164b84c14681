// The campaign view: cases by funnel tab, owner and period; priority and owner per case; agent assignments.
"use strict";
(() => {
  const { api, norm, $, $$, h, label, attempts, when, toast } = Dialer;
  const params = new URLSearchParams(location.search);
  let status = params.get("status") ?? "new";
  let page = 1;
  const pageSize = 25;
  let agents = []; // {agentId, name}
  let campaign = null;

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    $$("#tabs button").forEach((b) => b.addEventListener("click", () => { status = b.dataset.status; page = 1; load(); }));
    $("#apply").addEventListener("click", () => { page = 1; load(); });
    $("#prev").addEventListener("click", () => { if (page > 1) { page--; load(); } });
    $("#next").addEventListener("click", () => { page++; load(); });
    $("#assign").addEventListener("click", assign);
    $("#add-case").addEventListener("submit", addCase);
    $("#campaign").addEventListener("change", () => { history.replaceState(null, "", `?id=${$("#campaign").value}`); page = 1; loadCampaign(); });
    await loadAgents();
    const list = norm.list(await api.get("/api/campaigns")).map(norm.campaign);
    $("#campaign").replaceChildren(...list.map((c) => h("option", { value: c.id }, c.name)));
    if (params.get("id")) $("#campaign").value = params.get("id");
    if (list.length) await loadCampaign();
    else $("#cases tbody").replaceChildren(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No campaigns yet.")));
  }

  async function loadAgents() {
    try {
      agents = norm.list(await api.get("/api/agents")).map((a) => ({ agentId: a.agentId ?? a.id, name: a.name }));
    } catch { agents = []; }
    $("#owner").replaceChildren(h("option", { value: "" }, "Anyone"), ...agents.map((a) => h("option", { value: a.agentId }, a.name)));
  }

  const agentName = (id) => (id == null ? null : agents.find((a) => String(a.agentId) === String(id))?.name || `Agent ${id}`);

  async function loadCampaign() {
    const id = $("#campaign").value;
    try { campaign = norm.campaign(await api.get(`/api/campaigns/${id}`)); }
    catch (e) { toast(e.message, "error"); return; }
    const n = campaign.counts || {};
    const counts = { new: n.new, in_acquisition: n.inAcquisition, offered: n.offered, won: n.won, resigned: n.resigned };
    for (const [k, v] of Object.entries(counts)) $(`#c-${k}`).textContent = v ?? "";
    $("#c-all").textContent = n.total ?? "";
    $("#campaign-meta").textContent = [campaign.dialMode && `${label(campaign.dialMode)} dialing`, n.ready != null && `${n.ready} ready`, n.held != null && `${n.held} held`].filter(Boolean).join(" · ");
    renderAssigned();
    await load();
  }

  function renderAssigned() {
    const ids = (campaign.agents || []).map(String);
    $("#assigned").replaceChildren(...(ids.length ? ids.map((id) => h("li", {},
      h("span", {}, agentName(id)),
      h("button", { type: "button", class: "small", onclick: () => unassign(id) }, "Remove"))) : [h("li", { class: "muted" }, "Nobody is assigned yet.")]));
    const free = agents.filter((a) => !ids.includes(String(a.agentId)));
    $("#assign-agent").replaceChildren(...(free.length ? free.map((a) => h("option", { value: a.agentId }, a.name)) : [h("option", { value: "" }, "Everyone is assigned")]));
    $("#assign").disabled = free.length === 0;
  }

  async function assign() {
    const agentId = $("#assign-agent").value;
    if (!agentId) return;
    try { await api.put(`/api/campaigns/${campaign.id}/agents/${agentId}`); toast(`${agentName(agentId)} assigned`, "ok"); await loadCampaign(); }
    catch (e) { toast(e.message, "error"); }
  }

  async function unassign(agentId) {
    try { await api.del(`/api/campaigns/${campaign.id}/agents/${agentId}`); toast(`${agentName(agentId)} removed`, "ok"); await loadCampaign(); }
    catch (e) { toast(e.message, "error"); }
  }

  async function load() {
    $$("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.status === status));
    const q = new URLSearchParams({ page, pageSize });
    if (status) q.set("status", status);
    if ($("#owner").value) q.set("owner", $("#owner").value);
    if ($("#from").value) q.set("from", new Date($("#from").value).toISOString());
    if ($("#to").value) q.set("to", new Date(new Date($("#to").value).getTime() + 86400000).toISOString());
    let result;
    try { result = await api.get(`/api/campaigns/${campaign.id}/cases?${q}`); }
    catch (e) { toast(e.message, "error"); return; }
    const items = norm.list(result);
    const total = result.total ?? items.length;
    $("#page-info").textContent = `${total} case${total === 1 ? "" : "s"} · page ${page} of ${Math.max(1, Math.ceil(total / pageSize))}`;
    $("#prev").disabled = page <= 1;
    $("#next").disabled = page * pageSize >= total;
    $("#cases tbody").replaceChildren(...(items.length ? items.map(row) : [h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No cases here."))]));
  }

  function row(c) {
    const id = c.caseId ?? c.id;
    const priority = h("select", { "aria-label": "Priority", onchange: (e) => patch(c, { priority: e.target.value }) },
      ...["low", "normal", "high"].map((p) => h("option", { value: p, selected: p === c.priority }, label(p))));
    const owner = h("select", { "aria-label": "Owner", onchange: (e) => patch(c, { ownerAgentId: e.target.value ? Number(e.target.value) : null }) },
      h("option", { value: "" }, "No owner"),
      ...agents.map((a) => h("option", { value: a.agentId, selected: String(a.agentId) === String(c.ownerAgentId) }, a.name)));
    return h("tr", {},
      h("td", {}, h("b", {}, c.contactName || `Case ${id}`), heldBy(c)),
      h("td", {}, c.phone || "—"),
      h("td", {}, h("span", { class: `tag s-${c.status}` }, label(c.status))),
      h("td", {}, when(c.nextContactAt)),
      h("td", { class: "num attempts" }, attempts(c.attempts, campaign.raw.maxAttempts)),
      h("td", {}, priority),
      h("td", {}, owner),
      h("td", { class: "small muted" }, when(c.updatedAt)));
  }

  // Based on the version this row was listed with; the row keeps the saved one for the next change.
  // The dialer's lines hold a case while it rings; they are no agent anyone can look up.
  function heldBy(c) {
    if (c.holder?.kind === "dialer") return h("div", { class: "small muted holder" }, "being dialed");
    return c.holderAgentId ? h("div", { class: "small muted holder" }, `held by ${agentName(c.holderAgentId)}`) : "";
  }

  async function patch(c, body) {
    const caseId = c.caseId ?? c.id;
    try {
      const saved = await api.patch(`/api/cases/${caseId}`, body, c.version);
      if (saved && saved.version !== undefined) c.version = saved.version;
      toast(`Case #${caseId} updated`, "ok");
    } catch (e) { toast(`Case #${caseId}: ${e.message}`, "error"); await load(); }
  }

  async function addCase(e) {
    e.preventDefault();
    const error = $("#add-error");
    error.hidden = true;
    try {
      const r = await api.post(`/api/campaigns/${campaign.id}/cases`, {
        contact: { name: $("#n-name").value, phones: [$("#n-phone").value] },
        priority: $("#n-priority").value,
      });
      toast(r && r.created ? "Case added" : "That contact is already in this campaign", r && r.created ? "ok" : "info");
      $("#add-case").reset();
      await loadCampaign();
    } catch (err) {
      const fields = Object.entries(err.fields || {}).map(([f, r]) => `${f} ${r}`);
      error.textContent = fields.length ? fields.join("; ") : err.message;
      error.hidden = false;
    }
  }

  start();
})();
