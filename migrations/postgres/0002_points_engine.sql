-- PostgreSQL twin of migrations/sqlite/0002_points_engine.sql: the same statements, in the
-- same order. Nothing differs: this file has no id columns, every integer is already
-- BIGINT, and PostgreSQL's ALTER TABLE ... ADD COLUMN appends the column at the end just
-- like SQLite's. (A UNIQUE index allows many NULLs on both engines: members.invite_code.)
--
-- The points engine: check-ins, earning counters (caps), tasks, invites, purchases,
-- operator-visible order history, and the local month of every history entry.

-- One row per member per local day: the primary key is the "once a day" rule.
CREATE TABLE checkins (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    day         BIGINT  NOT NULL,            -- local day number (days since 1970-01-01 in the mall's zone)
    kind        TEXT    NOT NULL CHECK (kind IN ('normal', 'makeup')),
    streak      BIGINT  NOT NULL,
    points      BIGINT  NOT NULL,
    early_bird  BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (member_id, day)
);

-- Counters behind every cap, keyed by scope (e.g. 'task:share:day:20415', 'checkins:day:20415').
-- Incremented with a conditional upsert, so a cap can never be passed by a race.
CREATE TABLE counters (
    scope       TEXT    NOT NULL,
    member_id   BIGINT  NOT NULL,            -- 0 for mall-wide counters
    value       BIGINT  NOT NULL,
    PRIMARY KEY (scope, member_id)
);

-- Invitations: an invitee accepts one inviter, once.
ALTER TABLE members ADD COLUMN invite_code TEXT;
CREATE UNIQUE INDEX members_invite_code ON members (invite_code);
CREATE TABLE invites (
    invitee_id   BIGINT  PRIMARY KEY REFERENCES members (id),
    inviter_id   BIGINT  NOT NULL REFERENCES members (id),
    accepted_at  BIGINT  NOT NULL,
    credited_at  BIGINT
);

-- Purchases reported by the host shop: the id refuses a replay.
CREATE TABLE purchases (
    purchase_id  TEXT    PRIMARY KEY,
    member_id    BIGINT  NOT NULL REFERENCES members (id),
    paid_fen     BIGINT  NOT NULL,
    points       BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL
);

-- The local month (YYYY-MM) of each entry, for month headings and totals.
ALTER TABLE history ADD COLUMN month TEXT NOT NULL DEFAULT '';
CREATE INDEX history_member_month ON history (member_id, month);

-- Order status changes.
ALTER TABLE orders ADD COLUMN updated_at BIGINT;
