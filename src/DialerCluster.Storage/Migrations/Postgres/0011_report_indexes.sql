-- The managers' reports over a million cases (see the report benchmark in loadtests/ and its figures in the README).
-- Keep in step with Migrations/Sqlite/0007_report_indexes.sql.

-- When each state ended (the agent's next state began): time in state is then a plain sum, not a window over the log.
-- Null while the state lasts. Written by the agent store with the next state; filled here for the log so far.
ALTER TABLE agent_state_log ADD COLUMN ended_at timestamptz;
UPDATE agent_state_log l SET ended_at = n.next_at
FROM (SELECT id, LEAD(at) OVER (PARTITION BY agent_id ORDER BY at, id) AS next_at FROM agent_state_log) n
WHERE n.id = l.id AND n.next_at IS NOT NULL;
CREATE INDEX agent_state_log_at ON agent_state_log (at, agent_id, state, ended_at);

-- Stage moves by stage and time (wins, resignations or all moves of a period, who made them) and by case (how far each
-- case got); partial, so the history's calls, holds and notes do not weigh on them.
CREATE INDEX case_activities_moves_to ON case_activities (to_status, at, from_status, actor, case_id) WHERE kind = 'status_changed';
CREATE INDEX case_activities_moves_case ON case_activities (case_id, to_status, from_status, at) WHERE kind = 'status_changed';

-- A case's first contact (its first call attempt or move): the sales cycle starts there.
CREATE INDEX case_activities_contacts ON case_activities (case_id, at) WHERE kind IN ('call_attempt', 'status_changed');

-- Calls of a period with what the reports read of them, without touching the table.
CREATE INDEX calls_started ON calls (started_at, campaign_id, agent_id, outcome, answered_at, ended_at);

-- The cohort of a period: cases created in it, by campaign, lead source and owner.
CREATE INDEX cases_created ON cases (created_at, campaign_id, lead_source, owner_agent_id);

-- The open pipeline by stage (the forecast): without it, every case is read to find the open ones.
CREATE INDEX cases_open ON cases (status, campaign_id, expected_close_date);
