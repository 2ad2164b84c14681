-- Who may use the system and how that is remembered (issue 15 items 5, 6 and 12, issue 12 item 2; the audit log
-- they write to is 0010_audit_log). Keep in step with Migrations/Postgres/0012_access.sql.

-- user_name is the name as shown (NFKC); name_key its case-folded form, unique, so "Alice" and "alice" are one
-- user. Names stored before this migration are ASCII in practice, for which lower() is the key.
ALTER TABLE users ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE users SET name_key = lower(user_name);
CREATE UNIQUE INDEX users_name_key ON users (name_key);
-- How the name looks (look-alike letters as the Latin letter they imitate), to refuse a new name that looks like an
-- existing one. The rule lives in the host's UserNames.Skeleton; for the ASCII names stored so far it is this.
ALTER TABLE users ADD COLUMN name_skeleton TEXT NOT NULL DEFAULT '';
UPDATE users SET name_skeleton = replace(replace(replace(replace(name_key, '0', 'o'), '1', 'l'), 'rn', 'm'), 'vv', 'w');
CREATE INDEX users_name_skeleton ON users (name_skeleton);
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
-- Rises whenever every session of the user must end (disabled, new password, new role or agent): a session
-- carries the epoch it began at and is refused once they differ.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 1 CHECK (session_epoch > 0);
-- Sign-in refused until then, after repeated failures.
ALTER TABLE users ADD COLUMN locked_until INTEGER;

-- One row per sign-in: a page's cookie or an API client's bearer and refresh tokens.
CREATE TABLE auth_sessions (
    id                 TEXT PRIMARY KEY CHECK (length(id) >= 16),
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
    created_at         INTEGER NOT NULL,
    -- The refresh token in use carries this number; a refresh moves it on, so an older token is refused.
    refresh_generation INTEGER NOT NULL DEFAULT 0 CHECK (refresh_generation >= 0),
    revoked_at         INTEGER,
    address            TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX auth_sessions_user_id ON auth_sessions (user_id);
CREATE INDEX auth_sessions_revoked_at ON auth_sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX auth_sessions_created_at ON auth_sessions (created_at);

-- What every node follows to refuse ended sessions within seconds: one session (session_id) or all of a user's
-- (session_id null). No foreign key: the change about a deleted user must outlive the user.
CREATE TABLE auth_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL,
    session_id TEXT,
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_changes_at ON auth_changes (at);

-- ASP.NET Core Data Protection's key ring, shared by every node on this database: a cookie or token sealed on
-- one node opens on the others, and after a restart.
CREATE TABLE data_protection_keys (
    name       TEXT PRIMARY KEY CHECK (name <> ''),
    xml        TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
) STRICT, WITHOUT ROWID;
