-- Go-live safety, part 2 (issue 24): what the sweep's pruning needs, and the staff
-- sign-in throttle. (0013 is another release's; the numbers need not be contiguous.)

-- A counter of a period (a day's tasks, a month's make-ups, a sign-in window) may be
-- deleted after `expires_at`; NULL keeps it for ever (lifetime caps).
ALTER TABLE counters ADD COLUMN expires_at BIGINT;
-- Counters written before this release name their period at the end of their scope:
-- a local day number (`early-bird:20528`, `tasks:day:20528`, `task:share:day:20528`,
-- `lottery:3:day:20528`) or a month (`makeup:2026-03`, `makeup-free:2026-03`,
-- `invites:2026-03`). They may go three days after the day (two after the month): more
-- than any zone's offset. `task:…:claims` and `task:…:points` are lifetime caps.
UPDATE counters SET expires_at = (CAST(substr(scope, length(rtrim(scope, '0123456789')) + 1) AS INTEGER) + 3) * 86400
    WHERE (scope GLOB 'early-bird:[0-9]*' OR scope GLOB '*:day:[0-9]*')
      AND rtrim(scope, '0123456789') <> scope;
UPDATE counters SET expires_at = CAST(strftime('%s', substr(scope, -7) || '-01', '+1 month') AS INTEGER) + 2 * 86400
    WHERE (scope GLOB 'makeup:[0-9][0-9][0-9][0-9]-[0-9][0-9]'
        OR scope GLOB 'makeup-free:[0-9][0-9][0-9][0-9]-[0-9][0-9]'
        OR scope GLOB 'invites:[0-9][0-9][0-9][0-9]-[0-9][0-9]');
-- The previous sign-in limit's counters (per username and per address and window): the
-- throttle below replaces the per-username count; the per-address windows start afresh.
DELETE FROM counters WHERE scope LIKE 'staff-login:%';
CREATE INDEX counters_expiry ON counters (expires_at) WHERE expires_at IS NOT NULL;

-- The staff sign-in throttle: per username and client address (an IPv4 address or an
-- IPv6 /64), when the next attempt may come (`next_at`) and how many failed in the
-- window; the row with address '*' counts the username's failures from every address.
CREATE TABLE staff_login_failures (
    username    TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    failures    BIGINT  NOT NULL CHECK (failures >= 0),
    next_at     BIGINT  NOT NULL,
    last_at     BIGINT  NOT NULL,
    PRIMARY KEY (username, address)
);
CREATE INDEX staff_login_failures_last ON staff_login_failures (last_at);

-- What the pruning deletes by, oldest first.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);
CREATE INDEX used_tickets_expiry ON used_tickets (expires_at);
CREATE INDEX idempotency_created ON idempotency (created_at);
CREATE INDEX staff_idempotency_created ON staff_idempotency (created_at);
CREATE INDEX hook_idempotency_created ON hook_idempotency (created_at);
