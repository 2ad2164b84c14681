-- Rollups for the reports over long periods: a year of calls and agent states is millions of rows, too many to add up
-- per request. The triggers keep them current in the writing transaction (per statement, so a bulk COPY adds up once);
-- a report adds whole UTC days from here and reads only its partial first and last day from the log itself.
-- Keep in step with Migrations/Sqlite/0013_report_rollups.sql. Days are the instant of their UTC midnight.

-- Calls per day they started, campaign, agent (0: none yet) and outcome ('in_progress' until it has one).
CREATE TABLE call_days (
    day         timestamptz NOT NULL,
    campaign_id bigint NOT NULL,
    agent_id    bigint NOT NULL,
    outcome     text NOT NULL,
    calls       bigint NOT NULL,
    answered    bigint NOT NULL,
    -- Answered to ended, of the calls that have both.
    talk_ms     numeric NOT NULL,
    PRIMARY KEY (day, campaign_id, agent_id, outcome)
);

CREATE FUNCTION call_days_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_days AS d (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
    SELECT date_trunc('day', c.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', c.campaign_id, COALESCE(c.agent_id, 0),
           COALESCE(c.outcome, 'in_progress'), count(*), count(c.answered_at),
           COALESCE(SUM(EXTRACT(EPOCH FROM (c.ended_at - c.answered_at)) * 1000), 0)
    FROM new_rows c
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, campaign_id, agent_id, outcome)
    DO UPDATE SET calls = d.calls + excluded.calls, answered = d.answered + excluded.answered, talk_ms = d.talk_ms + excluded.talk_ms;
    RETURN NULL;
END $$;

CREATE FUNCTION call_days_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_days AS d (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
    SELECT date_trunc('day', c.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', c.campaign_id, COALESCE(c.agent_id, 0),
           COALESCE(c.outcome, 'in_progress'), SUM(c.sign), SUM(CASE WHEN c.answered_at IS NOT NULL THEN c.sign ELSE 0 END),
           COALESCE(SUM(c.sign * EXTRACT(EPOCH FROM (c.ended_at - c.answered_at)) * 1000), 0)
    FROM (SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o) c
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, campaign_id, agent_id, outcome)
    DO UPDATE SET calls = d.calls + excluded.calls, answered = d.answered + excluded.answered, talk_ms = d.talk_ms + excluded.talk_ms;
    DELETE FROM call_days WHERE calls = 0 AND (day, campaign_id, agent_id, outcome) IN (
        SELECT date_trunc('day', o.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', o.campaign_id, COALESCE(o.agent_id, 0), COALESCE(o.outcome, 'in_progress')
        FROM old_rows o);
    RETURN NULL;
END $$;

CREATE FUNCTION call_days_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_days d
    SET calls = d.calls - o.calls, answered = d.answered - o.answered, talk_ms = d.talk_ms - o.talk_ms
    FROM (SELECT date_trunc('day', c.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day, c.campaign_id, COALESCE(c.agent_id, 0) AS agent_id,
                 COALESCE(c.outcome, 'in_progress') AS outcome, count(*) AS calls, count(c.answered_at) AS answered,
                 COALESCE(SUM(EXTRACT(EPOCH FROM (c.ended_at - c.answered_at)) * 1000), 0) AS talk_ms
          FROM old_rows c GROUP BY 1, 2, 3, 4) o
    WHERE (d.day, d.campaign_id, d.agent_id, d.outcome) = (o.day, o.campaign_id, o.agent_id, o.outcome);
    DELETE FROM call_days WHERE calls = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER call_days_insert AFTER INSERT ON calls REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION call_days_insert();
CREATE TRIGGER call_days_update AFTER UPDATE ON calls REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION call_days_update();
CREATE TRIGGER call_days_delete AFTER DELETE ON calls REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION call_days_delete();

INSERT INTO call_days (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
SELECT date_trunc('day', c.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', c.campaign_id, COALESCE(c.agent_id, 0), COALESCE(c.outcome, 'in_progress'),
       count(*), count(c.answered_at), COALESCE(SUM(EXTRACT(EPOCH FROM (c.ended_at - c.answered_at)) * 1000), 0)
FROM calls c
GROUP BY 1, 2, 3, 4;

-- Time in each state but offline per agent and UTC day, from the states that ended (a state lasts until the agent's
-- next one, so it is known once ended_at is written); a state over midnight is split between its days. The state an
-- agent is in now has no ended_at and is read from the log.
CREATE TABLE agent_state_days (
    day      timestamptz NOT NULL,
    agent_id bigint NOT NULL,
    state    text NOT NULL,
    ms       numeric NOT NULL,
    PRIMARY KEY (day, agent_id, state)
);

-- A state's time on each UTC day it covers (at least the day it began).
CREATE FUNCTION agent_state_day_shares(agent bigint, agent_state text, began timestamptz, ended timestamptz)
RETURNS TABLE (day timestamptz, agent_id bigint, state text, ms numeric) LANGUAGE sql IMMUTABLE AS $$
    SELECT d.day AT TIME ZONE 'UTC', agent, agent_state,
           EXTRACT(EPOCH FROM (LEAST(ended, (d.day + interval '1 day') AT TIME ZONE 'UTC') - GREATEST(began, d.day AT TIME ZONE 'UTC'))) * 1000
    FROM generate_series(date_trunc('day', began AT TIME ZONE 'UTC'),
                         date_trunc('day', GREATEST(began, ended - interval '1 microsecond') AT TIME ZONE 'UTC'),
                         interval '1 day') AS d (day)
$$;

CREATE FUNCTION agent_state_days_merge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Transition tables a trigger does not declare cannot be named, hence one statement per event.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO agent_state_days AS d (day, agent_id, state, ms)
        SELECT s.day, s.agent_id, s.state, SUM(s.ms)
        FROM new_rows l CROSS JOIN LATERAL agent_state_day_shares(l.agent_id, l.state, l.at, l.ended_at) s
        WHERE l.ended_at IS NOT NULL AND l.state <> 'offline'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (day, agent_id, state) DO UPDATE SET ms = d.ms + excluded.ms;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO agent_state_days AS d (day, agent_id, state, ms)
        SELECT s.day, s.agent_id, s.state, SUM(l.sign * s.ms)
        FROM (SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o) l
        CROSS JOIN LATERAL agent_state_day_shares(l.agent_id, l.state, l.at, l.ended_at) s
        WHERE l.ended_at IS NOT NULL AND l.state <> 'offline'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (day, agent_id, state) DO UPDATE SET ms = d.ms + excluded.ms;
    ELSE
        UPDATE agent_state_days d SET ms = d.ms - o.ms
        FROM (SELECT s.day, s.agent_id, s.state, SUM(s.ms) AS ms
              FROM old_rows l CROSS JOIN LATERAL agent_state_day_shares(l.agent_id, l.state, l.at, l.ended_at) s
              WHERE l.ended_at IS NOT NULL AND l.state <> 'offline'
              GROUP BY 1, 2, 3) o
        WHERE (d.day, d.agent_id, d.state) = (o.day, o.agent_id, o.state);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER agent_state_days_insert AFTER INSERT ON agent_state_log REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_days_merge();
CREATE TRIGGER agent_state_days_update AFTER UPDATE ON agent_state_log REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_days_merge();
CREATE TRIGGER agent_state_days_delete AFTER DELETE ON agent_state_log REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_state_days_merge();

INSERT INTO agent_state_days (day, agent_id, state, ms)
SELECT s.day, s.agent_id, s.state, SUM(s.ms)
FROM agent_state_log l CROSS JOIN LATERAL agent_state_day_shares(l.agent_id, l.state, l.at, l.ended_at) s
WHERE l.ended_at IS NOT NULL AND l.state <> 'offline'
GROUP BY 1, 2, 3;

-- The states still going (one per agent): their time is counted from the log up to the report's end.
CREATE INDEX agent_state_log_open ON agent_state_log (at, agent_id, state) WHERE ended_at IS NULL;

-- How far each case got and when it was first contacted, on the case itself, so the funnel, the lead sources and the
-- forecast read one row per case instead of each case's history. Kept by the trigger below from the history, which is
-- only ever appended to. reach: the highest stage a move went to (In acquisition 1, Offered 2, Won 3, else 0), null
-- for a case never moved; resigned_from: the highest stage a resignation left (New 0, In acquisition 1, Offered 2);
-- first_contact_at: its first call attempt or move (where the sales cycle starts).
ALTER TABLE cases ADD COLUMN reach integer, ADD COLUMN resigned_from integer, ADD COLUMN first_contact_at timestamptz;

CREATE FUNCTION cases_follow_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases k
    SET reach = CASE WHEN n.moves > 0 THEN GREATEST(COALESCE(k.reach, 0), n.reach) ELSE k.reach END,
        resigned_from = CASE WHEN n.resigned_from IS NULL THEN k.resigned_from ELSE GREATEST(COALESCE(k.resigned_from, 0), n.resigned_from) END,
        first_contact_at = LEAST(k.first_contact_at, n.first_contact_at)
    FROM (SELECT case_id,
                 count(*) FILTER (WHERE kind = 'status_changed') AS moves,
                 MAX(CASE to_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 WHEN 'won' THEN 3 ELSE 0 END)
                     FILTER (WHERE kind = 'status_changed') AS reach,
                 MAX(CASE from_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 ELSE 0 END)
                     FILTER (WHERE kind = 'status_changed' AND to_status = 'resigned') AS resigned_from,
                 MIN(at) AS first_contact_at
          FROM new_rows WHERE kind IN ('call_attempt', 'status_changed') GROUP BY case_id) n
    WHERE k.id = n.case_id
      -- A call attempt after the first contact changes nothing: the row is left alone.
      AND (n.moves > 0 OR k.first_contact_at IS NULL OR k.first_contact_at > n.first_contact_at);
    RETURN NULL;
END $$;

CREATE TRIGGER cases_follow_history AFTER INSERT ON case_activities REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION cases_follow_history();

UPDATE cases k
SET reach = n.reach, resigned_from = n.resigned_from, first_contact_at = n.first_contact_at
FROM (SELECT case_id,
             MAX(CASE to_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 WHEN 'won' THEN 3 ELSE 0 END)
                 FILTER (WHERE kind = 'status_changed') AS reach,
             MAX(CASE from_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 ELSE 0 END)
                 FILTER (WHERE kind = 'status_changed' AND to_status = 'resigned') AS resigned_from,
             MIN(at) AS first_contact_at
      FROM case_activities WHERE kind IN ('call_attempt', 'status_changed') GROUP BY case_id) n
WHERE k.id = n.case_id;

-- The cohort of a period with how far each case got; the open pipeline with each case's first contact.
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at, campaign_id, lead_source, owner_agent_id, status, reach, resigned_from);
DROP INDEX cases_open;
CREATE INDEX cases_open ON cases (status, campaign_id, expected_close_date, first_contact_at);

-- The first contact is now kept on the case.
DROP INDEX case_activities_contacts;
