-- Staff who sign in as people, partner merchants as records, the audit log of staff
-- writes, frozen members and cancelled sales.

-- Partner merchants. Existing sales get one record per merchant name they carried.
CREATE TABLE merchants (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    logo            TEXT    NOT NULL DEFAULT '',
    address_zh      TEXT    NOT NULL DEFAULT '',
    address_en      TEXT    NOT NULL DEFAULT '',
    settlement_fen  BIGINT  NOT NULL DEFAULT 0 CHECK (settlement_fen >= 0),
    created_at      BIGINT  NOT NULL
);
INSERT INTO merchants (slug, name_zh, name_en, created_at)
    SELECT 'merchant-' || CAST(MIN(id) AS TEXT), merchant_zh, merchant_en, MIN(created_at)
    FROM sales GROUP BY merchant_zh, merchant_en;
ALTER TABLE sales ADD COLUMN merchant_id BIGINT REFERENCES merchants (id);
UPDATE sales SET merchant_id = (SELECT m.id FROM merchants m WHERE m.name_zh = sales.merchant_zh AND m.name_en = sales.merchant_en);
ALTER TABLE sales ADD COLUMN cancelled_at BIGINT;

-- Staff accounts: an operator, or a merchant's account bound to its merchant.
CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('operator', 'merchant')),
    merchant_id    BIGINT  REFERENCES merchants (id),
    display_name   TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
);

-- Staff sessions (only the token's hash), apart from members' sessions.
CREATE TABLE staff_sessions (
    token_hash  TEXT    PRIMARY KEY,
    staff_id    BIGINT  NOT NULL REFERENCES staff (id),
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Answers of staff money moves, keyed by (staff member, Idempotency-Key); staff_id 0 is
-- the automation token.
CREATE TABLE staff_idempotency (
    staff_id      BIGINT  NOT NULL,
    idem_key      TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status        BIGINT,
    response      TEXT,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (staff_id, idem_key)
);

-- Every staff write: who, when, what, on what, before and after (JSON).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    staff_id     BIGINT  REFERENCES staff (id),
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target_kind  TEXT    NOT NULL,
    target_id    TEXT    NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);

-- A frozen member keeps earning but cannot spend; the reason is shown to it.
ALTER TABLE members ADD COLUMN frozen_reason TEXT;
ALTER TABLE members ADD COLUMN frozen_at BIGINT;
