-- The fence of campaign activations (CampaignEpoch): each activation claims a higher epoch before it reads its
-- queue, and every hold and release carries the epoch it claimed, so a stale activation's writes are refused.
-- Keep in step with Migrations/Postgres/0004_campaign_epoch.sql.

ALTER TABLE campaigns ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0 CHECK (epoch >= 0);
