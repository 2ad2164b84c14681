// What a supervisor does to an agent from the wall: force a break, log out, give the held case to another owner,
// and read the agent's history (its states and the supervisors' actions on it).
"use strict";
const WallActions = (() => {
  const { $, h, api, label, when } = Dialer;
  let target = null;
  let agentNames = () => [];

  function problem(e) { return Object.values(e.fields || {}).join("; ") || e.message; }

  function show(dialog) {
    $(`#${dialog}-error`).hidden = true;
    $(`#${dialog}-dialog`).showModal();
  }

  async function run(dialog, action) {
    try {
      await action();
      $(`#${dialog}-dialog`).close();
    } catch (e) {
      $(`#${dialog}-error`).textContent = problem(e);
      $(`#${dialog}-error`).hidden = false;
    }
  }

  function breakOf(agent) {
    target = agent;
    $("#break-agent").textContent = agent.name;
    show("force-break");
  }

  async function logOut(agent) {
    if (!confirm(`Log ${agent.name} out? They go offline now.`)) return;
    try {
      await api.post(`/api/agents/${agent.agentId}/log-out`);
      Dialer.toast(`${agent.name} logged out`, "ok");
    } catch (e) { Dialer.toast(problem(e), "error"); }
  }

  // The case is read first: the reassign is saved over the version the supervisor saw (If-Match), so it never
  // overwrites an agent's save made meanwhile; the current owner is preselected.
  async function reassign(agent) {
    target = agent;
    $("#reassign-case").textContent = `Case #${agent.caseId}`;
    try {
      const details = await api.get(`/api/cases/${agent.caseId}`);
      target = { ...agent, caseVersion: details.case.version };
      const owner = details.case.ownerAgentId;
      $("#reassign-owner").replaceChildren(h("option", { value: "", selected: owner == null }, "Nobody (unowned)"),
        ...agentNames().map((a) => h("option", { value: a.agentId, selected: a.agentId === owner }, a.name)));
      show("reassign");
    } catch (e) { Dialer.toast(problem(e), "error"); }
  }

  async function history(agent) {
    $("#history-agent").textContent = agent.name;
    $("#history-list").replaceChildren(h("li", { class: "muted" }, "Loading…"));
    $("#history-dialog").showModal();
    const entries = await api.get(`/api/agents/${agent.agentId}/history`);
    $("#history-list").replaceChildren(...(entries.length ? entries.map((e) => h("li", { class: e.kind },
      h("span", { class: "small muted" }, when(e.at)),
      e.kind === "state"
        ? h("span", {}, h("span", { class: `pill st-${e.state}` }, label(e.state)), e.reason ? ` ${e.reason}` : "")
        : h("span", {}, h("b", {}, actionName(e.action)), ` by ${e.by}`))) : [h("li", { class: "muted" }, "Nothing in the last 7 days.")]));
  }

  function actionName(action) {
    return { "agent.force_break": "Break forced", "agent.log_out": "Logged out" }[action] || action;
  }

  /** The actions cell of an agent's row on the wall. */
  function cell(agent) {
    const offline = agent.state === "offline";
    return h("td", {}, h("div", { class: "actions" },
      h("button", { type: "button", class: "force-break", disabled: agent.state === "on_call" || agent.state === "break", onclick: () => breakOf(agent) }, "Break"),
      h("button", { type: "button", class: "log-out", disabled: offline, onclick: () => logOut(agent) }, "Log out"),
      agent.caseId ? h("button", { type: "button", class: "reassign", onclick: () => reassign(agent) }, "Reassign case") : "",
      h("button", { type: "button", class: "history", onclick: () => history(agent) }, "History")));
  }

  /** Wires the dialogs; <paramref name="agents"/> gives the wall's agents (for the new owner's list). */
  function init(agents) {
    agentNames = agents;
    $("#force-break-form").addEventListener("submit", (e) => {
      e.preventDefault();
      run("force-break", async () => {
        await api.post(`/api/agents/${target.agentId}/force-break`, { reason: $("#force-break-reason").value });
        Dialer.toast(`${target.name} is on a break`, "ok");
      });
    });
    $("#reassign-form").addEventListener("submit", (e) => {
      e.preventDefault();
      run("reassign", async () => {
        const owner = $("#reassign-owner").value;
        await api.put(`/api/cases/${target.caseId}/owner`, { ownerAgentId: owner ? Number(owner) : null }, target.caseVersion);
        Dialer.toast(`Case #${target.caseId} reassigned`, "ok");
      });
    });
    for (const d of ["force-break", "reassign", "history"]) $(`#${d}-cancel`).addEventListener("click", () => $(`#${d}-dialog`).close());
  }

  return { cell, init };
})();
