-- Every row an import refused, as the CSV file the importing user downloads (the import's answer lists only the
-- first ones: issue 15, a 598 KB upload answered with an 894 MB list). Kept until expires_at; each new import
-- deletes the expired ones. Keep in step with Migrations/Postgres/0006_import_rejections.sql.

CREATE TABLE import_rejections (
    import_id     TEXT PRIMARY KEY CHECK (import_id <> ''),
    user_name     TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    rejected_rows INTEGER NOT NULL CHECK (rejected_rows >= 0),
    csv           TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX import_rejections_expires_at ON import_rejections (expires_at);
