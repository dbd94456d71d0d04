-- A member's and an item's unpaid orders found without reading their other orders
-- (issue 29). Every write of a member asks whether it has an unpaid order that lapsed
-- (`db::members::lock_standing`), every balance read adds such orders' points back
-- (`db::lots::lapsed_orders`), a redeem asks the same of its item (`db::items::for_redeem`)
-- and the sweep lists them. With only `orders_member (member_id, id)` and `orders_awaiting
-- (pay_by)`, SQLite answered the member's questions by reading every order of the member
-- and the item's by scanning the table: a member's `GET /api/me` ran at a fifth of its
-- speed once the member had placed a thousand orders. These two partial indexes hold only
-- orders awaiting payment, by member and by item, due first.
CREATE INDEX orders_awaiting_member ON orders (member_id, pay_by) WHERE status = 'awaiting_payment';
CREATE INDEX orders_awaiting_item ON orders (item_id, pay_by) WHERE status = 'awaiting_payment';
