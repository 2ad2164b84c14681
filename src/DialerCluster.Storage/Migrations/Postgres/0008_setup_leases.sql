-- A lease per piece of one-off set-up work that every node would otherwise do at once (the demo's users, agents and
-- campaign: issue 15, two nodes starting together created "Bruno Costa" twice). Whoever holds an unexpired lease
-- does the work; the others wait for it and then find everything there. Keep in step with
-- Migrations/Sqlite/0008_setup_leases.sql.

CREATE TABLE setup_leases (
    name       text PRIMARY KEY CHECK (name <> ''),
    holder     text NOT NULL CHECK (holder <> ''),
    expires_at timestamptz NOT NULL
);
