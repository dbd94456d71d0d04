-- Campaigns (issue 27): double-points days, festival and member-day bonuses, category
-- boosts, each with a points budget. The budget is the "never overshot" rule: `spent`
-- moves only by `UPDATE campaigns SET spent = spent + n … WHERE spent + n <= budget AND
-- <running>` (the full boost or none), and the CHECK backs it. A cancel or refund never
-- refills it.
CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY,
    name_zh         TEXT    NOT NULL,
    name_en         TEXT    NOT NULL,
    starts_at       BIGINT  NOT NULL,
    ends_at         BIGINT  NOT NULL CHECK (ends_at > starts_at),
    target          TEXT    NOT NULL CHECK (target IN ('checkin', 'purchase', 'price', 'member_day')),
    category        TEXT    REFERENCES categories (slug),
    item_id         BIGINT  REFERENCES items (id),
    -- member_day: 'weekday' (day_number 1 = Monday … 7), 'month_day' (1 … 31) or 'birthday'.
    day_kind        TEXT    CHECK (day_kind IN ('weekday', 'month_day', 'birthday')),
    day_number      BIGINT,
    percent         BIGINT  CHECK (percent > 0),
    points          BIGINT  CHECK (points > 0),
    budget          BIGINT  NOT NULL CHECK (budget > 0),
    spent           BIGINT  NOT NULL DEFAULT 0 CHECK (spent >= 0 AND spent <= budget),
    grants          BIGINT  NOT NULL DEFAULT 0 CHECK (grants >= 0),
    -- The audience: every member (NULL), a tier and above, or exactly a tier.
    audience_tier   TEXT    CHECK (audience_tier IN ('member', 'silver', 'gold', 'diamond')),
    audience_exact  BIGINT  NOT NULL DEFAULT 0 CHECK (audience_exact IN (0, 1)),
    created_at      BIGINT  NOT NULL,
    ended_at        BIGINT,
    CHECK ((percent IS NULL) <> (points IS NULL)),
    CHECK ((target = 'price') = (category IS NOT NULL OR item_id IS NOT NULL)),
    CHECK (category IS NULL OR item_id IS NULL),
    CHECK ((target = 'member_day') = (day_kind IS NOT NULL))
);
CREATE INDEX campaigns_window ON campaigns (target, ends_at);

-- A purchase's campaign bonus waits with the purchase and is taken back by its refunds,
-- as its points are (`campaign_taken_back`, like `taken_back`).
ALTER TABLE purchases ADD COLUMN campaign_id BIGINT REFERENCES campaigns (id);
ALTER TABLE purchases ADD COLUMN campaign_points BIGINT NOT NULL DEFAULT 0 CHECK (campaign_points >= 0);
ALTER TABLE purchases ADD COLUMN campaign_taken_back BIGINT NOT NULL DEFAULT 0 CHECK (campaign_taken_back >= 0);

-- A redemption at a campaign's price: the campaign and the points it took off the order.
ALTER TABLE orders ADD COLUMN campaign_id BIGINT REFERENCES campaigns (id);
ALTER TABLE orders ADD COLUMN campaign_discount BIGINT NOT NULL DEFAULT 0 CHECK (campaign_discount >= 0);
