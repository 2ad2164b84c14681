-- DialerCluster schema, SQLite dialect (STRICT tables). Time representation, used consistently:
--   instants       INTEGER  milliseconds since the Unix epoch, UTC (sortable, compared with plain <=)
--   calendar dates TEXT     'YYYY-MM-DD'
--   times of day   TEXT     'HH:MM:SS' (calling windows, in the contact's own time zone)
--   booleans       INTEGER  0 or 1;  JSON  TEXT checked with json_type
-- Keep the table and column names identical to Migrations/Postgres/0001_initial.sql.

CREATE TABLE contact_groups (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL CHECK (name <> ''),
    row_count      INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    imported_count INTEGER NOT NULL DEFAULT 0 CHECK (imported_count >= 0),
    rejected_count INTEGER NOT NULL DEFAULT 0 CHECK (rejected_count >= 0),
    created_at     INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
) STRICT;

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id      INTEGER REFERENCES contact_groups (id),
    name          TEXT NOT NULL,
    -- E.164: the import normalises every number; a unique primary phone is how duplicates are refused.
    primary_phone TEXT NOT NULL UNIQUE CHECK (
                      primary_phone GLOB '+[1-9]*'
                      AND length(primary_phone) BETWEEN 3 AND 16
                      AND substr(primary_phone, 2) NOT GLOB '*[^0-9]*'),
    phones        TEXT NOT NULL DEFAULT '[]' CHECK (json_type(phones) = 'array'),
    email         TEXT,
    company       TEXT,
    address       TEXT,
    time_zone     TEXT,
    country       TEXT CHECK (country GLOB '[A-Z][A-Z]'),
    attributes    TEXT NOT NULL DEFAULT '{}' CHECK (json_type(attributes) = 'object'),
    created_at    INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
) STRICT;
CREATE INDEX contacts_group_id ON contacts (group_id);

CREATE TABLE agents (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL CHECK (name <> ''),
    created_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    version    INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE agent_state_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    state    TEXT NOT NULL CHECK (state IN ('offline', 'ready', 'on_call', 'wrap_up', 'break')),
    reason   TEXT,
    at       INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_state_log_agent_at ON agent_state_log (agent_id, at);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name     TEXT NOT NULL UNIQUE CHECK (user_name <> ''),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role <> ''),
    agent_id      INTEGER REFERENCES agents (id),
    created_at    INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
) STRICT;
CREATE INDEX users_agent_id ON users (agent_id) WHERE agent_id IS NOT NULL;

CREATE TABLE campaigns (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    name                   TEXT NOT NULL CHECK (name <> ''),
    dial_mode              TEXT NOT NULL DEFAULT 'preview'
                           CHECK (dial_mode IN ('preview', 'progressive', 'power', 'predictive')),
    calling_window_start   TEXT NOT NULL DEFAULT '09:00:00' CHECK (calling_window_start GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'),
    calling_window_end     TEXT NOT NULL DEFAULT '21:00:00' CHECK (calling_window_end GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'),
    max_attempts           INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    -- Seconds to wait before attempt 2, 3, ...; the last delay repeats.
    retry_delays_seconds   TEXT NOT NULL DEFAULT '[]' CHECK (json_type(retry_delays_seconds) = 'array'),
    hold_timeout_seconds   INTEGER NOT NULL DEFAULT 300 CHECK (hold_timeout_seconds > 0),
    owner_fallback_seconds INTEGER NOT NULL DEFAULT 900 CHECK (owner_fallback_seconds >= 0),
    -- Anything not worth a column yet (pacing knobs, form layout).
    settings               TEXT NOT NULL DEFAULT '{}' CHECK (json_type(settings) = 'object'),
    created_at             INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    version                INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE campaign_agents (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    agent_id    INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, agent_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX campaign_agents_agent_id ON campaign_agents (agent_id);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id         INTEGER NOT NULL REFERENCES campaigns (id),
    contact_id          INTEGER NOT NULL REFERENCES contacts (id),
    status              TEXT NOT NULL DEFAULT 'new'
                        CHECK (status IN ('new', 'in_acquisition', 'offered', 'won', 'resigned')),
    -- 0 = low (the default), 1 = normal, 2 = high.
    priority            INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 2),
    owner_agent_id      INTEGER REFERENCES agents (id),
    next_contact_at     INTEGER,
    next_attempt_at     INTEGER,
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    holder_agent_id     INTEGER REFERENCES agents (id),
    held_at             INTEGER,
    acquisition_stage   TEXT,
    lead_source         TEXT,
    expected_close_date TEXT CHECK (expected_close_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    contract_stage      TEXT,
    resignation_reason  TEXT,
    note                TEXT,
    created_at          INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    updated_at          INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, contact_id),
    CHECK ((holder_agent_id IS NULL) = (held_at IS NULL))
) STRICT;
-- The campaign queue rebuilds from (campaign, status) on activation.
CREATE INDEX cases_campaign_status ON cases (campaign_id, status);
-- My cases and Reminders: an owner's cases by callback time.
CREATE INDEX cases_owner_next_contact ON cases (owner_agent_id, next_contact_at) WHERE owner_agent_id IS NOT NULL;
-- An agent holds at most one case: the database refuses a second hold even if a node misbehaves.
CREATE UNIQUE INDEX cases_holder_agent_id ON cases (holder_agent_id) WHERE holder_agent_id IS NOT NULL;
CREATE INDEX cases_contact_id ON cases (contact_id);

CREATE TABLE case_activities (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind <> ''),
    at       INTEGER NOT NULL,
    -- Who: an agent id or a user name; null for the system (retry scheduler, hold timeout).
    actor    TEXT,
    outcome  TEXT,
    details  TEXT NOT NULL DEFAULT '{}' CHECK (json_type(details) = 'object')
) STRICT;
CREATE INDEX case_activities_case_at ON case_activities (case_id, at);

CREATE TABLE calls (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    -- Null while a predictive call has no agent yet, and for an abandoned call.
    agent_id    INTEGER REFERENCES agents (id),
    phone       TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at    INTEGER,
    outcome     TEXT,
    abandoned   INTEGER NOT NULL DEFAULT 0 CHECK (abandoned IN (0, 1))
) STRICT;
-- Call log per campaign and day; abandon rate over a trailing window.
CREATE INDEX calls_campaign_started ON calls (campaign_id, started_at);
CREATE INDEX calls_case_id ON calls (case_id);
CREATE INDEX calls_agent_started ON calls (agent_id, started_at) WHERE agent_id IS NOT NULL;

CREATE TABLE dnc (
    phone    TEXT PRIMARY KEY CHECK (
                 phone GLOB '+[1-9]*'
                 AND length(phone) BETWEEN 3 AND 16
                 AND substr(phone, 2) NOT GLOB '*[^0-9]*'),
    added_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    reason   TEXT
) STRICT, WITHOUT ROWID;

-- IPersistentState<T> rows. data is null for a cleared state: the row stays as a tombstone so the
-- version keeps rising, and a writer holding an etag from before the clear can never match again.
CREATE TABLE grain_state (
    grain_type TEXT NOT NULL,
    grain_key  TEXT NOT NULL,
    state_name TEXT NOT NULL,
    data       BLOB,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    PRIMARY KEY (grain_type, grain_key, state_name)
) STRICT;
