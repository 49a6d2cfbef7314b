-- Version 3: ticket numbers are never reused. Journal events name the
-- ticket they concern (voids, price overrides, discounts, aborts, the
-- sale), so a number must mean one ticket for the life of the terminal;
-- open_tickets alone hands out max(id) + 1 again once the newest ticket
-- is completed or cancelled.
CREATE TABLE ticket_counter (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	last INTEGER NOT NULL
);
INSERT INTO ticket_counter(id, last) VALUES (1, max(
	COALESCE((SELECT max(id) FROM open_tickets), 0),
	COALESCE((SELECT max(CAST(json_extract(payload, '$.ticket') AS INTEGER)) FROM journal), 0)));
CREATE TRIGGER open_tickets_counter AFTER INSERT ON open_tickets
BEGIN UPDATE ticket_counter SET last = max(last, NEW.id) WHERE id = 1; END;
