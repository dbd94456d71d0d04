-- Coupons (30-day wallet codes from catalogue vouchers), lottery prizes of items and
-- coupons, and partner merchants' free offers.
-- SQLite cannot drop a NOT NULL or change a CHECK in place: `codes`, `orders` and
-- `lottery_prizes` are rebuilt (same ids), references checked at commit.
PRAGMA defer_foreign_keys = ON;

-- A voucher belongs to the partner merchant that honours its codes.
ALTER TABLE items ADD COLUMN merchant_id BIGINT REFERENCES merchants (id);

-- Prizes: points, an item (a free order) or a coupon (a wallet code of a voucher item).
CREATE TABLE lottery_prizes_next (
    id              INTEGER PRIMARY KEY,
    lottery_id      BIGINT  NOT NULL REFERENCES lotteries (id),
    position        BIGINT  NOT NULL,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('points', 'item', 'coupon')),
    points          BIGINT  CHECK (points > 0),
    item_id         BIGINT  REFERENCES items (id),
    probability_bp  BIGINT  NOT NULL CHECK (probability_bp > 0 AND probability_bp <= 10000),
    stock           BIGINT  NOT NULL CHECK (stock >= 0),
    UNIQUE (lottery_id, position),
    CHECK ((kind = 'points') = (points IS NOT NULL)),
    CHECK ((kind = 'points') = (item_id IS NULL))
);
INSERT INTO lottery_prizes_next (id, lottery_id, position, name_zh, name_en, kind, points, item_id, probability_bp, stock)
    SELECT id, lottery_id, position, name_zh, name_en, kind, points, NULL, probability_bp, stock FROM lottery_prizes;
DROP TABLE lottery_prizes;
ALTER TABLE lottery_prizes_next RENAME TO lottery_prizes;

-- Orders: a lottery's item prize is an order of no points, tied to its draw (once).
CREATE TABLE orders_next (
    id            INTEGER PRIMARY KEY,
    member_id     BIGINT  NOT NULL REFERENCES members (id),
    item_id       BIGINT  NOT NULL REFERENCES items (id),
    quantity      BIGINT  NOT NULL CHECK (quantity > 0),
    points        BIGINT  NOT NULL CHECK (points >= 0),
    cash_fen      BIGINT,
    status        TEXT    NOT NULL,
    code          TEXT    UNIQUE,
    history_id    BIGINT  NOT NULL REFERENCES history (id),
    balance_after BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT,
    ship_to_json  TEXT,
    carrier       TEXT,
    tracking_no   TEXT,
    cancel_reason TEXT,
    draw_id       BIGINT  UNIQUE REFERENCES lottery_draws (id),
    CHECK (points > 0 OR draw_id IS NOT NULL)
);
INSERT INTO orders_next (id, member_id, item_id, quantity, points, cash_fen, status, code, history_id, balance_after,
                         created_at, updated_at, ship_to_json, carrier, tracking_no, cancel_reason)
    SELECT id, member_id, item_id, quantity, points, cash_fen, status, code, history_id, balance_after,
           created_at, updated_at, ship_to_json, carrier, tracking_no, cancel_reason FROM orders;
DROP TABLE orders;
ALTER TABLE orders_next RENAME TO orders;
CREATE INDEX orders_member ON orders (member_id, id);

-- Codes no longer need a sale: a voucher's code names its item (and the order or the
-- draw that issued it). Each code carries the merchant that may verify it.
CREATE TABLE codes_next (
    code         TEXT    PRIMARY KEY,
    member_id    BIGINT  NOT NULL REFERENCES members (id),
    sale_id      BIGINT  REFERENCES sales (id),
    item_id      BIGINT  REFERENCES items (id),
    order_id     BIGINT  REFERENCES orders (id),
    draw_id      BIGINT  REFERENCES lottery_draws (id),
    merchant_id  BIGINT  REFERENCES merchants (id),
    status       TEXT    NOT NULL CHECK (status IN ('issued', 'used', 'void')),
    valid_from   BIGINT  NOT NULL,
    valid_until  BIGINT  NOT NULL,
    history_id   BIGINT  NOT NULL REFERENCES history (id),
    created_at   BIGINT  NOT NULL,
    used_at      BIGINT,
    used_by      TEXT,
    CHECK ((sale_id IS NULL) <> (item_id IS NULL))
);
INSERT INTO codes_next (code, member_id, sale_id, merchant_id, status, valid_from, valid_until, history_id, created_at, used_at, used_by)
    SELECT c.code, c.member_id, c.sale_id, s.merchant_id, c.status, c.valid_from, c.valid_until, c.history_id, c.created_at,
           c.used_at, c.used_by
    FROM codes c JOIN sales s ON s.id = c.sale_id;
DROP TABLE codes;
ALTER TABLE codes_next RENAME TO codes;
CREATE INDEX codes_member ON codes (member_id, created_at);
CREATE INDEX codes_merchant ON codes (merchant_id, created_at);

-- Free offers a partner merchant proposes; an operator approves one into a flash sale.
CREATE TABLE merchant_offers (
    id                INTEGER PRIMARY KEY,
    merchant_id       BIGINT  NOT NULL REFERENCES merchants (id),
    proposed_by       BIGINT  NOT NULL REFERENCES staff (id),
    offer_zh          TEXT    NOT NULL,
    offer_en          TEXT    NOT NULL,
    quantity          BIGINT  NOT NULL CHECK (quantity > 0),
    starts_at         BIGINT  NOT NULL,
    ends_at           BIGINT  NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('proposed', 'approved', 'declined')),
    sale_id           BIGINT  UNIQUE REFERENCES sales (id),
    created_at        BIGINT  NOT NULL,
    decided_at        BIGINT,
    CHECK (ends_at > starts_at),
    CHECK ((status = 'approved') = (sale_id IS NOT NULL))
);
CREATE INDEX merchant_offers_merchant ON merchant_offers (merchant_id, id);

-- The week's leaderboard reads orders by time.
CREATE INDEX orders_created ON orders (created_at);
