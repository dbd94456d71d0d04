-- Live notices (实时推送积分到帐通知): what GET /api/events streams to a member.
-- Written in the transaction of the change (so an event exists exactly when the change
-- committed); a stream resumes after its Last-Event-ID; the sweep drops old ones.
CREATE TABLE member_events (
    id          INTEGER PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('balance', 'code')),
    data        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX member_events_member ON member_events (member_id, id);
CREATE INDEX member_events_created ON member_events (created_at);
