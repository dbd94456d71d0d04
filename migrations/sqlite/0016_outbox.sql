-- Notices for members outside the app (issue 26): the outbox of signed webhooks to the
-- host shop. A row is written in the transaction of its change (or, for a reminded sale's
-- opening and expiring points, by the replica that sees it due), so it exists exactly
-- when the change committed; each replica's dispatcher delivers it at least once, in
-- order per member (a member's row waits while an earlier one of theirs is pending).

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,   -- the body's id (the host dedupes by it); never reused
    member_id        BIGINT  NOT NULL REFERENCES members (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('points_arrived', 'points_expiring', 'order_shipped',
                                                      'sale_opening', 'tier_up', 'code_verified', 'cash_refund_due')),
    -- The "once" rules: a points_expiring row once per member and local day (the day
    -- number), a sale_opening row once per member and sale (the sale id); NULL for the
    -- others, which UNIQUE does not compare.
    once_key         BIGINT,
    payload          TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    due_at           BIGINT  NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT  NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  BIGINT  NOT NULL,
    give_up_at       BIGINT  NOT NULL,
    -- A dispatcher's claim: until this moment (the real time, Unix ms) and by this token
    -- no other replica takes the row; a crashed one's claim runs out.
    leased_until     BIGINT  NOT NULL DEFAULT 0,
    lease_token      TEXT,
    last_attempt_at  BIGINT,
    last_status      BIGINT,
    last_answer      TEXT,
    delivered_at     BIGINT,
    UNIQUE (kind, member_id, once_key)
);
-- The dispatcher's work list and each member's earlier pending rows.
CREATE INDEX outbox_pending ON outbox (member_id, id) WHERE state = 'pending';
CREATE INDEX outbox_state ON outbox (state, id);
