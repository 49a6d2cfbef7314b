-- Version 10: the member price a till gave a substitute, as
-- schema/hq/sqlite/013_shop_pick.sql.
ALTER TABLE shop_order_lines ADD COLUMN sub_price bigint CHECK (sub_price >= 0);
