-- What managers run the funnel with (issue 16): a campaign's own caller id, default priority, costs, budget and
-- deal value; call ratings and the recording link; stage moves readable as columns for the reports.
-- Money is kept in micro-units (millionths of the currency unit) as integers, so sums are exact in both engines.
-- Keep in step with Migrations/Sqlite/0005_manager_settings.sql.

ALTER TABLE campaigns
    -- Null: the node's Dialer:CallerId.
    ADD COLUMN caller_id               text CHECK (caller_id ~ '^\+[1-9][0-9]{1,14}$'),
    -- 0 = low, 1 = normal, 2 = high: the priority of cases created without one.
    ADD COLUMN default_priority        smallint NOT NULL DEFAULT 0 CHECK (default_priority BETWEEN 0 AND 2),
    ADD COLUMN agent_hour_cost_micros  bigint NOT NULL DEFAULT 0 CHECK (agent_hour_cost_micros >= 0),
    ADD COLUMN call_minute_cost_micros bigint NOT NULL DEFAULT 0 CHECK (call_minute_cost_micros >= 0),
    -- Null: no budget.
    ADD COLUMN budget_micros           bigint CHECK (budget_micros >= 0),
    ADD COLUMN budget_period           text NOT NULL DEFAULT 'month' CHECK (budget_period IN ('week', 'month')),
    ADD COLUMN deal_value_micros       bigint NOT NULL DEFAULT 0 CHECK (deal_value_micros >= 0);

-- Filled once the audio work records calls; a link the call log shows.
ALTER TABLE calls ADD COLUMN recording_url text;

-- A supervisor's rating of one call; rating again replaces it (the audit log keeps every change).
CREATE TABLE call_ratings (
    call_id  bigint PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    score    smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment  text,
    rated_by text NOT NULL,
    rated_at timestamptz NOT NULL
);

-- A stage move keeps its from/to statuses in the details JSON; as (stored) columns the reports can index them.
ALTER TABLE case_activities
    ADD COLUMN from_status text GENERATED ALWAYS AS (details ->> 'from') STORED,
    ADD COLUMN to_status   text GENERATED ALWAYS AS (details ->> 'to') STORED;
