-- Every row an import refused, as the CSV file the importing user downloads (the import's answer lists only the
-- first ones: issue 15, a 598 KB upload answered with an 894 MB list). Kept until expires_at; each new import
-- deletes the expired ones. Keep in step with Migrations/Sqlite/0006_import_rejections.sql.

CREATE TABLE import_rejections (
    import_id     text PRIMARY KEY CHECK (import_id <> ''),
    user_name     text NOT NULL,
    file_name     text NOT NULL,
    rejected_rows integer NOT NULL CHECK (rejected_rows >= 0),
    csv           text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX import_rejections_expires_at ON import_rejections (expires_at);
