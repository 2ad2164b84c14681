-- What managers run the funnel with (issue 16): a campaign's own caller id, default priority, costs, budget and
-- deal value; call ratings and the recording link; stage moves readable as columns for the reports.
-- Money is kept in micro-units (millionths of the currency unit) as integers, so sums are exact in both engines.
-- Keep in step with Migrations/Postgres/0005_manager_settings.sql.

-- Null: the node's Dialer:CallerId.
ALTER TABLE campaigns ADD COLUMN caller_id TEXT CHECK (
    caller_id GLOB '+[1-9]*' AND length(caller_id) BETWEEN 3 AND 16 AND substr(caller_id, 2) NOT GLOB '*[^0-9]*');
-- 0 = low, 1 = normal, 2 = high: the priority of cases created without one.
ALTER TABLE campaigns ADD COLUMN default_priority INTEGER NOT NULL DEFAULT 0 CHECK (default_priority BETWEEN 0 AND 2);
ALTER TABLE campaigns ADD COLUMN agent_hour_cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (agent_hour_cost_micros >= 0);
ALTER TABLE campaigns ADD COLUMN call_minute_cost_micros INTEGER NOT NULL DEFAULT 0 CHECK (call_minute_cost_micros >= 0);
-- Null: no budget.
ALTER TABLE campaigns ADD COLUMN budget_micros INTEGER CHECK (budget_micros >= 0);
ALTER TABLE campaigns ADD COLUMN budget_period TEXT NOT NULL DEFAULT 'month' CHECK (budget_period IN ('week', 'month'));
ALTER TABLE campaigns ADD COLUMN deal_value_micros INTEGER NOT NULL DEFAULT 0 CHECK (deal_value_micros >= 0);

-- Filled once the audio work records calls; a link the call log shows.
ALTER TABLE calls ADD COLUMN recording_url TEXT;

-- A supervisor's rating of one call; rating again replaces it (the audit log keeps every change).
CREATE TABLE call_ratings (
    call_id  INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    score    INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment  TEXT,
    rated_by TEXT NOT NULL,
    rated_at INTEGER NOT NULL
) STRICT;

-- A stage move keeps its from/to statuses in the details JSON; as (virtual) columns the reports can index them.
ALTER TABLE case_activities ADD COLUMN from_status TEXT GENERATED ALWAYS AS (json_extract(details, '$.from')) VIRTUAL;
ALTER TABLE case_activities ADD COLUMN to_status TEXT GENERATED ALWAYS AS (json_extract(details, '$.to')) VIRTUAL;
