-- Version 13: the member price a till gave a substitute (event
-- shop_picked, "price"), so another terminal of the store collects the
-- order at the price the picker named (PROTOCOL.md "Online orders").
ALTER TABLE shop_order_lines ADD COLUMN sub_price INTEGER CHECK (sub_price >= 0);
