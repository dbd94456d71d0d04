-- The twin of migrations/postgres/0021_open_lots_only.sql: the index of a member's lots
-- holds only lots with points left, so a balance read, a standing check and a debit no
-- longer read every lot the member ever spent.
DROP INDEX point_lots_open;
CREATE INDEX point_lots_open ON point_lots (member_id, expires_at, id) WHERE remaining > 0;
