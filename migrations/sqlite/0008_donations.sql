-- Donation (积分捐赠): causes and the points members gave them.
-- A cause's raised points move in the transaction of each donation, so raised is always
-- the sum of its donations.
CREATE TABLE causes (
    id              INTEGER PRIMARY KEY,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    description_zh  TEXT    NOT NULL,
    description_en  TEXT    NOT NULL,
    image           TEXT    NOT NULL,
    target          BIGINT  NOT NULL CHECK (target > 0),
    raised          BIGINT  NOT NULL DEFAULT 0 CHECK (raised >= 0),
    created_at      BIGINT  NOT NULL,
    closed_at       BIGINT
);

CREATE TABLE donations (
    id          INTEGER PRIMARY KEY,
    cause_id    BIGINT  NOT NULL REFERENCES causes (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    points      BIGINT  NOT NULL CHECK (points > 0),
    history_id  BIGINT  NOT NULL REFERENCES history (id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX donations_cause_member ON donations (cause_id, member_id);
