-- Version 9: a shop session's cart, as schema/hq/sqlite/012_shop_cart.sql.
ALTER TABLE shop_sessions ADD COLUMN cart text NOT NULL DEFAULT '';
