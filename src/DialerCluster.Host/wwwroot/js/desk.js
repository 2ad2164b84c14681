// The agent desk: campaign, status, Next case, the case card and the agent's own lists.
"use strict";
(() => {
  const { api, norm, $, $$, h, label, attempts, duration, when, toast } = Dialer;

  // The one table of required fields per status, as the API enforces it; the page only marks them.
  const FIELDS = {
    new: ["note"],
    in_acquisition: ["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate", "note"],
    offered: ["nextContactAt", "contractStage", "note"],
    won: ["note"],
    resigned: ["resignationReason", "note"],
  };
  const REQUIRED = {
    in_acquisition: ["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate"],
    offered: ["nextContactAt", "contractStage"],
    resigned: ["resignationReason"],
  };
  const ALL_FIELDS = ["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate", "contractStage", "resignationReason", "note"];

  let user = null;
  let campaigns = [];
  let presence = { state: "offline", since: new Date().toISOString(), reason: null };
  let current = null; // the normalised case on the card
  let loaded = null; // the card's status and fields as last read from the server: what the agent typed differs from it
  let chosenStatus = "new";

  const agentUrl = (path = "") => `/api/agents/${user.agentId}${path}`;
  const campaignId = () => $("#campaign").value;

  async function start() {
    user = await Dialer.requireUser(["agent", "supervisor", "admin"]);
    if (!user) return;
    if (user.agentId == null) {
      $("#case-empty").innerHTML = "<div class='big'>This user is not linked to an agent</div>Supervisors work from the <a href='/wall.html'>live wall</a>.";
      $$("button").forEach((b) => { if (b.id !== "signout") b.disabled = true; });
      return;
    }
    wire();
    await loadCampaigns();
    await loadAgent();
    await Promise.all([loadReminders(), loadMyCases()]);
    setInterval(tick, 1000);
    tick();
    // The agent's own line (state changes the dialer makes: on call, wrap-up; the call on the case) every few seconds.
    setInterval(refreshPresence, 3000);
  }

  async function refreshPresence() {
    if (document.hidden) return;
    try {
      const agent = await api.get(agentUrl());
      showPresence(agent.presence || agent);
      if (current && agent.call) { current.call = agent.call; renderCall(current, (current.contact?.phones || [])[0]); }
    } catch { /* the next tick tries again */ }
  }

  function wire() {
    // Each field label's text in its own span, so the required marker sits on the label's line.
    $$("#case-form label.field").forEach((el) => {
      const text = el.firstChild;
      if (text && text.nodeType === Node.TEXT_NODE) el.replaceChild(h("span", { class: "lbl" }, text.textContent.trim()), text);
    });
    $("#status-ready").addEventListener("click", () => setStatus("ready"));
    $("#status-break").addEventListener("click", () => setStatus("break", $("#break-reason").value));
    $("#next-case").addEventListener("click", nextCase);
    $("#save").addEventListener("click", save);
    $("#complete").addEventListener("click", complete);
    $("#campaign").addEventListener("change", () => { localStorage.setItem("desk.campaign", campaignId()); loadMyCases(); loadReminders(); });
    $$("#status-tabs button").forEach((b) => b.addEventListener("click", () => chooseStatus(b.dataset.status)));
  }

  async function loadCampaigns() {
    campaigns = [];
    try { campaigns = norm.list(await api.get("/api/campaigns")).map(norm.campaign); }
    catch (e) { toast(`Campaigns: ${e.message}`, "error"); }
    if (user.role === "agent") campaigns = campaigns.filter((c) => user.campaignIds.includes(Number(c.id)));
    const select = $("#campaign");
    select.replaceChildren(...campaigns.map((c) => h("option", { value: c.id }, c.name)));
    const saved = localStorage.getItem("desk.campaign");
    if (saved && campaigns.some((c) => String(c.id) === saved)) select.value = saved;
    $("#campaign-hint").textContent = campaigns.length ? `${campaigns.length} campaign${campaigns.length > 1 ? "s" : ""} assigned to you` : "You are not assigned to a campaign yet; ask your supervisor.";
    $("#next-case").disabled = campaigns.length === 0;
  }

  async function loadAgent() {
    try {
      const agent = await api.get(agentUrl());
      showPresence(agent.presence || agent);
      const caseId = agent.caseId ?? agent.heldCaseId;
      if (caseId && (!current || String(current.id) !== String(caseId))) await openCase(caseId);
    } catch (e) { toast(`Your status: ${e.message}`, "error"); }
  }

  function showPresence(p) {
    const wasOnCall = presence.state === "on_call";
    presence = { state: p.state || p.status || "offline", since: p.since || new Date().toISOString(), reason: p.reason || null };
    const pill = $("#state-pill");
    pill.className = `pill st-${presence.state}`;
    pill.textContent = presence.state === "break" && presence.reason ? `Break · ${presence.reason}` : label(presence.state);
    const working = ["ready", "on_call", "wrap_up"].includes(presence.state);
    $("#status-ready").classList.toggle("on", working);
    $("#status-ready").setAttribute("aria-pressed", String(working));
    $("#status-break").classList.toggle("on", presence.state === "break");
    $("#status-break").setAttribute("aria-pressed", String(presence.state === "break"));
    const next = $("#next-case");
    next.title = working ? "" : "Go Ready to take cases";
    if (!current && !working) $("#next-message").textContent = presence.state === "break" ? "You are on a break. Go Ready to take cases." : "Go Ready to take cases.";
    else if ($("#next-message").textContent.startsWith("You are on a break") || $("#next-message").textContent === "Go Ready to take cases.") $("#next-message").textContent = "";
    if (current && wasOnCall !== (presence.state === "on_call")) renderCall(current, (current.contact?.phones || [])[0]);
    tick();
  }

  function tick() {
    $("#state-timer").textContent = duration(Date.now() - new Date(presence.since).getTime());
  }

  async function setStatus(status, reason) {
    try {
      const agent = await api.put(agentUrl("/status"), reason ? { status, reason } : { status });
      showPresence((agent && (agent.presence || agent)) || { state: status, reason });
      toast(status === "ready" ? "You are ready for calls" : `On break: ${reason}`, status === "ready" ? "ok" : "info");
    } catch (e) { toast(e.message, "error"); }
  }

  // Why Next case came back empty (the 204's Next-Case-Reason), in the agent's words; the last two keep asking.
  const noCaseText = {
    nothing_dialable: "Nothing to dial right now: every case is held, waiting for its retry or callback time, or done.",
    calling_hours: "The ready leads are outside calling hours where they live. Try again later.",
    kept_for_owners: "The only ready cases are callbacks kept for the agents who own them.",
    all_lines_busy: "Every line is dialing; still looking for your next call…",
    wait_ended: "Still dialing for you…",
  };
  const keepAsking = new Set(["all_lines_busy", "wait_ended"]);

  async function nextCase() {
    const button = $("#next-case");
    const message = $("#next-message");
    if (!campaignId()) { message.textContent = "Pick a campaign first."; return; }
    button.disabled = true;
    message.textContent = "Finding your next case…";
    let askAgain = false;
    try {
      const offer = await api.post(`${agentUrl("/next-case")}?campaignId=${encodeURIComponent(campaignId())}`);
      if (!offer || offer.noCase) {
        message.textContent = noCaseText[offer?.noCase] ?? "No case is ready for you right now. Try again in a moment.";
        askAgain = keepAsking.has(offer?.noCase);
        return;
      }
      message.textContent = offer.repeated ? "You already hold this case." : "";
      show(norm.caseOf(offer));
      await refreshHistory();
      await loadAgent();
    } catch (e) {
      message.textContent = e.status === 409 ? e.message : "";
      toast(e.message, "error");
    } finally {
      button.disabled = false;
      if (askAgain) setTimeout(nextCase, 250);
    }
  }

  async function openCase(caseId) {
    try { show(norm.caseOf(await api.get(`/api/cases/${caseId}`))); }
    catch (e) { toast(`Case ${caseId}: ${e.message}`, "error"); }
  }

  async function refreshHistory() {
    if (!current) return;
    try {
      const details = norm.caseOf(await api.get(`/api/cases/${current.id}`));
      // Only the history: taking a newer version here would let the next save overwrite what the card does not show.
      current.activities = details.activities;
      renderHistory();
    } catch { /* the card stays as it is */ }
  }

  function show(c) {
    // A case read again (after a save, a reload) keeps the call the desk knows of: the case itself does not carry it.
    if (current && c && String(current.id) === String(c.id)) {
      c.call = c.call || current.call;
      c.callId = c.callId ?? current.callId;
      c.contact = c.contact || current.contact;
    }
    current = c;
    $("#case-empty").hidden = true;
    $("#case-card").hidden = false;
    const contact = c.contact || {};
    const name = contact.name || `Case ${c.id}`;
    $("#contact-name").textContent = name;
    $("#contact-initials").textContent = name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
    $("#contact-company").textContent = contact.company || "";
    const max = campaigns.find((x) => String(x.id) === String(c.campaignId))?.raw.maxAttempts;
    $("#case-meta").textContent = ` · Case #${c.id} · ${attempts(c.attempts, max)}`;
    const statusTag = $("#case-status-tag");
    statusTag.className = `tag s-${c.status}`;
    statusTag.textContent = label(c.status);
    const priorityTag = $("#case-priority-tag");
    priorityTag.className = `tag ${c.priority}`;
    priorityTag.textContent = `${label(c.priority)} priority`;
    const phones = contact.phones || (contact.phone ? [contact.phone] : []);
    const facts = [
      ["Phone", phones[0] ? h("a", { class: "phone", href: `tel:${phones[0]}` }, phones[0]) : "—"],
      ["Other phones", phones.slice(1).join(", ") || "—"],
      ["E-mail", contact.email ? h("a", { href: `mailto:${contact.email}` }, contact.email) : "—"],
      ["Company", contact.company || "—"],
      ["Address", contact.address || "—"],
      ["Time zone", contact.timeZone || contact.country || "—"],
      ...Object.entries(contact.attributes || {}).map(([k, v]) => [k, v]),
    ];
    $("#contact-facts").replaceChildren(...facts.map(([k, v]) => h("div", { class: "fact" }, h("div", { class: "k" }, k), h("div", { class: "v" }, v))));
    renderCall(c, phones[0]);
    fillForm(c.form);
    chooseStatus(c.status);
    loaded = typedValues();
    clearErrors();
    $("#save-message").hidden = true;
    renderHistory();
  }

  function typedValues() {
    const values = { status: chosenStatus };
    for (const f of ALL_FIELDS) values[f] = $(`#f-${f}`).value;
    return values;
  }

  function renderCall(c, phone) {
    const box = $("#call-state");
    const call = c.call;
    if (call || c.callId) {
      const state = (call && (call.state || call.status)) || "dialing";
      box.replaceChildren(h("span", { class: "pill st-on_call" }, label(state)), h("span", {}, `Call #${(call && (call.callId ?? call.id)) || c.callId} to ${phone || "the contact"}`));
    } else if (presence.state === "on_call") {
      // On a call the desk was not told of (the page was reloaded mid-call): never "Preview" while someone is talking.
      box.replaceChildren(h("span", { class: "pill st-on_call" }, label("on_call")), h("span", {}, `with ${phone || "the contact"}`));
    } else {
      box.replaceChildren(h("span", { class: "pill st-wrap_up" }, "Preview"), h("span", { class: "muted" }, `Review the case, then call ${phone || "the contact"}. Record the outcome when you complete.`));
    }
  }

  function fillForm(form) {
    for (const f of ALL_FIELDS) {
      const input = $(`#f-${f}`);
      let v = form[f] || "";
      if (f === "nextContactAt" && v) v = toLocalInput(v);
      if (f === "expectedCloseDate" && v) v = String(v).slice(0, 10);
      if (input.tagName === "SELECT" && v && !Array.from(input.options).some((o) => o.value === v)) input.append(h("option", {}, v));
      input.value = v;
    }
  }

  function chooseStatus(status) {
    chosenStatus = status;
    $$("#status-tabs button").forEach((b) => b.classList.toggle("on", b.dataset.status === status));
    const visible = FIELDS[status] || ["note"];
    const required = REQUIRED[status] || [];
    $$("#case-form [data-field]").forEach((el) => {
      const f = el.dataset.field;
      el.hidden = !visible.includes(f);
      const marker = el.querySelector(".req");
      if (required.includes(f) && !marker) el.querySelector(".lbl").append(h("span", { class: "req", title: "required" }, " *"));
      if (!required.includes(f) && marker) marker.remove();
    });
    clearErrors();
  }

  function clearErrors() {
    $$("#case-form .field").forEach((el) => el.classList.remove("invalid"));
    $$("#case-form .field-error").forEach((el) => { el.textContent = ""; });
  }

  function patchBody() {
    const body = { status: chosenStatus };
    const visible = FIELDS[chosenStatus] || ["note"];
    for (const f of visible) {
      const v = $(`#f-${f}`).value.trim();
      if (f === "note") { body.note = v; continue; }
      if (!v) continue;
      body[f] = f === "nextContactAt" ? new Date(v).toISOString() : v;
    }
    // Booking a callback on an unowned case makes it the agent's own: it shows in My cases and Reminders,
    // and routing brings the callback back to this agent first.
    if (REQUIRED[chosenStatus]?.includes("nextContactAt") && current.ownerAgentId == null && user.agentId != null) body.ownerAgentId = user.agentId;
    if (user.agentId != null) body.agentId = user.agentId;
    return body;
  }

  async function save() {
    if (!current) return;
    clearErrors();
    const message = $("#save-message");
    message.hidden = true;
    $("#save").disabled = true;
    try {
      const saved = await api.patch(`/api/cases/${current.id}`, patchBody(), current.version);
      const next = norm.caseOf(saved);
      if (next && next.id) { next.contact = next.contact || current.contact; show(next); }
      message.className = "message ok";
      message.textContent = `Saved: ${label(chosenStatus)}.`;
      message.hidden = false;
      await Promise.all([refreshHistory(), loadReminders(), loadMyCases()]);
    } catch (e) {
      showSaveError(e);
    } finally { $("#save").disabled = false; }
  }

  function showSaveError(e) {
    const message = $("#save-message");
    message.className = "message error";
    const fields = Object.entries(e.fields || {});
    const named = [];
    for (const [field, reason] of fields) {
      const input = $(`#f-${field}`);
      const error = $(`#err-${field}`);
      if (input && error) {
        input.closest(".field").classList.add("invalid");
        error.textContent = `${label(field)} ${String(reason).replace(/\b(new|in_acquisition|offered|won|resigned)\b/g, (w) => label(w))}`;
      }
      named.push(label(field));
    }
    if (e.status === 412 || (e.status === 409 && (e.fields.version || e.fields["if-Match"]))) { showConflict(e); return; }
    if (e.status === 422 && named.length) message.textContent = `Not saved. Please fill in: ${named.join(", ")}.`;
    else message.textContent = `Not saved: ${e.message}`;
    message.hidden = false;
  }

  // Someone saved the case since this desk read it: say who and what, and offer the fresh case with the
  // agent's own typing put back on it, so nothing is overwritten blindly and nothing typed is lost.
  function showConflict(e) {
    const message = $("#save-message");
    const changes = e.problem.changes || [];
    const who = [...new Set(changes.map((c) => c.byName || c.by))].join(", ") || "someone else";
    const what = [...new Set(changes.flatMap((c) => c.fields || []))].map(label).join(", ");
    message.className = "message error conflict";
    message.replaceChildren(
      h("div", {}, h("b", {}, `Not saved: ${who} changed this case meanwhile`), what ? ` (${what}).` : "."),
      h("div", { class: "small" }, e.message),
      h("button", { type: "button", class: "primary", id: "reload-keep", onclick: reloadKeepingTyped }, "Reload the case and keep my changes"));
    message.hidden = false;
  }

  async function reloadKeepingTyped() {
    const typed = typedValues();
    const changed = Object.keys(typed).filter((k) => typed[k] !== loaded[k]);
    try {
      show(norm.caseOf(await api.get(`/api/cases/${current.id}`)));
    } catch (err) { toast(err.message, "error"); return; }
    if (changed.includes("status")) chooseStatus(typed.status);
    for (const f of changed) if (f !== "status") $(`#f-${f}`).value = typed[f];
    const message = $("#save-message");
    message.className = "message ok";
    message.textContent = changed.length
      ? `Reloaded with their changes; yours (${changed.map(label).join(", ")}) are back in the form. Check them and save again.`
      : "Reloaded with their changes.";
    message.hidden = false;
  }

  async function complete() {
    if (!current) return;
    const outcome = $("#outcome").value;
    try {
      await api.post(agentUrl("/complete"), { outcome });
      toast(`Case #${current.id} completed: ${label(outcome)}`, "ok");
      $("#next-message").textContent = "";
      current = null;
      $("#case-card").hidden = true;
      $("#case-empty").hidden = false;
      $("#history").replaceChildren(h("li", { class: "muted block" }, "No case open."));
      await Promise.all([loadAgent(), loadReminders(), loadMyCases()]);
    } catch (e) { toast(e.message, "error"); }
  }

  function renderHistory() {
    const items = (current.activities || []).slice().sort((a, b) => new Date(b.at) - new Date(a.at));
    $("#history").replaceChildren(...(items.length ? items.map((a) => h("li", {},
      h("div", { class: "small muted" }, when(a.at)),
      h("div", {},
        h("b", {}, label(a.kind)), " ",
        a.toStatus ? `${label(a.fromStatus)} → ${label(a.toStatus)} ` : "",
        a.outcome ? label(a.outcome) + " " : "",
        a.details ? h("div", { class: "small" }, describe(a)) : "",
        h("div", { class: "small muted by" }, a.by ? `by ${a.byName || a.by}` : "")))) : [h("li", { class: "muted block" }, "No activity yet.")]));
  }

  function describe(a) {
    if (a.kind === "owner_changed") return String(user.agentId) === String(a.details) ? "you" : a.ownerName || a.details;
    if (a.kind === "fields_changed") return String(a.details).split(", ").map(label).join(", ");
    return a.details;
  }

  async function loadReminders() {
    try {
      const url = agentUrl("/reminders") + (campaignId() ? `?campaignId=${campaignId()}` : "");
      const items = norm.list(await api.get(url)).slice().sort((a, b) => new Date(a.nextContactAt) - new Date(b.nextContactAt));
      const now = Date.now();
      $("#reminders").replaceChildren(...(items.length ? items.map((r) => h("li", {},
        h("div", {}, h("a", { href: "#", onclick: (e) => { e.preventDefault(); openCase(r.caseId ?? r.id); } }, r.contactName || `Case ${r.caseId ?? r.id}`),
          h("div", { class: "small muted" }, label(r.status))),
        h("span", { class: new Date(r.nextContactAt).getTime() <= now ? "due small" : "small" }, when(r.nextContactAt)))) : [h("li", { class: "muted" }, "No callbacks booked.")]));
    } catch (e) { $("#reminders").replaceChildren(h("li", { class: "muted" }, e.message)); }
  }

  async function loadMyCases() {
    if (!campaignId()) { $("#my-cases").replaceChildren(h("li", { class: "muted" }, "No campaign.")); return; }
    try {
      const page = await api.get(`/api/campaigns/${campaignId()}/cases?owner=${user.agentId}&pageSize=20`);
      const items = norm.list(page);
      $("#my-cases").replaceChildren(...(items.length ? items.map((c) => h("li", {},
        h("a", { href: "#", onclick: (e) => { e.preventDefault(); openCase(c.caseId ?? c.id); } }, c.contactName || `Case ${c.caseId ?? c.id}`),
        h("span", { class: `tag s-${c.status}` }, label(c.status)))) : [h("li", { class: "muted" }, "You own no cases in this campaign.")]));
    } catch (e) { $("#my-cases").replaceChildren(h("li", { class: "muted" }, e.message)); }
  }

  function toLocalInput(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return "";
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  start();
})();
