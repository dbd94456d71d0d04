-- Operators run the catalogue: items can be retired (hidden from members, kept for their
-- orders), and images are uploaded into the database (so every replica serves them);
-- members keep delivery addresses and orders their fulfilment.

ALTER TABLE items ADD COLUMN retired_at BIGINT;

CREATE TABLE images (
    name          TEXT    PRIMARY KEY,     -- <first 32 hex of SHA-256>.<png|jpg|webp>
    content_type  TEXT    NOT NULL,
    bytes         BLOB    NOT NULL,
    created_at    BIGINT  NOT NULL
);

-- Members' delivery addresses (deleted ones kept for the orders that copied them).
CREATE TABLE addresses (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    name        TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    region      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    is_default  BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX addresses_member ON addresses (member_id);

-- What an order of a physical item ships to (a JSON copy), and its fulfilment.
ALTER TABLE orders ADD COLUMN ship_to_json TEXT;
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking_no TEXT;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
