-- Lottery (积分抽奖): lotteries, their prizes with odds and stock, and every draw.
-- A prize's stock only goes down by a conditional update (never below zero: the CHECK);
-- a member's draws of a local day are a capped counter (`counters`).
CREATE TABLE lotteries (
    id             INTEGER PRIMARY KEY,
    name_zh        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    cost_points    BIGINT  NOT NULL CHECK (cost_points > 0),
    draws_per_day  BIGINT  NOT NULL CHECK (draws_per_day > 0),
    created_at     BIGINT  NOT NULL,
    closed_at      BIGINT
);

CREATE TABLE lottery_prizes (
    id              INTEGER PRIMARY KEY,
    lottery_id      BIGINT  NOT NULL REFERENCES lotteries (id),
    position        BIGINT  NOT NULL,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('points')),
    points          BIGINT  NOT NULL CHECK (points > 0),
    probability_bp  BIGINT  NOT NULL CHECK (probability_bp > 0 AND probability_bp <= 10000),
    stock           BIGINT  NOT NULL CHECK (stock >= 0),
    UNIQUE (lottery_id, position)
);

CREATE TABLE lottery_draws (
    id          INTEGER PRIMARY KEY,
    lottery_id  BIGINT  NOT NULL REFERENCES lotteries (id),
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    prize_id    BIGINT  REFERENCES lottery_prizes (id),
    history_id  BIGINT  NOT NULL REFERENCES history (id),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX lottery_draws_member ON lottery_draws (member_id, id);
