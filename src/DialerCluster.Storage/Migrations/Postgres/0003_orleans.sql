-- Orleans's ADO.NET providers (Microsoft.Orleans.Persistence.AdoNet, .Clustering.AdoNet, .Reminders.AdoNet
-- 10.4.x) ship no SQL. Each reads its statements by name from the OrleansQuery table and binds them by
-- parameter name; it reads result columns by name. That contract (keys, @parameters, column aliases) is
-- fixed by Orleans; the tables behind it are ours, named like the rest of the schema.
-- Keep in step with Migrations/Sqlite/0003_orleans.sql (which has no membership: one SQLite node uses
-- localhost clustering).

-- The stand-in runtime's grain state gives way to Orleans's grain storage below.
DROP TABLE grain_state;

-- Orleans selects "QueryKey, QueryText FROM OrleansQuery" literally, so this one table keeps its names.
CREATE TABLE OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);

-- Grain state (IPersistentState<T>). Orleans keys a row by service, state name and the grain's key only:
-- the grain TYPE is not part of it, so two grain classes with equal keys must use different state names.
-- A key is two 64-bit halves (integer and GUID keys) plus text (string keys, and key extensions; '' when
-- there is none). A clear keeps the row with a NULL payload so the version keeps rising, and an ETag
-- from before the clear can never match again.
CREATE TABLE orleans_grain_state (
    service_id  text NOT NULL,
    state_name  text NOT NULL,
    key_n0      bigint NOT NULL,
    key_n1      bigint NOT NULL,
    key_text    text NOT NULL,
    payload     bytea,
    version     integer NOT NULL CHECK (version > 0),
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, key_n0, key_n1, key_text)
);

-- Durable reminders. grain_hash is the grain id's uniform hash as a signed 32-bit integer: each silo
-- reads the reminders of its own slice of that ring.
CREATE TABLE orleans_reminder (
    service_id    text NOT NULL,
    grain_id      text NOT NULL,
    reminder_name text NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint NOT NULL CHECK (period_ms >= 0),
    grain_hash    integer NOT NULL,
    version       integer NOT NULL CHECK (version > 0),
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

-- Cluster membership. The version row is the table's ETag: every change of a silo's row (but its
-- I-am-alive heartbeat) moves it up by one, and only a writer that read the current version may change it.
CREATE TABLE orleans_membership_version (
    deployment_id text PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deployment_id   text NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text NOT NULL,
    port            integer NOT NULL,
    generation      integer NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    -- Orleans's SiloStatus: 1 created, 2 joining, 3 active, 4 shutting down, 5 stopping, 6 dead.
    status          integer NOT NULL,
    proxy_port      integer NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Versions wrap to 1 rather than overflow: Orleans parses every ETag as a 32-bit integer.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Grain storage: @GrainStateVersion is NULL for a grain that has never seen a row. An absent row with
-- NULL inserts version 1; a present row updates only when its version is the one the grain read. Any
-- other case returns no row, which Orleans raises as InconsistentStateException: a stale write, and also
-- a first write over a row someone else wrote (no blind overwrite).
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, '')
$q$),

('WriteToStorageKey', $q$
INSERT INTO orleans_grain_state AS s (service_id, state_name, key_n0, key_n1, key_text, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
WHERE @GrainStateVersion::integer IS NULL
   OR EXISTS (SELECT 1 FROM orleans_grain_state
              WHERE service_id = @ServiceId AND state_name = @GrainTypeString
                AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, ''))
ON CONFLICT (service_id, state_name, key_n0, key_n1, key_text) DO UPDATE
    SET payload = excluded.payload,
        version = CASE WHEN s.version = 2147483647 THEN 1 ELSE s.version + 1 END,
        modified_at = now()
    WHERE s.version = @GrainStateVersion::integer
RETURNING version AS "NewGrainStateVersion"
$q$),

('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END, modified_at = now()
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1 AND key_text = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion::integer
RETURNING version AS "NewGrainStateVersion"
$q$),

-- Reminders. Ranges are half-open (begin, end] on the signed hash ring; Rows2 is the range that wraps.
('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
        version = CASE WHEN r.version = 2147483647 THEN 1 ELSE r.version + 1 END
RETURNING version AS "Version"
$q$),

('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT count(*)::integer FROM removed
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder WHERE service_id = @ServiceId
$q$),

-- Membership. Reads return the version row even when no silo row matches (LEFT JOIN): Orleans takes
-- the table version from the first row and knows "no silo" by a NULL StartTime. Inserts and updates of
-- a silo row move the version in the same statement, and only from the version Orleans passes
-- (@Version, the one it read); they answer 1 when done, 0 when the table had moved on.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created
$q$),

('MembershipReadAllKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('InsertMembershipKey', $q$
WITH moved AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans_membership
                      WHERE deployment_id = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), added AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, @StartTime, @IAmAliveTime
    FROM moved
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM added
$q$),

('UpdateMembershipKey', $q$
WITH moved AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND EXISTS (SELECT 1 FROM orleans_membership
                  WHERE deployment_id = @DeploymentId AND address = @Address
                    AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), changed AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM moved
    WHERE m.deployment_id = moved.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer FROM changed
$q$),

-- The heartbeat: no version move, by Orleans's protocol.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Silo rows go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Only dead silos are forgotten, once their last sign of life is older than Orleans's cut-off.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$q$);
