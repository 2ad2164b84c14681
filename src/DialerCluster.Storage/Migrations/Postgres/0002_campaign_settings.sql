-- Campaign settings as the product defines them (CampaignSettings): a retry delay per call outcome, and
-- every duration in milliseconds so a value reads back exactly as it was set. Replaces the whole-second
-- columns and the one retry-delay list of 0001. Keep in step with Migrations/Sqlite/0002_campaign_settings.sql.

ALTER TABLE campaigns
    ADD COLUMN hold_timeout_ms     bigint NOT NULL DEFAULT 900000 CHECK (hold_timeout_ms > 0),
    ADD COLUMN owner_fallback_ms   bigint NOT NULL DEFAULT 7200000 CHECK (owner_fallback_ms >= 0),
    ADD COLUMN retry_no_answer_ms  bigint NOT NULL DEFAULT 7200000 CHECK (retry_no_answer_ms > 0),
    ADD COLUMN retry_busy_ms       bigint NOT NULL DEFAULT 900000 CHECK (retry_busy_ms > 0),
    ADD COLUMN retry_voicemail_ms  bigint NOT NULL DEFAULT 14400000 CHECK (retry_voicemail_ms > 0),
    ADD COLUMN retry_failed_ms     bigint NOT NULL DEFAULT 3600000 CHECK (retry_failed_ms > 0),
    ADD COLUMN lines_per_agent     integer NOT NULL DEFAULT 2 CHECK (lines_per_agent > 0),
    ADD COLUMN target_abandon_rate double precision NOT NULL DEFAULT 0.03 CHECK (target_abandon_rate > 0 AND target_abandon_rate <= 1);

UPDATE campaigns SET hold_timeout_ms = hold_timeout_seconds * 1000::bigint, owner_fallback_ms = owner_fallback_seconds * 1000::bigint;

ALTER TABLE campaigns
    DROP COLUMN hold_timeout_seconds,
    DROP COLUMN owner_fallback_seconds,
    DROP COLUMN retry_delays_seconds;
