// Reminders: every booked callback by contact time, overdue ones marked. Supervisors see all and filter by owner; an
// agent sees only its own (the API narrows it), with the agent's own navigation.
"use strict";
(() => {
  const { $, h, api, label, when } = Dialer;
  let agentNames = new Map();

  async function load() {
    const p = new URLSearchParams({ pageSize: 500 });
    if ($("#campaign").value) p.set("campaignId", $("#campaign").value);
    if ($("#owner").value) p.set("owner", $("#owner").value);
    const result = await api.get(`/api/reminders?${p}`);
    const items = $("#order").value === "desc" ? [...result.items].reverse() : result.items;
    const overdue = items.filter((r) => r.overdue).length;
    $("#count").textContent = `${result.total} callback${result.total === 1 ? "" : "s"}${overdue ? ` · ${overdue} overdue` : ""}`;
    $("#reminders tbody").replaceChildren(...(items.length ? items.map((r) => h("tr", { class: r.overdue ? "overdue" : "", dataset: { caseId: r.caseId } },
      h("td", {}, when(r.nextContactAt), " ", r.overdue ? h("span", { class: "tag overdue" }, "Overdue") : ""),
      h("td", {}, h("b", {}, r.contactName)),
      h("td", {}, r.phone),
      h("td", {}, r.campaignName),
      h("td", {}, h("span", { class: `tag s-${r.status}` }, label(r.status))),
      h("td", {}, r.ownerName || h("span", { class: "muted" }, "Unowned")),
      h("td", {}, r.bookedByAgentId ? (agentNames.get(r.bookedByAgentId) || r.bookedBy) : (r.bookedBy || "—")),
      h("td", {}, h("a", { href: `/campaign.html?id=${r.campaignId}` }, "Campaign"))))
      : [h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No callbacks booked."))]));
  }

  async function start() {
    const user = await Dialer.requireUser(["agent", "supervisor", "admin"]);
    if (!user) return;
    const manager = user.role !== "agent";
    if (!manager) {
      $("#nav").replaceChildren(h("a", { href: "/desk.html" }, "Agent desk"), h("a", { href: "/reminders.html", class: "active" }, "My reminders"));
      $("#owner-field").hidden = true;
    }

    const campaigns = Dialer.norm.list(await api.get("/api/campaigns"));
    $("#campaign").append(...campaigns.map((c) => h("option", { value: c.id }, c.name)));
    if (manager) {
      const agents = Dialer.norm.list(await api.get("/api/agents"));
      agentNames = new Map(agents.map((a) => [a.id, a.name]));
      $("#owner").append(...agents.map((a) => h("option", { value: a.id }, a.name)));
    } else if (user.agentId) {
      agentNames = new Map([[user.agentId, user.agentName]]);
    }

    $("#filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
    $("#order").addEventListener("change", load);
    await load();
  }

  start();
})();
