-- Who changed what, and when: every write of the managers' screens (issue 16), user admin, lockouts and sessions
-- (issue 15). Append-only.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL CHECK (actor <> ''),
    action  TEXT NOT NULL CHECK (action <> ''),
    subject TEXT,
    detail  TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject_at ON audit_log (subject, at);
