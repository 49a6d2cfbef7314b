-- Version 6: the web console (sync/hq/web*.c).
--  * coops group stores: a coop's office sees its coop's stores.
--  * operators: people who log in to the console, with an Argon2id password
--    hash (libsodium's crypto_pwhash_str), a role and its scope:
--    council (every store), office (one coop's stores), manager (one
--    store). failed counts wrong passwords in a row; locked_until refuses
--    logins until then (the delay doubles with each failure).
--  * web_sessions: only the BLAKE2b-256 hash of the session cookie is kept;
--    csrf is the token every form of the session carries.
--  * web_audit: every login (refused ones too), logout and change made
--    through the console or the operator command; operator is the name
--    given, known or not.
--  * (alerts keep who acknowledged them and when: version 8, alert_ack.)
--  * terminals keep their last push and pull, the newest sequence they
--    said they hold and their agent's name and version (User-Agent).
--  * sales_days: each store's day totals, kept by triggers as sales and
--    returns are folded, so the overview reads one row a store a day.
--  * stock_openings: when HQ folded a store's opening stock snapshot.
CREATE TABLE coops (
	code       TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE stores ADD COLUMN coop TEXT REFERENCES coops(code);

CREATE TABLE operators (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	role         TEXT NOT NULL CHECK (role IN ('council', 'office', 'manager')),
	coop         TEXT,
	store        TEXT,
	pwhash       TEXT NOT NULL,
	failed       INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	created_at   INTEGER NOT NULL,
	CHECK ((role = 'council' AND coop IS NULL AND store IS NULL) OR
	       (role = 'office' AND coop IS NOT NULL AND store IS NULL) OR
	       (role = 'manager' AND store IS NOT NULL AND coop IS NULL))
);

CREATE TABLE web_sessions (
	token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
	operator   INTEGER NOT NULL REFERENCES operators(id),
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE web_audit (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	operator TEXT NOT NULL,
	action   TEXT NOT NULL,
	detail   TEXT NOT NULL,
	address  TEXT NOT NULL
);


ALTER TABLE terminals ADD COLUMN last_push_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminals ADD COLUMN last_pull_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminals ADD COLUMN local_head INTEGER NOT NULL DEFAULT 0;
ALTER TABLE terminals ADD COLUMN agent TEXT NOT NULL DEFAULT '';

CREATE TABLE sales_days (
	store TEXT NOT NULL,
	date  INTEGER NOT NULL,
	count INTEGER NOT NULL,
	net   INTEGER NOT NULL,
	PRIMARY KEY (store, date)
) WITHOUT ROWID;
CREATE INDEX sales_days_date ON sales_days(date, store);
INSERT INTO sales_days(store, date, count, net)
SELECT store, date, sum(n), sum(amount) FROM (
	SELECT store, date, 1 AS n, total + rounding AS amount FROM sales
	UNION ALL SELECT store, date, 0, -refund FROM returns) AS x
GROUP BY store, date;
CREATE TRIGGER sales_days_sale AFTER INSERT ON sales
BEGIN
	INSERT INTO sales_days(store, date, count, net) VALUES (NEW.store, NEW.date, 1, NEW.total + NEW.rounding)
	ON CONFLICT (store, date) DO UPDATE SET count = count + 1, net = net + excluded.net;
END;
CREATE TRIGGER sales_days_return AFTER INSERT ON returns
BEGIN
	INSERT INTO sales_days(store, date, count, net) VALUES (NEW.store, NEW.date, 0, -NEW.refund)
	ON CONFLICT (store, date) DO UPDATE SET net = net + excluded.net;
END;

CREATE TABLE stock_openings (
	store    TEXT PRIMARY KEY,
	at       INTEGER NOT NULL,
	terminal TEXT NOT NULL,
	seq      INTEGER NOT NULL
) WITHOUT ROWID;
