-- The PostgreSQL twin of migrations/sqlite/0017_member_profile.sql: the same columns,
-- table and keys.

-- The member's profile (issue 28): a display name, a birthday kept once, the consent to
-- notices outside the app, and the birthday gift, once a year.

ALTER TABLE members ADD COLUMN display_name TEXT;
-- `YYYY-MM-DD`; set once (the gift follows it), with the moment it was recorded.
ALTER TABLE members ADD COLUMN birthday TEXT;
ALTER TABLE members ADD COLUMN birthday_set_at BIGINT;
-- 1: the member agreed to notices outside the app (the outbox's `points_expiring`).
ALTER TABLE members ADD COLUMN notices_consent BIGINT NOT NULL DEFAULT 0 CHECK (notices_consent IN (0, 1));

-- One gift a member a year: the primary key is the "once a year" rule.
CREATE TABLE birthday_gifts (
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    year        BIGINT  NOT NULL,
    points      BIGINT  NOT NULL CHECK (points > 0),
    given_at    BIGINT  NOT NULL,
    PRIMARY KEY (member_id, year)
);
