-- Operators run the catalogue: items can be retired (hidden from members, kept for their
-- orders), and images are uploaded into the database (so every replica serves them).

ALTER TABLE items ADD COLUMN retired_at BIGINT;

CREATE TABLE images (
    name          TEXT    PRIMARY KEY,     -- <first 32 hex of SHA-256>.<png|jpg|webp>
    content_type  TEXT    NOT NULL,
    bytes         BLOB    NOT NULL,
    created_at    BIGINT  NOT NULL
);
