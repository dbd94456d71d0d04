-- The mall's schema. Written in SQL that SQLite and PostgreSQL both accept,
-- except the id columns (INTEGER PRIMARY KEY is SQLite's rowid alias; the
-- PostgreSQL migration set uses GENERATED ... AS IDENTITY for the same columns).
-- Times are Unix seconds (BIGINT); cash is whole fen (BIGINT); points are BIGINT.

CREATE TABLE members (
    id          INTEGER PRIMARY KEY,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    growth      BIGINT  NOT NULL DEFAULT 0 CHECK (growth >= 0),
    balance     BIGINT  NOT NULL DEFAULT 0 CHECK (balance >= 0),
    created_at  BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

-- Host tickets already exchanged: the primary key refuses a replay.
CREATE TABLE used_tickets (
    signature   TEXT    PRIMARY KEY,
    expires_at  BIGINT  NOT NULL
);

-- Every credit is a lot that expires; spends take from the soonest-expiring first.
CREATE TABLE point_lots (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    amount      BIGINT  NOT NULL CHECK (amount > 0),
    remaining   BIGINT  NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
    earned_at   BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX point_lots_open ON point_lots (member_id, expires_at, id);

-- The point history: one row per change; the sum of amounts is the balance.
CREATE TABLE history (
    id             INTEGER PRIMARY KEY,
    member_id      BIGINT  NOT NULL REFERENCES members (id),
    kind           TEXT    NOT NULL,
    amount         BIGINT  NOT NULL,
    balance_after  BIGINT  NOT NULL CHECK (balance_after >= 0),
    ref_kind       TEXT,
    ref_id         TEXT,
    label_zh       TEXT,
    label_en       TEXT,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX history_member ON history (member_id, id);

-- Which lots a debit took from, so a refund can put the points back.
CREATE TABLE lot_debits (
    history_id  BIGINT  NOT NULL REFERENCES history (id),
    lot_id      BIGINT  NOT NULL REFERENCES point_lots (id),
    amount      BIGINT  NOT NULL CHECK (amount > 0),
    PRIMARY KEY (history_id, lot_id)
);

CREATE TABLE categories (
    slug        TEXT    PRIMARY KEY,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL,
    position    BIGINT  NOT NULL
);

CREATE TABLE items (
    id                INTEGER PRIMARY KEY,
    category          TEXT    NOT NULL REFERENCES categories (slug),
    kind              TEXT    NOT NULL CHECK (kind IN ('virtual', 'physical')),
    name_zh           TEXT    NOT NULL,
    name_en           TEXT    NOT NULL,
    desc_zh           TEXT    NOT NULL,
    desc_en           TEXT    NOT NULL,
    specs_json        TEXT    NOT NULL,
    image             TEXT    NOT NULL,
    points            BIGINT  NOT NULL CHECK (points > 0),
    cash_fen          BIGINT  CHECK (cash_fen IS NULL OR cash_fen > 0),
    stock             BIGINT  NOT NULL CHECK (stock >= 0),
    per_member_limit  BIGINT  NOT NULL CHECK (per_member_limit > 0),
    min_tier          TEXT,
    redeemed          BIGINT  NOT NULL DEFAULT 0,
    created_at        BIGINT  NOT NULL
);
CREATE INDEX items_category ON items (category);

-- Units of an item each member holds: the per-member limit is a CHECK on this row,
-- updated in the same transaction as the order.
CREATE TABLE member_item_counts (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    item_id     BIGINT  NOT NULL REFERENCES items (id),
    quantity    BIGINT  NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (member_id, item_id)
);

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    member_id     BIGINT  NOT NULL REFERENCES members (id),
    item_id       BIGINT  NOT NULL REFERENCES items (id),
    quantity      BIGINT  NOT NULL CHECK (quantity > 0),
    points        BIGINT  NOT NULL CHECK (points > 0),
    cash_fen      BIGINT,
    status        TEXT    NOT NULL,
    code          TEXT    UNIQUE,
    history_id    BIGINT  NOT NULL REFERENCES history (id),
    balance_after BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX orders_member ON orders (member_id, id);

-- Answers to money-moving requests, keyed by (member, Idempotency-Key), written in
-- the same transaction as the change they describe.
CREATE TABLE idempotency (
    member_id     BIGINT  NOT NULL REFERENCES members (id),
    idem_key      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status        BIGINT,
    response      TEXT,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (member_id, idem_key)
);
