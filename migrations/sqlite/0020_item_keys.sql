-- The twin of migrations/postgres/0020_item_keys.sql, which moves PostgreSQL's foreign
-- keys to an item off the row its redeems update (a foreign key check there takes a row
-- lock). SQLite's foreign key checks take no row locks: nothing changes here.
SELECT 1;
