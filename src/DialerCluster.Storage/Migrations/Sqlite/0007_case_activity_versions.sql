-- The case version each saved change (PATCH) produced, on its history lines: a save sent with an older version is
-- told what changed since and who changed it (lost updates, issue 15). Null for holds, releases and calls, which
-- touch none of the fields a save writes. Keep in step with Migrations/Postgres/0007_case_activity_versions.sql.

ALTER TABLE case_activities ADD COLUMN case_version INTEGER;
