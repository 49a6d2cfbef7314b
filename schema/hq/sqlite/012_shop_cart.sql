-- Version 12: a shop session's cart, kept at HQ (the shop's pages work
-- without JavaScript, and a cookie could not hold 40 lines). Text: the
-- store's code on the first line, then one "SKU<TAB>QTY" line per item,
-- qty in thousandths (shop_cart.c reads and writes it; every line is
-- checked again at checkout). '' = empty.
ALTER TABLE shop_sessions ADD COLUMN cart TEXT NOT NULL DEFAULT '';
