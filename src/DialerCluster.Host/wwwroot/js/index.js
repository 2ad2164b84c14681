// The start page sends each user to their page: agents to the desk, supervisors and admins to the wall.
"use strict";

Dialer.me().then((u) => { location.replace(!u ? "/login.html" : u.role === "agent" ? "/desk.html" : "/wall.html"); });
