-- Flash sales (秒杀) and redemption codes.

CREATE TABLE sales (
    id                INTEGER PRIMARY KEY,
    offer_key         TEXT    NOT NULL,            -- what is sold; one offer cannot have overlapping slots
    offer_zh          TEXT    NOT NULL,
    offer_en          TEXT    NOT NULL,
    merchant_zh       TEXT    NOT NULL,
    merchant_en       TEXT    NOT NULL,
    image             TEXT    NOT NULL,
    points            BIGINT  NOT NULL CHECK (points > 0),
    quantity          BIGINT  NOT NULL CHECK (quantity > 0),
    remaining         BIGINT  NOT NULL CHECK (remaining >= 0 AND remaining <= quantity),
    per_member_limit  BIGINT  NOT NULL CHECK (per_member_limit > 0),
    starts_at         BIGINT  NOT NULL,
    ends_at           BIGINT  NOT NULL,
    code_valid_days   BIGINT  NOT NULL CHECK (code_valid_days > 0),
    created_at        BIGINT  NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE UNIQUE INDEX sales_offer_start ON sales (offer_key, starts_at);
CREATE INDEX sales_window ON sales (starts_at, ends_at);

-- Codes a member holds per sale: the per-member limit is a conditional upsert on this row.
CREATE TABLE sale_grabs (
    sale_id    BIGINT NOT NULL REFERENCES sales (id),
    member_id  BIGINT NOT NULL REFERENCES members (id),
    grabbed    BIGINT NOT NULL CHECK (grabbed > 0),
    PRIMARY KEY (sale_id, member_id)
);

-- Redemption codes: the primary key is the uniqueness rule (a collision retries).
CREATE TABLE codes (
    code         TEXT    PRIMARY KEY,              -- canonical, 12 characters, no dashes
    member_id    BIGINT  NOT NULL REFERENCES members (id),
    sale_id      BIGINT  NOT NULL REFERENCES sales (id),
    status       TEXT    NOT NULL CHECK (status IN ('issued', 'used', 'void')),
    valid_from   BIGINT  NOT NULL,
    valid_until  BIGINT  NOT NULL,
    history_id   BIGINT  NOT NULL REFERENCES history (id),
    created_at   BIGINT  NOT NULL,
    used_at      BIGINT,
    used_by      TEXT
);
CREATE INDEX codes_member ON codes (member_id, created_at);

CREATE TABLE sale_reminders (
    sale_id    BIGINT NOT NULL REFERENCES sales (id),
    member_id  BIGINT NOT NULL REFERENCES members (id),
    PRIMARY KEY (sale_id, member_id)
);
