-- The PostgreSQL twin of migrations/sqlite/0015_rule_versions.sql: the same table,
-- column and back-fill; the version is a BIGINT primary key (numbers are given, never
-- generated).

-- One row a version. The primary key makes each number a version once: two changes at
-- once cannot both take the same number (the second one takes the next). `rules_json` is
-- `mall_core::Rules` as JSON. Version 1 is the release's rules, effective from 0, written
-- by the server's first start (`INSERT … ON CONFLICT DO NOTHING`).
CREATE TABLE rule_versions (
    version       BIGINT  PRIMARY KEY CHECK (version >= 1),
    effective_at  BIGINT  NOT NULL CHECK (effective_at >= 0),
    rules_json    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    staff_id      BIGINT  REFERENCES staff (id),
    actor         TEXT    NOT NULL,
    reason        TEXT    NOT NULL
);
CREATE INDEX rule_versions_effective ON rule_versions (effective_at, version);

-- The tier a member reached (0 member, 1 silver, 2 gold, 3 diamond) under the thresholds
-- in force when its growth arrived: a later, higher threshold demotes nobody. Members of
-- earlier releases reached theirs under the release's thresholds (1,000 / 5,000 / 20,000).
ALTER TABLE members ADD COLUMN tier_reached BIGINT NOT NULL DEFAULT 0 CHECK (tier_reached BETWEEN 0 AND 3);
UPDATE members SET tier_reached = CASE WHEN growth >= 20000 THEN 3 WHEN growth >= 5000 THEN 2 WHEN growth >= 1000 THEN 1 ELSE 0 END;
