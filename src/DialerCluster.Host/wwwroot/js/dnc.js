// The do-not-call list: add a number, import a file (all or nothing, bad rows listed), search and remove.
"use strict";
(() => {
  const { $, h, api, when } = Dialer;
  let page = 1, total = 0;
  const pageSize = 50;

  function problem(e) { return Object.entries(e.fields || {}).map(([f, r]) => `${f}: ${r}`).join("; ") || e.message; }

  async function load() {
    const p = new URLSearchParams({ page, pageSize });
    if ($("#search").value.trim()) p.set("search", $("#search").value.trim());
    const result = await api.get(`/api/dnc/entries?${p}`);
    total = result.total;
    $("#count").textContent = `${total} number${total === 1 ? "" : "s"}`;
    $("#entries tbody").replaceChildren(...(result.items.length ? result.items.map((e) => h("tr", { dataset: { phone: e.phone } },
      h("td", {}, h("b", {}, e.phone)),
      h("td", {}, e.reason || h("span", { class: "muted" }, "—")),
      h("td", {}, when(e.addedAt)),
      h("td", {}, h("button", { type: "button", class: "remove", onclick: () => remove(e.phone) }, "Remove"))))
      : [h("tr", {}, h("td", { colspan: 4, class: "muted" }, "No numbers found."))]));
    $("#page-info").textContent = total ? `${(page - 1) * pageSize + 1}–${Math.min(page * pageSize, total)} of ${total}` : "";
    $("#prev").disabled = page <= 1;
    $("#next").disabled = page * pageSize >= total;
  }

  async function remove(phone) {
    if (!confirm(`Remove ${phone} from the do-not-call list? It may be dialed again.`)) return;
    await api.del(`/api/dnc/${encodeURIComponent(phone)}`);
    Dialer.toast(`${phone} removed`, "ok");
    await load();
  }

  async function add(e) {
    e.preventDefault();
    $("#add-error").hidden = true;
    try {
      const added = await api.post("/api/dnc", { phone: $("#add-phone").value, defaultCountry: $("#add-country").value || null, reason: $("#add-reason").value || null });
      Dialer.toast(added.added ? `${added.phone} added` : `${added.phone} was already listed`, "ok");
      $("#add-form").reset();
      await load();
    } catch (err) {
      $("#add-error").textContent = problem(err);
      $("#add-error").hidden = false;
    }
  }

  async function importFile(e) {
    e.preventDefault();
    for (const id of ["#import-ok", "#import-error", "#import-rejected"]) $(id).hidden = true;
    const file = $("#import-file").files[0];
    if (!file) { $("#import-error").textContent = "Choose a file first."; $("#import-error").hidden = false; return; }
    const form = new FormData();
    form.append("file", file);
    if ($("#import-country").value) form.append("defaultCountry", $("#import-country").value);
    if ($("#import-reason").value) form.append("reason", $("#import-reason").value);
    try {
      const result = await api.upload("/api/dnc/import", form);
      $("#import-ok").textContent = `${result.rows} rows: ${result.added} numbers added, ${result.alreadyListed} already listed.`;
      $("#import-ok").hidden = false;
      await load();
    } catch (err) {
      const rejected = err.problem.rejected || [];
      $("#import-error").textContent = err.problem.detail || problem(err);
      $("#import-error").hidden = false;
      if (rejected.length) {
        $("#import-rejected tbody").replaceChildren(...rejected.map((r) => h("tr", {}, h("td", { class: "num" }, r.row), h("td", {}, r.field), h("td", {}, r.reason))));
        $("#import-rejected").hidden = false;
      }
    }
  }

  async function start() {
    const user = await Dialer.requireUser(["supervisor", "admin"]);
    if (!user) return;
    $("#add-form").addEventListener("submit", add);
    $("#import-form").addEventListener("submit", importFile);
    $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); page = 1; load(); });
    $("#prev").addEventListener("click", () => { page--; load(); });
    $("#next").addEventListener("click", () => { page++; load(); });
    await load();
  }

  start();
})();
