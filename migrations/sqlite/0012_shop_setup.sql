-- A shop that starts from an empty database: operators create categories (with an id, and
-- hidden from members when they choose) and partner merchants (deactivated rather than
-- deleted; their own free offers settled at a value of their own); every code keeps the
-- settlement value in force when it was issued, and a voided code its reason and what it
-- gave back. Additive: existing rows keep their meaning.
-- SQLite cannot add a primary key in place: `categories` is rebuilt under its own name
-- (same rows, ids by position; `slug` stays unique, so `items.category` still refers to
-- it). Its rows are copied aside first and inserted after the drop: the drop's deferred
-- foreign-key violations are undone row by row as the parents come back.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE categories_copy AS
    SELECT slug, name_zh, name_en, position, ROW_NUMBER() OVER (ORDER BY position, slug) AS id FROM categories;
DROP TABLE categories;
CREATE TABLE categories (
    slug        TEXT    NOT NULL UNIQUE,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    position    BIGINT  NOT NULL,
    id          INTEGER PRIMARY KEY,
    hidden_at   BIGINT
);
INSERT INTO categories (slug, name_zh, name_en, position, id) SELECT slug, name_zh, name_en, position, id FROM categories_copy;
DROP TABLE categories_copy;

-- What the mall pays per verified code of the merchant's own free offers (0 unless set),
-- and when an operator deactivated the merchant (NULL: active).
ALTER TABLE merchants ADD COLUMN offer_settlement_fen BIGINT NOT NULL DEFAULT 0 CHECK (offer_settlement_fen >= 0);
ALTER TABLE merchants ADD COLUMN deactivated_at BIGINT;

-- Each code's settlement value, fixed when it is issued. Codes issued before take their
-- merchant's value of today, which is what every statement so far counted them at.
ALTER TABLE codes ADD COLUMN settle_fen BIGINT NOT NULL DEFAULT 0 CHECK (settle_fen >= 0);
UPDATE codes SET settle_fen = (SELECT m.settlement_fen FROM merchants m WHERE m.id = codes.merchant_id)
    WHERE merchant_id IS NOT NULL;

-- A voided code: why, when, and the points its void gave back (an order's codes share
-- one debit: each gives back its own part).
ALTER TABLE codes ADD COLUMN void_reason TEXT;
ALTER TABLE codes ADD COLUMN voided_at BIGINT;
ALTER TABLE codes ADD COLUMN refunded_points BIGINT NOT NULL DEFAULT 0 CHECK (refunded_points >= 0);
CREATE INDEX codes_history ON codes (history_id);
