-- The abandon rate per campaign over 24 hours and 30 days (Monitoring/CampaignFiguresSampler, every few seconds on every
-- node) reads only these columns: covering them allows index-only scans. It also serves the call log per campaign and
-- day, so it replaces calls_campaign_started.
-- Keep in step with Migrations/Sqlite/0005_calls_abandon_figures.sql.

CREATE INDEX calls_campaign_started_answered ON calls (campaign_id, started_at) INCLUDE (answered_at, abandoned);
DROP INDEX calls_campaign_started;
