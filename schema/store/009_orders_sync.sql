-- Version 9: purchase orders from HQ. sync_state remembers the newest
-- 'orders' version pulled (GET /v1/orders); the orders themselves go into
-- purchase_orders / purchase_order_lines (006), offered when a delivery is
-- received.
ALTER TABLE sync_state ADD COLUMN orders_version INTEGER NOT NULL DEFAULT 0;
