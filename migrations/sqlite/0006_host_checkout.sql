-- Host checkout (积分抵扣), refunds and pending purchase points.
-- Deductions at the host's checkout hold points (a history entry takes them from the
-- lots), then are captured (the host keeps them) or released (back into their lots);
-- captured points may be refunded, whole or in part. One deduction per host order.

CREATE TABLE deductions (
    id           INTEGER PRIMARY KEY,
    order_id     TEXT    NOT NULL UNIQUE,
    member_id    BIGINT  NOT NULL REFERENCES members (id),
    order_fen    BIGINT  NOT NULL CHECK (order_fen > 0),
    points       BIGINT  NOT NULL CHECK (points > 0),
    cash_off_fen BIGINT  NOT NULL CHECK (cash_off_fen >= 0),
    status       TEXT    NOT NULL CHECK (status IN ('held', 'captured', 'released')),
    hold_entry   BIGINT  NOT NULL REFERENCES history (id),
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    closed_at    BIGINT,
    refunded     BIGINT  NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= points)
);
CREATE INDEX deductions_open ON deductions (member_id, status, expires_at);

-- The answers of signed hooks by (hook, id): the same id with the same body gets the
-- first answer again; with another body it is refused.
CREATE TABLE hook_idempotency (
    hook          BIGINT  NOT NULL,
    idem_key      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status        BIGINT,
    response      TEXT,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (hook, idem_key)
);

-- Purchases wait for their return window: points, growth and the lot's clock start at
-- settlement (settled_at). Rows of earlier releases were credited when reported.
ALTER TABLE purchases ADD COLUMN growth BIGINT NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN settles_at BIGINT;
ALTER TABLE purchases ADD COLUMN settled_at BIGINT;
ALTER TABLE purchases ADD COLUMN lot_expires_at BIGINT;
ALTER TABLE purchases ADD COLUMN refunded_fen BIGINT NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0);
ALTER TABLE purchases ADD COLUMN taken_back BIGINT NOT NULL DEFAULT 0 CHECK (taken_back >= 0);
UPDATE purchases SET settles_at = created_at, settled_at = created_at;
-- Every balance read sums a member's unsettled purchases; invites look for a member's first.
CREATE INDEX purchases_unsettled ON purchases (member_id, settles_at) WHERE settled_at IS NULL;
CREATE INDEX purchases_member ON purchases (member_id, created_at);

-- Each refund of a purchase, once per refund_id.
CREATE TABLE purchase_refunds (
    refund_id    TEXT    PRIMARY KEY,
    purchase_id  TEXT    NOT NULL REFERENCES purchases (purchase_id),
    amount_fen   BIGINT  NOT NULL CHECK (amount_fen > 0),
    taken        BIGINT  NOT NULL,
    cancelled    BIGINT  NOT NULL,
    shortfall    BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL
);

-- Points refunds could not take back; later earnings settle them first.
ALTER TABLE members ADD COLUMN shortfall BIGINT NOT NULL DEFAULT 0 CHECK (shortfall >= 0);
