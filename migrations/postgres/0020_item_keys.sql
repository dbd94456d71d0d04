-- An item's key apart from its counters (issue 29), PostgreSQL only: every insert that
-- names an item (an order, a code, a per-member count) checks its foreign key by taking
-- a KEY SHARE lock on the row it references. On `items` that row is also updated by every
-- redeem (stock, redeemed), so under a rush on one item each new version of the row is
-- stamped with a MultiXact of all those lockers, and every read of the row walks the
-- versions resolving them (`GetMultiXactIdMembers` was the top function of a redeem
-- benchmark's profile). The references now point at `item_keys`: one row per item that is
-- never updated, so lockers only share it. `items.id` stays the key every query uses; a
-- trigger adds the key row with the item, so no insert of an item can forget it.
-- SQLite takes no row locks for a foreign key: its twin changes nothing.
CREATE TABLE item_keys (
    id  BIGINT  PRIMARY KEY REFERENCES items (id)
);
INSERT INTO item_keys (id) SELECT id FROM items;

CREATE FUNCTION item_keys_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_keys (id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER items_key AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION item_keys_add();

-- Every foreign key to an item (one column, `item_id`, in each table) moves to its key row.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT conrelid::regclass AS tbl, conname
        FROM pg_constraint
        WHERE contype = 'f' AND confrelid = 'items'::regclass AND conrelid <> 'item_keys'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (item_id) REFERENCES item_keys (id)', fk.tbl, fk.conname);
    END LOOP;
END
$$;
