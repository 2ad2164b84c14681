// Shared by every page: fetch with the session cookie, problem details to field errors, small DOM and time helpers.
"use strict";

const Dialer = (() => {
  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || `Request failed (${status})`);
      this.status = status;
      this.problem = problem || {};
      this.fields = ApiError.fieldsOf(this.problem);
    }

    // Problem bodies name fields either as {errors: {field: [reasons]}} or {errors: [{field, reason}]}.
    static fieldsOf(problem) {
      const out = {};
      const errors = problem.errors || problem.missing || problem.fields;
      if (Array.isArray(errors)) {
        for (const e of errors) {
          if (typeof e === "string") out[e] = "is required";
          else if (e && e.field) out[e.field] = e.reason || e.message || "is invalid";
        }
      } else if (errors && typeof errors === "object") {
        for (const [field, reasons] of Object.entries(errors)) {
          out[field.charAt(0).toLowerCase() + field.slice(1)] = Array.isArray(reasons) ? reasons.join("; ") : String(reasons);
        }
      }
      return out;
    }
  }

  async function call(method, url, body, { form, ifMatch } = {}) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    // A save names the version it was based on, so it never overwrites a change its author has not seen.
    if (ifMatch !== undefined && ifMatch !== null) init.headers["If-Match"] = `"${ifMatch}"`;
    if (form) init.body = form;
    else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    if (response.status === 401 && !url.startsWith("/api/auth/")) {
      location.href = "/login.html?next=" + encodeURIComponent(location.pathname + location.search);
      throw new ApiError(401, { title: "Signed out" });
    }
    // Next case's 204 names why no case came (Next-Case-Reason); every other 204 is just empty.
    if (response.status === 204) {
      const noCase = response.headers.get("Next-Case-Reason");
      return noCase ? { noCase } : null;
    }
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
    return data;
  }

  const api = {
    get: (url) => call("GET", url),
    post: (url, body) => call("POST", url, body),
    put: (url, body, version) => call("PUT", url, body, { ifMatch: version }),
    patch: (url, body, version) => call("PATCH", url, body, { ifMatch: version }),
    del: (url) => call("DELETE", url),
    upload: (url, form) => call("POST", url, undefined, { form }),
  };

  // The API's records may be flat or nested ({case, contact}, {record: {settings}}): read either.
  const norm = {
    // Queue counts arrive as {casesByStatus: {new, in_acquisition, ...}, ready, held, ...} or flat camelCase.
    counts(q) {
      q = q || {};
      const by = q.casesByStatus || {};
      const n = (wire, camel) => by[wire] ?? q[camel] ?? q[wire] ?? 0;
      return {
        new: n("new", "new"), inAcquisition: n("in_acquisition", "inAcquisition"), offered: n("offered", "offered"),
        won: n("won", "won"), resigned: n("resigned", "resigned"),
        ready: q.ready ?? 0, held: q.held ?? 0, pending: q.pending ?? 0, parked: q.parked ?? 0, total: q.total ?? 0,
      };
    },
    campaign(c) {
      const rec = c.record || c;
      const settings = rec.settings || c.settings || {};
      return {
        id: rec.id ?? c.id ?? c.campaignId,
        name: c.name ?? settings.name ?? rec.name ?? `Campaign ${rec.id ?? c.id}`,
        dialMode: c.dialMode ?? settings.dialMode ?? "",
        counts: norm.counts(c.queue || c.counts || c),
        agents: c.agents || c.agentIds || [],
        raw: c,
      };
    },
    liveAgent(a) {
      return {
        agentId: a.agentId ?? a.id, name: a.name, state: a.status ?? a.state ?? "offline", since: a.since,
        reason: a.reason ?? null, campaignId: a.campaignId ?? null, caseId: a.caseId ?? null,
        callId: a.callId ?? (a.call && a.call.id) ?? null,
      };
    },
    liveCampaign(c) {
      return {
        campaignId: c.campaignId ?? c.id, name: c.name, counts: norm.counts(c.queue || c.counts || c),
        assignedAgents: c.assignedAgents ?? 0, dialing: c.dialing || null,
      };
    },
    caseOf(x) {
      if (!x) return null;
      const c = x.case || x;
      const form = c.form || {};
      const pick = (k) => (form[k] !== undefined ? form[k] : c[k]);
      return {
        id: c.id ?? c.caseId,
        campaignId: c.campaignId,
        status: c.status || "new",
        priority: c.priority || "low",
        ownerAgentId: c.ownerAgentId ?? null,
        holderAgentId: c.holderAgentId ?? null,
        holder: c.holder ?? null,
        attempts: c.attempts ?? 0,
        version: c.version,
        updatedAt: c.updatedAt,
        form: {
          nextContactAt: pick("nextContactAt") || null,
          acquisitionStage: pick("acquisitionStage") || "",
          leadSource: pick("leadSource") || "",
          expectedCloseDate: pick("expectedCloseDate") || null,
          contractStage: pick("contractStage") || "",
          resignationReason: pick("resignationReason") || "",
          note: pick("note") || "",
        },
        contact: x.contact || c.contact || null,
        activities: (x.activities || c.activities || x.history || []).map((a) => a.activity ? { ...a.activity, id: a.id } : a),
        callId: x.callId ?? null,
        call: x.call || null,
      };
    },
    list(x) {
      if (Array.isArray(x)) return x;
      return (x && (x.items || x.campaigns || x.cases || x.reminders || x.data)) || [];
    },
  };

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      // Through the CSSOM: the Content-Security-Policy refuses style attributes, not style properties.
      else if (k === "style") for (const rule of String(v).split(";")) { const i = rule.indexOf(":"); if (i > 0) el.style.setProperty(rule.slice(0, i).trim(), rule.slice(i + 1).trim()); }
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const labels = {
    new: "New lead", in_acquisition: "In acquisition", offered: "Offered", won: "Won", resigned: "Resigned",
    offline: "Offline", ready: "Ready", on_call: "On call", wrap_up: "Wrap-up", break: "Break",
    low: "Low", normal: "Normal", high: "High",
    connected: "Connected", ended: "Call ended",
    talked: "Talked", no_answer: "No answer", busy: "Busy", voicemail: "Voicemail", failed: "Failed", abandoned: "Abandoned",
    status_changed: "Status", call_attempt: "Call", note: "Note", assigned: "Taken", released: "Released",
    owner_changed: "Owner", priority_changed: "Priority", fields_changed: "Fields",
    nextContactAt: "Next contact", acquisitionStage: "Acquisition stage", leadSource: "Lead source",
    expectedCloseDate: "Expected close date", contractStage: "Contract stage", resignationReason: "Resignation reason",
  };
  const label = (x) => labels[x] || (x ? String(x).replace(/_/g, " ") : "");

  // Attempts read the same wherever a case is shown (desk, campaign list): the calls made so far, of the campaign's maximum.
  const attempts = (made, max) => `${made ?? 0}${max ? ` of ${max}` : ""} attempt${!max && made === 1 ? "" : "s"}`;

  function duration(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
    const two = (n) => String(n).padStart(2, "0");
    return hh > 0 ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
  }

  function when(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    return d.toLocaleString(undefined, { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function toast(message, kind = "info") {
    let host = $("#toasts");
    if (!host) { host = h("div", { id: "toasts", role: "status", "aria-live": "polite" }); document.body.append(host); }
    const t = h("div", { class: `toast toast-${kind}` }, message);
    host.append(t);
    setTimeout(() => t.remove(), kind === "error" ? 7000 : 3500);
  }

  async function me() {
    try { return await call("GET", "/api/auth/me"); }
    catch { return null; }
  }

  async function requireUser(roles) {
    const user = await me();
    if (!user) { location.href = "/login.html?next=" + encodeURIComponent(location.pathname + location.search); return null; }
    if (roles && !roles.includes(user.role)) { location.href = user.role === "agent" ? "/desk.html" : "/wall.html"; return null; }
    const who = $("#who");
    if (who) who.textContent = `${user.agentName || user.userName} · ${label(user.role) || user.role}`;
    const out = $("#signout");
    if (out) out.addEventListener("click", async () => { await call("POST", "/api/auth/logout"); location.href = "/login.html"; });
    return user;
  }

  return { api, norm, ApiError, $, $$, h, label, attempts, duration, when, toast, me, requireUser };
})();
