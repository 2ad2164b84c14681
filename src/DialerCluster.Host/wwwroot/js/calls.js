// The call log: every dialed call of a day, filtered by campaign, agent and outcome; a supervisor rates a call here.
"use strict";
(() => {
  const { $, h, api, label, when } = Dialer;
  const outcomes = ["talked", "no_answer", "busy", "voicemail", "failed", "abandoned", "in_progress"];
  let page = 1, total = 0, rating = null;
  const pageSize = 50;

  function stars(score) { return "★".repeat(score) + "☆".repeat(5 - score); }

  function talk(seconds) { return seconds === null || seconds === undefined ? "—" : Dialer.duration(seconds * 1000); }

  async function load() {
    const p = new URLSearchParams({ day: $("#day").value, page, pageSize });
    for (const [key, sel] of [["campaignId", "#campaign"], ["agentId", "#agent"], ["outcome", "#outcome"]]) if ($(sel).value) p.set(key, $(sel).value);
    const result = await api.get(`/api/calls?${p}`);
    total = result.total;
    $("#calls tbody").replaceChildren(...(result.items.length ? result.items.map(row) : [h("tr", {}, h("td", { colspan: 10, class: "muted" }, "No calls that day."))]));
    const first = total ? (page - 1) * pageSize + 1 : 0;
    $("#page-info").textContent = `${first}–${Math.min(page * pageSize, total)} of ${total}`;
    $("#prev").disabled = page <= 1;
    $("#next").disabled = page * pageSize >= total;
  }

  function row(c) {
    return h("tr", { dataset: { callId: c.id } },
      h("td", {}, when(c.startedAt)),
      h("td", {}, c.campaignName),
      h("td", {}, c.agentName || h("span", { class: "muted" }, "—")),
      h("td", {}, c.contactName),
      h("td", {}, c.phone),
      h("td", {}, h("span", { class: "tag" }, label(c.outcome))),
      h("td", { class: "num" }, talk(c.talkSeconds)),
      h("td", {}, c.recordingUrl ? h("a", { href: c.recordingUrl, target: "_blank", rel: "noopener" }, "Listen") : h("span", { class: "muted", title: "Calls are not recorded yet" }, "—")),
      h("td", { class: "rating" }, c.rating ? h("span", { title: c.rating.comment || "" }, h("span", { class: "stars" }, stars(c.rating.score)), c.rating.comment ? h("div", { class: "small muted" }, c.rating.comment) : "") : h("span", { class: "muted" }, "Not rated")),
      h("td", {}, h("button", { type: "button", class: "rate", onclick: () => open(c) }, c.rating ? "Change rating" : "Rate")));
  }

  function open(call) {
    rating = call;
    $("#rate-title").textContent = `Rate the call with ${call.contactName}`;
    $("#rate-score").value = String(call.rating?.score || 4);
    $("#rate-comment").value = call.rating?.comment || "";
    $("#rate-error").hidden = true;
    $("#rate-dialog").showModal();
  }

  async function save(e) {
    e.preventDefault();
    try {
      await api.put(`/api/calls/${rating.id}/rating`, { score: Number($("#rate-score").value), comment: $("#rate-comment").value });
      $("#rate-dialog").close();
      Dialer.toast("Rating saved", "ok");
      await load();
    } catch (err) {
      $("#rate-error").textContent = Object.values(err.fields || {}).join("; ") || err.message;
      $("#rate-error").hidden = false;
    }
  }

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    const params = new URLSearchParams(location.search);
    $("#day").value = params.get("day") || new Date().toISOString().slice(0, 10);
    $("#outcome").append(...outcomes.map((o) => h("option", { value: o }, label(o) || o)));
    const [campaigns, agents] = await Promise.all([api.get("/api/campaigns"), api.get("/api/agents")]);
    $("#campaign").append(...Dialer.norm.list(campaigns).map((c) => h("option", { value: c.id }, c.name)));
    $("#agent").append(...Dialer.norm.list(agents).map((a) => h("option", { value: a.id }, a.name)));
    if (params.get("campaignId")) $("#campaign").value = params.get("campaignId");
    $("#filters").addEventListener("submit", (e) => { e.preventDefault(); page = 1; load(); });
    $("#prev").addEventListener("click", () => { page--; load(); });
    $("#next").addEventListener("click", () => { page++; load(); });
    $("#rate-form").addEventListener("submit", save);
    $("#rate-cancel").addEventListener("click", () => $("#rate-dialog").close());
    await load();
  }

  start();
})();
