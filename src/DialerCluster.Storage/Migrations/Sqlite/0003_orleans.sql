-- Orleans's ADO.NET providers (Microsoft.Orleans.Persistence.AdoNet and .Reminders.AdoNet 10.4.x) ship no
-- SQL. Each reads its statements by name from the OrleansQuery table and binds them by parameter name;
-- it reads result columns by name. That contract (keys, @parameters, column aliases) is fixed by Orleans;
-- the tables behind it are ours. Keep in step with Migrations/Postgres/0003_orleans.sql. No membership
-- here: one SQLite node uses localhost clustering.
-- Inside the query texts below a quote is doubled, so '''' is the empty string.
-- Reminder times are the TEXT Microsoft.Data.Sqlite writes for a DateTime (yyyy-MM-dd HH:mm:ss.FFFFFFF, UTC).

-- The stand-in runtime's grain state gives way to Orleans's grain storage below.
DROP TABLE grain_state;

-- Orleans selects "QueryKey, QueryText FROM OrleansQuery" literally, so this one table keeps its names.
CREATE TABLE OrleansQuery (
    QueryKey  TEXT PRIMARY KEY,
    QueryText TEXT NOT NULL
) STRICT;

-- Grain state (IPersistentState<T>). Orleans keys a row by service, state name and the grain's key only:
-- the grain TYPE is not part of it, so two grain classes with equal keys must use different state names.
-- A key is two 64-bit halves (integer and GUID keys) plus text (string keys, and key extensions; '' when
-- there is none). A clear keeps the row with a NULL payload so the version keeps rising, and an ETag
-- from before the clear can never match again.
CREATE TABLE orleans_grain_state (
    service_id  TEXT NOT NULL,
    state_name  TEXT NOT NULL,
    key_n0      INTEGER NOT NULL,
    key_n1      INTEGER NOT NULL,
    key_text    TEXT NOT NULL,
    payload     BLOB,
    version     INTEGER NOT NULL CHECK (version > 0),
    modified_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    PRIMARY KEY (service_id, state_name, key_n0, key_n1, key_text)
) STRICT;

-- Durable reminders. grain_hash is the grain id's uniform hash as a signed 32-bit integer: each silo
-- reads the reminders of its own slice of that ring.
CREATE TABLE orleans_reminder (
    service_id    TEXT NOT NULL,
    grain_id      TEXT NOT NULL,
    reminder_name TEXT NOT NULL,
    start_time    TEXT NOT NULL,
    period_ms     INTEGER NOT NULL CHECK (period_ms >= 0),
    grain_hash    INTEGER NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    PRIMARY KEY (service_id, grain_id, reminder_name)
) STRICT;

CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

-- Versions wrap to 1 rather than overflow: Orleans parses every ETag as a 32-bit integer.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Grain storage: @GrainStateVersion is NULL for a grain that has never seen a row. An absent row with
-- NULL inserts version 1; a present row updates only when its version is the one the grain read. Any
-- other case returns no row, which Orleans raises as InconsistentStateException: a stale write, and also
-- a first write over a row someone else wrote (no blind overwrite). SQLite runs one writer at a time,
-- so each statement is its own atomic check-and-write.
('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, '''')
'),

('WriteToStorageKey', '
INSERT INTO orleans_grain_state AS s (service_id, state_name, key_n0, key_n1, key_text, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''''), @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM orleans_grain_state
              WHERE service_id = @ServiceId AND state_name = @GrainTypeString
                AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, ''''))
ON CONFLICT (service_id, state_name, key_n0, key_n1, key_text) DO UPDATE
    SET payload = excluded.payload,
        version = CASE WHEN s.version = 2147483647 THEN 1 ELSE s.version + 1 END,
        modified_at = CAST(unixepoch(''subsec'') * 1000 AS INTEGER)
    WHERE s.version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion
'),

('ClearStorageKey', '
UPDATE orleans_grain_state
SET payload = NULL, version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END,
    modified_at = CAST(unixepoch(''subsec'') * 1000 AS INTEGER)
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion
'),

-- Reminders. Ranges are half-open (begin, end] on the signed hash ring; Rows2 is the range that wraps.
('ReadReminderRowsKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
'),

('ReadReminderRowKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
'),

('ReadRangeRows1Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
'),

('ReadRangeRows2Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM orleans_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
'),

('UpsertReminderRowKey', '
INSERT INTO orleans_reminder AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
        version = CASE WHEN r.version = 2147483647 THEN 1 ELSE r.version + 1 END
RETURNING version AS Version
'),

-- Orleans wants exactly one row back: changes() counts what the DELETE before it removed.
('DeleteReminderRowKey', '
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version;
SELECT changes();
'),

('DeleteReminderRowsKey', '
DELETE FROM orleans_reminder WHERE service_id = @ServiceId
');
