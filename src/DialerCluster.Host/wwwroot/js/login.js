// The sign-in page: cookie sign-in, then on to the page asked for (same site only) or the role's own page.
"use strict";

Dialer.$("#login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = Dialer.$("#login-error");
  error.hidden = true;
  try {
    const user = await Dialer.api.post("/api/auth/login", { userName: Dialer.$("#userName").value, password: Dialer.$("#password").value });
    const next = new URLSearchParams(location.search).get("next");
    location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : (user.role === "agent" ? "/desk.html" : "/wall.html");
  } catch (err) {
    error.textContent = err.status === 401 ? "Unknown user name or wrong password." : err.message;
    error.hidden = false;
  }
});
