-- The PostgreSQL twin of migrations/sqlite/0005_catalogue.sql (BYTEA for the bytes).
-- Operators run the catalogue: items can be retired (hidden from members, kept for their
-- orders), and images are uploaded into the database (so every replica serves them).

ALTER TABLE items ADD COLUMN retired_at BIGINT;

CREATE TABLE images (
    name          TEXT    PRIMARY KEY,     -- <first 32 hex of SHA-256>.<png|jpg|webp>
    content_type  TEXT    NOT NULL,
    bytes         BYTEA   NOT NULL,
    created_at    BIGINT  NOT NULL
);
