// Campaign settings: create a campaign or edit one (mode, calling hours, retries, caller id, default priority, costs,
// budget, deal value) and choose its agents. Errors are shown next to the field the API names.
"use strict";
(() => {
  const { $, $$, h, api } = Dialer;
  let campaigns = [], agents = [], current = null;

  const minutes = (duration) => {
    // "d.hh:mm:ss" or "hh:mm:ss" → whole minutes
    const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(duration || "");
    return m ? Math.round(((+(m[1] || 0) * 24 + +m[2]) * 60) + +m[3] + +m[4] / 60) : "";
  };
  const number = (id) => ($(id).value === "" ? undefined : Number($(id).value));

  function fill(c) {
    current = c;
    $("#form-title").textContent = c ? c.name : "New campaign";
    $("#form-version").textContent = c ? `Version ${c.version}` : "";
    $("#save").textContent = c ? "Save changes" : "Create campaign";
    $("#f-name").value = c?.name || "";
    $("#f-dialMode").value = c?.dialMode || "preview";
    $("#f-defaultPriority").value = c?.defaultPriority || "low";
    $("#f-windowStart").value = c?.callingWindow.start || "09:00";
    $("#f-windowEnd").value = c?.callingWindow.end || "21:00";
    $("#f-maxAttempts").value = c?.maxAttempts ?? 5;
    $("#f-callerId").value = c?.callerId || "";
    $("#f-linesPerAgent").value = c?.linesPerAgent ?? 2;
    $("#f-retryNoAnswer").value = c ? minutes(c.retryDelays.noAnswer) : 120;
    $("#f-retryBusy").value = c ? minutes(c.retryDelays.busy) : 15;
    $("#f-retryVoicemail").value = c ? minutes(c.retryDelays.voicemail) : 240;
    $("#f-retryFailed").value = c ? minutes(c.retryDelays.failed) : 60;
    $("#f-agentHourCost").value = c?.costs.agentHourCost ?? 0;
    $("#f-callMinuteCost").value = c?.costs.callMinuteCost ?? 0;
    $("#f-budget").value = c?.costs.budget ?? "";
    $("#f-budgetPeriod").value = c?.costs.budgetPeriod || "month";
    $("#f-dealValue").value = c?.dealValue ?? 0;
    const assigned = new Set(c?.agents || []);
    $("#agents").replaceChildren(...(agents.length ? agents.map((a) => h("label", {},
      h("input", { type: "checkbox", value: a.id, checked: assigned.has(a.id), "data-agent-id": a.id }), a.name)) : [h("span", { class: "muted small" }, "No agents yet.")]));
    clearErrors();
    $$("#campaign-list li").forEach((li) => li.classList.toggle("on", Number(li.dataset.campaignId) === c?.id));
  }

  function clearErrors() {
    $$(".field-error").forEach((e) => { e.textContent = ""; });
    $$(".field.invalid").forEach((f) => f.classList.remove("invalid"));
    $("#save-error").hidden = true;
  }

  function body() {
    const seconds = (id) => (number(id) === undefined ? undefined : number(id) * 60);
    return {
      name: $("#f-name").value,
      dialMode: $("#f-dialMode").value,
      defaultPriority: $("#f-defaultPriority").value,
      callingWindow: { start: $("#f-windowStart").value, end: $("#f-windowEnd").value },
      maxAttempts: number("#f-maxAttempts"),
      callerId: $("#f-callerId").value.trim() || null,
      linesPerAgent: number("#f-linesPerAgent"),
      retryDelays: { noAnswer: seconds("#f-retryNoAnswer"), busy: seconds("#f-retryBusy"), voicemail: seconds("#f-retryVoicemail"), failed: seconds("#f-retryFailed") },
      costs: { agentHourCost: number("#f-agentHourCost"), callMinuteCost: number("#f-callMinuteCost"), budget: number("#f-budget") ?? null, budgetPeriod: $("#f-budgetPeriod").value },
      dealValue: number("#f-dealValue"),
      version: current?.version,
    };
  }

  async function save(e) {
    e.preventDefault();
    clearErrors();
    try {
      const saved = current ? await api.patch(`/api/campaigns/${current.id}`, body()) : await api.post("/api/campaigns", body());
      const wanted = new Set($$("#agents input:checked").map((i) => Number(i.value)));
      const had = new Set(current?.agents || []);
      for (const id of wanted) if (!had.has(id)) await api.put(`/api/campaigns/${saved.id}/agents/${id}`);
      for (const id of had) if (!wanted.has(id)) await api.del(`/api/campaigns/${saved.id}/agents/${id}`);
      Dialer.toast(current ? "Campaign saved" : "Campaign created", "ok");
      await reload(saved.id);
    } catch (err) {
      const fields = Object.entries(err.fields || {});
      for (const [field, reason] of fields) {
        const slot = document.getElementById(`err-${field}`);
        if (slot) { slot.textContent = reason; slot.closest(".field")?.classList.add("invalid"); }
      }
      $("#save-error").textContent = "Not saved: " + (fields.map(([f, r]) => `${f} ${r}`).join("; ") || err.message);
      $("#save-error").hidden = false;
    }
  }

  async function reload(selectId) {
    campaigns = Dialer.norm.list(await api.get("/api/campaigns"));
    $("#campaign-list").replaceChildren(...campaigns.map((c) => h("li", { dataset: { campaignId: c.id } },
      h("a", { href: `?id=${c.id}`, onclick: (ev) => { ev.preventDefault(); open(c.id); } }, c.name),
      h("span", { class: "small muted" }, Dialer.label(c.dialMode) || c.dialMode))));
    if (selectId) await open(selectId);
  }

  async function open(id) {
    const c = await api.get(`/api/campaigns/${id}`);
    history.replaceState(null, "", `?id=${id}`);
    fill(c);
  }

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    agents = Dialer.norm.list(await api.get("/api/agents"));
    $("#campaign-form").addEventListener("submit", save);
    $("#new-campaign").addEventListener("click", () => { history.replaceState(null, "", "?"); fill(null); });
    const id = new URLSearchParams(location.search).get("id");
    await reload(id ? Number(id) : null);
    if (!id) fill(null);
  }

  start();
})();
