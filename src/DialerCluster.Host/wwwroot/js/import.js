// Import page: upload a file, show the per-row report {row, field, reason}, then create cases from the group.
"use strict";
(() => {
  const { api, norm, $, h, toast } = Dialer;
  let groupId = null;

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    $("#import-form").addEventListener("submit", upload);
    $("#create-cases").addEventListener("click", createCases);
    try {
      const campaigns = norm.list(await api.get("/api/campaigns")).map(norm.campaign);
      $("#campaign").replaceChildren(...campaigns.map((c) => h("option", { value: c.id }, c.name)));
    } catch (e) { toast(e.message, "error"); }
  }

  async function upload(e) {
    e.preventDefault();
    const error = $("#import-error");
    error.hidden = true;
    const file = $("#file").files[0];
    const problems = [];
    if (!file) problems.push("Choose a file.");
    if (!$("#name").value.trim()) problems.push("Give the contact group a name.");
    if (problems.length) { error.textContent = problems.join(" "); error.hidden = false; return; }
    const form = new FormData();
    form.append("file", file);
    form.append("name", $("#name").value.trim());
    if ($("#defaultCountry").value.trim()) form.append("defaultCountry", $("#defaultCountry").value.trim().toUpperCase());
    $("#upload").disabled = true;
    $("#upload").textContent = "Importing…";
    try {
      show(await api.upload("/api/contact-groups/import", form));
    } catch (err) {
      const fields = Object.entries(err.fields || {}).map(([f, r]) => `${f}: ${r}`);
      error.textContent = `Nothing was imported. ${fields.length ? fields.join("; ") : err.message}`;
      error.hidden = false;
    } finally {
      $("#upload").disabled = false;
      $("#upload").textContent = "Import";
    }
  }

  function show(result) {
    groupId = result.groupId;
    const rejected = result.rejected || [];
    const rejectedRows = result.rejectedRows ?? rejected.length;
    $("#result").hidden = false;
    $("#result-summary").replaceChildren(
      h("span", { class: "tag s-won" }, `${result.imported} imported`), " ",
      h("span", { class: rejectedRows ? "tag high" : "tag" }, `${rejectedRows} rejected`));
    const note = $("#result-note");
    note.textContent = result.note || "";
    note.hidden = !result.note;
    $("#to-campaign").hidden = !groupId || !result.imported;
    $("#rejected tbody").replaceChildren(...(rejected.length
      ? rejected.map((r) => h("tr", {}, h("td", { class: "num" }, r.row), h("td", {}, h("b", {}, r.field)), h("td", {}, r.reason)))
      : [h("tr", {}, h("td", { colspan: 3, class: "muted" }, "Every row was accepted."))]));
    // The answer lists the first refusals only; the whole list is a CSV file kept for a while for this user.
    const more = $("#rejected-more");
    more.hidden = !result.rejectedCsv;
    more.replaceChildren(...(result.rejectedCsv ? [
      result.rejectedNotShown ? `… and ${result.rejectedNotShown.toLocaleString()} more. ` : "",
      h("a", { href: result.rejectedCsv, download: "" }, "Download every rejected row (CSV)"),
    ] : []));
  }

  async function createCases() {
    try {
      const r = await api.post(`/api/campaigns/${$("#campaign").value}/cases`, { contactGroupId: groupId, priority: $("#priority").value });
      toast(`${r.created} cases created${r.skipped ? `, ${r.skipped} already in the campaign` : ""}`, "ok");
    } catch (e) { toast(e.message, "error"); }
  }

  start();
})();
