-- A member's open lots found without reading the spent ones (issue 29). Every balance read
-- (`GET /api/me`), every write's standing check (`db::members::STANDING_COLUMNS`: "is a
-- lot due?") and every debit's draw (`db::lots::take`) asks for the member's lots with
-- points left (`remaining > 0`), by expiry. The index held every lot the member ever
-- earned, so each of those read them all and dropped the spent ones: with 1,000 spent lots
-- (three years of daily check-ins), `GET /api/me` ran at 0.29 of the bare read against
-- 0.48 with none (`make bench-postgres`'s read path). Now it holds only lots with points
-- left; every query of lots by member asks for those, and members are never deleted (the
-- foreign key from the lots needs no index of its own).
DROP INDEX point_lots_open;
CREATE INDEX point_lots_open ON point_lots (member_id, expires_at, id) WHERE remaining > 0;
