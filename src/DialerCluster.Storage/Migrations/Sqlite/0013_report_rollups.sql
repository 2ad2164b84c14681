-- Rollups for the reports over long periods: a year of calls and agent states is millions of rows, too many to add up
-- per request. The triggers keep them current in the writing transaction; a report adds whole UTC days from here and
-- reads only its partial first and last day from the log itself. Keep in step with Migrations/Postgres/0013_report_rollups.sql.
-- Days are the instant of their UTC midnight (milliseconds, like every instant here).

-- Calls per day they started, campaign, agent (0: none yet) and outcome ('in_progress' until it has one).
CREATE TABLE call_days (
    day         INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    agent_id    INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    calls       INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    -- Answered to ended, of the calls that have both.
    talk_ms     INTEGER NOT NULL,
    PRIMARY KEY (day, campaign_id, agent_id, outcome)
) STRICT, WITHOUT ROWID;

INSERT INTO call_days (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
SELECT started_at / 86400000 * 86400000, campaign_id, COALESCE(agent_id, 0), COALESCE(outcome, 'in_progress'), count(*),
       SUM(answered_at IS NOT NULL), SUM(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN ended_at - answered_at ELSE 0 END)
FROM calls
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER call_days_insert AFTER INSERT ON calls BEGIN
    INSERT INTO call_days (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
    VALUES (NEW.started_at / 86400000 * 86400000, NEW.campaign_id, COALESCE(NEW.agent_id, 0), COALESCE(NEW.outcome, 'in_progress'), 1,
            NEW.answered_at IS NOT NULL, CASE WHEN NEW.answered_at IS NOT NULL AND NEW.ended_at IS NOT NULL THEN NEW.ended_at - NEW.answered_at ELSE 0 END)
    ON CONFLICT (day, campaign_id, agent_id, outcome)
    DO UPDATE SET calls = calls + excluded.calls, answered = answered + excluded.answered, talk_ms = talk_ms + excluded.talk_ms;
END;

CREATE TRIGGER call_days_delete AFTER DELETE ON calls BEGIN
    UPDATE call_days
    SET calls = calls - 1, answered = answered - (OLD.answered_at IS NOT NULL),
        talk_ms = talk_ms - CASE WHEN OLD.answered_at IS NOT NULL AND OLD.ended_at IS NOT NULL THEN OLD.ended_at - OLD.answered_at ELSE 0 END
    WHERE day = OLD.started_at / 86400000 * 86400000 AND campaign_id = OLD.campaign_id
      AND agent_id = COALESCE(OLD.agent_id, 0) AND outcome = COALESCE(OLD.outcome, 'in_progress');
    DELETE FROM call_days
    WHERE day = OLD.started_at / 86400000 * 86400000 AND campaign_id = OLD.campaign_id
      AND agent_id = COALESCE(OLD.agent_id, 0) AND outcome = COALESCE(OLD.outcome, 'in_progress') AND calls = 0;
END;

-- An update moves the call from its old figures to its new ones (an answer, an end, an outcome, an agent).
CREATE TRIGGER call_days_update AFTER UPDATE OF started_at, campaign_id, agent_id, answered_at, ended_at, outcome ON calls BEGIN
    UPDATE call_days
    SET calls = calls - 1, answered = answered - (OLD.answered_at IS NOT NULL),
        talk_ms = talk_ms - CASE WHEN OLD.answered_at IS NOT NULL AND OLD.ended_at IS NOT NULL THEN OLD.ended_at - OLD.answered_at ELSE 0 END
    WHERE day = OLD.started_at / 86400000 * 86400000 AND campaign_id = OLD.campaign_id
      AND agent_id = COALESCE(OLD.agent_id, 0) AND outcome = COALESCE(OLD.outcome, 'in_progress');
    DELETE FROM call_days
    WHERE day = OLD.started_at / 86400000 * 86400000 AND campaign_id = OLD.campaign_id
      AND agent_id = COALESCE(OLD.agent_id, 0) AND outcome = COALESCE(OLD.outcome, 'in_progress') AND calls = 0;
    INSERT INTO call_days (day, campaign_id, agent_id, outcome, calls, answered, talk_ms)
    VALUES (NEW.started_at / 86400000 * 86400000, NEW.campaign_id, COALESCE(NEW.agent_id, 0), COALESCE(NEW.outcome, 'in_progress'), 1,
            NEW.answered_at IS NOT NULL, CASE WHEN NEW.answered_at IS NOT NULL AND NEW.ended_at IS NOT NULL THEN NEW.ended_at - NEW.answered_at ELSE 0 END)
    ON CONFLICT (day, campaign_id, agent_id, outcome)
    DO UPDATE SET calls = calls + excluded.calls, answered = answered + excluded.answered, talk_ms = talk_ms + excluded.talk_ms;
END;

-- Time in each state but offline per agent and UTC day, from the states that ended (a state lasts until the agent's
-- next one, so it is known once ended_at is written); a state over midnight is split between its days. The state an
-- agent is in now has no ended_at and is read from the log.
CREATE TABLE agent_state_days (
    day      INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    state    TEXT NOT NULL,
    ms       INTEGER NOT NULL,
    PRIMARY KEY (day, agent_id, state)
) STRICT, WITHOUT ROWID;

WITH RECURSIVE spans (agent_id, state, at, ended_at, day) AS (
    SELECT agent_id, state, at, ended_at, at / 86400000 * 86400000 FROM agent_state_log WHERE ended_at IS NOT NULL AND state <> 'offline'
    UNION ALL
    SELECT agent_id, state, at, ended_at, day + 86400000 FROM spans WHERE day + 86400000 < ended_at)
INSERT INTO agent_state_days (day, agent_id, state, ms)
SELECT day, agent_id, state, SUM(min(ended_at, day + 86400000) - max(at, day)) FROM spans GROUP BY day, agent_id, state;

CREATE TRIGGER agent_state_days_insert AFTER INSERT ON agent_state_log
WHEN NEW.ended_at IS NOT NULL AND NEW.state <> 'offline' BEGIN
    INSERT INTO agent_state_days (day, agent_id, state, ms)
    SELECT d.day, NEW.agent_id, NEW.state, min(NEW.ended_at, d.day + 86400000) - max(NEW.at, d.day)
    FROM (WITH RECURSIVE days (day) AS (
              SELECT NEW.at / 86400000 * 86400000 UNION ALL SELECT day + 86400000 FROM days WHERE day + 86400000 < NEW.ended_at)
          SELECT day FROM days) d
    WHERE true
    ON CONFLICT (day, agent_id, state) DO UPDATE SET ms = ms + excluded.ms;
END;

CREATE TRIGGER agent_state_days_end AFTER UPDATE OF agent_id, state, at, ended_at ON agent_state_log BEGIN
    UPDATE agent_state_days
    SET ms = ms - (SELECT min(OLD.ended_at, agent_state_days.day + 86400000) - max(OLD.at, agent_state_days.day))
    WHERE OLD.ended_at IS NOT NULL AND OLD.state <> 'offline' AND agent_id = OLD.agent_id AND state = OLD.state
      AND day >= OLD.at / 86400000 * 86400000 AND (day = OLD.at / 86400000 * 86400000 OR day < OLD.ended_at);
    INSERT INTO agent_state_days (day, agent_id, state, ms)
    SELECT d.day, NEW.agent_id, NEW.state, min(NEW.ended_at, d.day + 86400000) - max(NEW.at, d.day)
    FROM (WITH RECURSIVE days (day) AS (
              SELECT NEW.at / 86400000 * 86400000 UNION ALL SELECT day + 86400000 FROM days WHERE day + 86400000 < NEW.ended_at)
          SELECT day FROM days) d
    WHERE NEW.ended_at IS NOT NULL AND NEW.state <> 'offline'
    ON CONFLICT (day, agent_id, state) DO UPDATE SET ms = ms + excluded.ms;
END;

CREATE TRIGGER agent_state_days_delete AFTER DELETE ON agent_state_log
WHEN OLD.ended_at IS NOT NULL AND OLD.state <> 'offline' BEGIN
    UPDATE agent_state_days
    SET ms = ms - (SELECT min(OLD.ended_at, agent_state_days.day + 86400000) - max(OLD.at, agent_state_days.day))
    WHERE agent_id = OLD.agent_id AND state = OLD.state
      AND day >= OLD.at / 86400000 * 86400000 AND (day = OLD.at / 86400000 * 86400000 OR day < OLD.ended_at);
END;

-- The states still going (one per agent): their time is counted from the log up to the report's end.
CREATE INDEX agent_state_log_open ON agent_state_log (at, agent_id, state) WHERE ended_at IS NULL;

-- How far each case got and when it was first contacted, on the case itself, so the funnel, the lead sources and the
-- forecast read one row per case instead of each case's history. Kept by the triggers below from the history, which is
-- only ever appended to. reach: the highest stage a move went to (In acquisition 1, Offered 2, Won 3, else 0), null
-- for a case never moved; resigned_from: the highest stage a resignation left (New 0, In acquisition 1, Offered 2);
-- first_contact_at: its first call attempt or move (where the sales cycle starts).
ALTER TABLE cases ADD COLUMN reach INTEGER;
ALTER TABLE cases ADD COLUMN resigned_from INTEGER;
ALTER TABLE cases ADD COLUMN first_contact_at INTEGER;

UPDATE cases SET reach = m.reach, resigned_from = m.resigned_from
FROM (SELECT case_id,
             MAX(CASE to_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 WHEN 'won' THEN 3 ELSE 0 END) AS reach,
             MAX(CASE WHEN to_status = 'resigned' THEN CASE from_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 ELSE 0 END END) AS resigned_from
      FROM case_activities WHERE kind = 'status_changed' GROUP BY case_id) m
WHERE m.case_id = cases.id;

UPDATE cases SET first_contact_at = f.at
FROM (SELECT case_id, MIN(at) AS at FROM case_activities WHERE kind IN ('call_attempt', 'status_changed') GROUP BY case_id) f
WHERE f.case_id = cases.id;

CREATE TRIGGER cases_reach AFTER INSERT ON case_activities WHEN NEW.kind = 'status_changed' BEGIN
    UPDATE cases
    SET reach = max(COALESCE(reach, 0), CASE NEW.to_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 WHEN 'won' THEN 3 ELSE 0 END),
        resigned_from = CASE WHEN NEW.to_status = 'resigned'
                             THEN max(COALESCE(resigned_from, 0), CASE NEW.from_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 ELSE 0 END)
                             ELSE resigned_from END
    WHERE id = NEW.case_id;
END;

CREATE TRIGGER cases_first_contact AFTER INSERT ON case_activities WHEN NEW.kind IN ('call_attempt', 'status_changed') BEGIN
    UPDATE cases SET first_contact_at = NEW.at WHERE id = NEW.case_id AND (first_contact_at IS NULL OR first_contact_at > NEW.at);
END;

-- The cohort of a period with how far each case got; the open pipeline with each case's first contact.
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at, campaign_id, lead_source, owner_agent_id, status, reach, resigned_from);
DROP INDEX cases_open;
CREATE INDEX cases_open ON cases (status, campaign_id, expected_close_date, first_contact_at);

-- The first contact is now kept on the case.
DROP INDEX case_activities_contacts;
