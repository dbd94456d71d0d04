-- The cash part of a price (积分+现金), paid through the host shop's own payment. An order
-- of an item with a cash part waits (`awaiting_payment`, points and stock held) until the
-- host confirms the cash or `pay_by` passes (then it lapses: points and stock come back).
-- Additive only: old replicas keep reading and writing orders during a rolling deploy.

-- When an awaiting order lapses (NULL for an order without a cash part), the id of its
-- payment (made with the order, given to the host in the signed payment request), and
-- the cash owed back to the member after the shop cancelled it paid.
ALTER TABLE orders ADD COLUMN pay_by BIGINT;
ALTER TABLE orders ADD COLUMN payment_id TEXT;
ALTER TABLE orders ADD COLUMN cash_refund_due_fen BIGINT CHECK (cash_refund_due_fen > 0);
CREATE UNIQUE INDEX orders_payment_id ON orders (payment_id);
-- The lapse's reads and the sweep's list: only awaiting orders, by when they lapse.
CREATE INDEX orders_awaiting ON orders (pay_by) WHERE status = 'awaiting_payment';

-- What the host confirmed: one payment per order and one order per payment id, so an
-- order is paid once whatever arrives twice (the primary key and the unique id).
CREATE TABLE order_payments (
    order_id    BIGINT  PRIMARY KEY REFERENCES orders (id),
    payment_id  TEXT    NOT NULL UNIQUE,
    paid_fen    BIGINT  NOT NULL CHECK (paid_fen > 0),
    paid_at     BIGINT  NOT NULL
);
CREATE INDEX order_payments_paid_at ON order_payments (paid_at);
