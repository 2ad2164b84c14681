-- Who changed what, and when (issue 16: every write is audited). The same table as the sign-in audit of issue 15
-- (audit_log(at, actor, action, subject, detail)); IF NOT EXISTS so whichever migration runs first creates it.
CREATE TABLE IF NOT EXISTS audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT,
    detail  TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_subject_at ON audit_log (subject, at);
