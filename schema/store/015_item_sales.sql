-- Version 15: how often each item sold at this till, so that a name search
-- matching thousands of items shows first what this store sells
-- (store_item_search). Kept by a trigger on the sale's lines: one small
-- upsert a line, in the sale's own transaction. Voided lines do not count.
CREATE TABLE item_sales (
	item_id INTEGER PRIMARY KEY,
	sold    INTEGER NOT NULL
);
CREATE INDEX item_sales_sold ON item_sales(sold DESC, item_id);

INSERT INTO item_sales(item_id, sold)
	SELECT item_id, count(*) FROM sale_lines WHERE voided = 0 GROUP BY item_id;

CREATE TRIGGER sale_lines_sold AFTER INSERT ON sale_lines
WHEN NEW.voided = 0
BEGIN
	INSERT INTO item_sales(item_id, sold) VALUES (NEW.item_id, 1)
	ON CONFLICT(item_id) DO UPDATE SET sold = sold + 1;
END;
