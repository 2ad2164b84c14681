// Users and agents: create a user (with an existing or a new agent), change role and agent, disable or enable, set a
// new password, delete; and the audit of these changes. Every change signs the user out everywhere (server side).
"use strict";
(() => {
  const { api, $, h, toast, when, label } = Dialer;
  const NEW_AGENT = "new";
  let me = null;
  let agents = [];

  async function start() {
    me = await Dialer.requireUser(["supervisor", "admin"]);
    if (!me) return;
    $("#new-user").addEventListener("submit", create);
    $("#role").addEventListener("change", showAgentFields);
    $("#agentId").addEventListener("change", showAgentFields);
    await refresh();
  }

  async function refresh() {
    try {
      const [users, all, audit] = await Promise.all([api.get("/api/users"), api.get("/api/agents"), api.get("/api/audit?limit=30")]);
      agents = all;
      $("#agentId").replaceChildren(
        h("option", { value: NEW_AGENT }, "A new agent…"),
        ...agents.map((a) => h("option", { value: a.id }, a.name)));
      showAgentFields();
      $("#users tbody").replaceChildren(...users.map(row));
      $("#audit").replaceChildren(...(audit.length ? audit.map(entry) : [h("li", { class: "muted" }, "No changes yet.")]));
    } catch (e) { toast(e.message, "error"); }
  }

  function showAgentFields() {
    const isAgent = $("#role").value === "agent";
    $("#agent-field").hidden = !isAgent;
    $("#agent-name-field").hidden = !isAgent || $("#agentId").value !== NEW_AGENT;
  }

  async function create(e) {
    e.preventDefault();
    clearErrors();
    const role = $("#role").value;
    const body = { userName: $("#userName").value, password: $("#password").value, role };
    if (role === "agent") {
      if ($("#agentId").value === NEW_AGENT) body.agentName = $("#agentName").value;
      else body.agentId = Number($("#agentId").value);
    }
    try {
      const user = await api.post("/api/users", body);
      toast(`Created ${user.userName}`, "ok");
      $("#new-user").reset();
      await refresh();
    } catch (err) { showErrors(err); }
  }

  function row(user) {
    const self = user.userName === me.userName;
    const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date();
    const status = user.disabled ? "Disabled" : locked ? `Locked until ${when(user.lockedUntil)}` : "Active";
    const role = h("select", { "aria-label": `Role of ${user.userName}`, disabled: self }, ...["agent", "supervisor", "admin"].map((r) => h("option", { value: r, selected: r === user.role }, label(r))));
    role.addEventListener("change", () => change(user, { role: role.value, agentId: role.value === "agent" ? user.agentId : null }));
    const agent = h("select", { "aria-label": `Agent of ${user.userName}`, disabled: user.role !== "agent" },
      h("option", { value: "" }, user.role === "agent" ? "—" : "(not an agent)"),
      ...agents.map((a) => h("option", { value: a.id, selected: a.id === user.agentId }, a.name)));
    agent.addEventListener("change", () => agent.value && change(user, { agentId: Number(agent.value) }));
    const password = h("input", { type: "password", autocomplete: "new-password", placeholder: "New password", "aria-label": `New password for ${user.userName}` });
    const setPassword = h("button", { type: "button", onclick: () => resetPassword(user, password) }, "Set");
    const toggle = h("button", { type: "button", class: user.disabled ? "primary" : "", disabled: self, onclick: () => change(user, { disabled: !user.disabled }) }, user.disabled ? "Enable" : "Disable");
    const remove = me.role === "admin" && !self ? h("button", { type: "button", onclick: () => removeUser(user) }, "Delete") : null;
    return h("tr", { dataset: { userId: user.id } },
      h("td", {}, h("b", {}, user.userName)),
      h("td", {}, role),
      h("td", {}, agent),
      h("td", { class: "status" }, h("span", { class: `pill ${user.disabled ? "st-break" : locked ? "st-wrap_up" : "st-ready"}` }, status)),
      h("td", {}, h("div", { class: "row" }, password, setPassword)),
      h("td", {}, h("div", { class: "row" }, toggle, remove)));
  }

  async function change(user, patch) {
    try {
      await api.patch(`/api/users/${user.id}`, patch);
      toast(`${user.userName}: saved; signed out everywhere`, "ok");
    } catch (err) { toast(problemText(err), "error"); }
    await refresh();
  }

  async function resetPassword(user, input) {
    try {
      await api.post(`/api/users/${user.id}/password`, { password: input.value });
      toast(`${user.userName}: new password set; signed out everywhere`, "ok");
      await refresh();
    } catch (err) { toast(problemText(err), "error"); }
  }

  async function removeUser(user) {
    if (!confirm(`Delete ${user.userName}? Their sessions end at once.`)) return;
    try {
      await api.del(`/api/users/${user.id}`);
      await refresh();
    } catch (err) { toast(problemText(err), "error"); }
  }

  function entry(a) {
    return h("li", {},
      h("span", {}, h("b", {}, a.action.replace(/[._]/g, " ")), " ", a.subject || "", a.detail ? ` — ${a.detail}` : ""),
      h("span", { class: "small muted" }, `${a.actor} · ${when(a.at)}`));
  }

  function clearErrors() {
    for (const el of document.querySelectorAll(".field-error")) el.textContent = "";
    for (const el of document.querySelectorAll(".field.invalid")) el.classList.remove("invalid");
    $("#create-error").hidden = true;
  }

  function showErrors(err) {
    let shown = false;
    for (const [field, reason] of Object.entries(err.fields || {})) {
      const slot = document.querySelector(`.field-error[data-for="${field}"]`);
      if (slot) { slot.textContent = reason; slot.closest(".field").classList.add("invalid"); shown = true; }
    }
    if (!shown) { $("#create-error").textContent = problemText(err); $("#create-error").hidden = false; }
  }

  function problemText(err) {
    const fields = Object.entries(err.fields || {}).map(([f, r]) => `${f} ${r}`);
    return fields.length ? fields.join("; ") : err.message;
  }

  start();
})();
