# HQ upgrades (SQLite): an HQ database at every schema version this
# project has had (schema/hq/sqlite/001..v, which never change once
# committed), holding an enrolled terminal, its events with their head
# and an alert as that version stored them, opens with the current
# coopmart-hq: it ends at the newest version, every event's chain still
# verifies (`backup` checks it), each row has its store, the alert its
# detail, and the terminal's agent goes on syncing with its old token.
# On PostgreSQL the same from each of its versions (schema/hq/pg/), the
# chain checked by the agent's push continuing HQ's head.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

if [ -n "${COOPMART_TEST_PG:-}" ]; then
	MIGRATIONS=("$SRCDIR"/schema/hq/pg/[0-9]*.sql)
else
	MIGRATIONS=("$SRCDIR"/schema/hq/sqlite/[0-9]*.sql)
fi
LATEST=${#MIGRATIONS[@]}
TOKEN=$(printf 'u%.0s' $(seq 1 43))
TOKEN_HASH=$(python3 -c 'import hashlib, sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())' "$TOKEN")
CHAIN="python3 $SRCDIR/tests/sync/chain.py"
make_pki

# A till with a real journal (init, import) and two sales.
new_till "$T/K01.db" K01
sell K01 2 BRS-PRM-5
$CHAIN import "$T/K01.db" >"$T/K01.chain"
EVENTS=$(wc -l <"$T/K01.chain")

# old_hq V DB: an HQ database built by migrations 1..V, then filled as
# that version's HQ did: the store, the terminal (its token's hash), its
# head row, every event of the chain (the triggers move the head), and an
# alert.
old_hq() {
	local v=$1 db=$2 i
	{
		echo "BEGIN;"
		for i in $(seq 0 $((v - 1))); do cat "${MIGRATIONS[$i]}"; echo; done
		echo "PRAGMA user_version=$v;"
		echo "INSERT INTO stores(code, created_at) VALUES ('KMB-SMG', 1764000000);"
		echo "INSERT INTO terminals(id, store, terminal, token_hash, enrolled_at)
		      VALUES (7, 'KMB-SMG', 'K01', X'$TOKEN_HASH', 1764000000);"
		# From version 4 on, rows carry their store.
		if [ "$v" -ge 4 ]; then
			echo "INSERT INTO heads(terminal, store) VALUES (7, 'KMB-SMG');"
		else
			echo "INSERT INTO heads(terminal) VALUES (7);"
		fi
		if [ "$v" -ge 4 ]; then
			echo "INSERT INTO alerts(at, store, terminal, kind, detail, last_detail)
			      VALUES (1764000100, 'KMB-SMG', 'K01', 'gap', 'event 9 after 5',
			              'event 9 after 5');"
		else
			echo "INSERT INTO alerts(at, store, terminal, kind, detail)
			      VALUES (1764000100, 'KMB-SMG', 'K01', 'gap', 'event 9 after 5');"
		fi
		echo "COMMIT;"
	} | sqlite3 -batch "$db" || fail "building HQ version $v"
	# HQ refuses a database every user can read (an older HQ made them
	# 0644): the admin guide's chmod first.
	chmod 600 "$db"
	python3 - "$db" "$T/K01.chain" <<-'PY' || fail "filling HQ version $v"
	import json, sqlite3, sys
	con = sqlite3.connect(sys.argv[1])
	cols = [r[1] for r in con.execute("PRAGMA table_info(events)")]
	store = ", store" if "store" in cols else ""
	for line in open(sys.argv[2]):
	    e = json.loads(line)
	    row = (e["seq"], e["type"], e["at"], e["user"], e["payload"],
	           bytes.fromhex(e["prev_hash"]), bytes.fromhex(e["hash"]), e["at"] + 60)
	    con.execute("INSERT INTO events(terminal, seq, type, at, user_id, payload, prev_hash, hash, "
	                "received_at" + store + ") VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?"
	                + (", 'KMB-SMG'" if store else "") + ")", row)
	con.commit()
	PY
}

# old_pg V: the same on PostgreSQL (every version there already leads
# its rows with the store), in a database of its own; sets HQDB.
old_pg() {
	local v=$1 i
	HQDB=$(bash "$SRCDIR/tests/pg/cluster.sh" createdb "$COOPMART_TEST_PG" "t_hq_upgrade_v${v}_$$") ||
		fail "no PostgreSQL test database"
	{
		echo "BEGIN;"
		for i in $(seq 0 $((v - 1))); do cat "${MIGRATIONS[$i]}"; echo; done
		echo "CREATE TABLE coopmart_schema (version integer NOT NULL);"
		echo "INSERT INTO coopmart_schema VALUES ($v);"
		echo "INSERT INTO stores(code, created_at) VALUES ('KMB-SMG', 1764000000);"
		echo "INSERT INTO terminals(id, store, terminal, token_hash, enrolled_at)
		      VALUES (7, 'KMB-SMG', 'K01', decode('$TOKEN_HASH', 'hex'), 1764000000);"
		echo "INSERT INTO heads(store, terminal) VALUES ('KMB-SMG', 7);"
		echo "INSERT INTO alerts(at, store, terminal, kind, detail, last_detail)
		      VALUES (1764000100, 'KMB-SMG', 'K01', 'gap', 'event 9 after 5', 'event 9 after 5');"
		python3 - "$T/K01.chain" <<-'PY'
		import json, sys
		def q(s): return "'" + s.replace("'", "''") + "'"
		for line in open(sys.argv[1]):
		    e = json.loads(line)
		    print("INSERT INTO events(store, terminal, seq, type, at, user_id, payload, prev_hash, "
		          "hash, received_at) VALUES ('KMB-SMG', 7, %d, %s, %d, %d, %s, decode('%s', 'hex'), "
		          "decode('%s', 'hex'), %d);" % (e["seq"], q(e["type"]), e["at"], e["user"],
		          q(e["payload"]), e["prev_hash"], e["hash"], e["at"] + 60))
		PY
		echo "COMMIT;"
	} | psql -X -q -v ON_ERROR_STOP=1 -d "$HQDB" >/dev/null || fail "building HQ version $v"
}

for v in $(seq 1 $((LATEST - 1))); do
	mkdir -p "$T/v$v"
	if [ -n "${COOPMART_TEST_PG:-}" ]; then
		old_pg "$v"
		expect_eq "built at version $v" "$v" "$(sql "$HQDB" 'SELECT max(version) FROM coopmart_schema')"
		# The current program upgrades it (any command opens and migrates).
		hq alerts
		expect_rc 0
		expect_eq "version after" "$LATEST" "$(sql "$HQDB" 'SELECT max(version) FROM coopmart_schema')"
	else
		HQDB="$T/v$v/hq.db"
		old_hq "$v" "$HQDB"
		expect_eq "built at version $v" "$v" "$(sqlite3 "$HQDB" 'PRAGMA user_version')"
		# The current program upgrades it; backup's check recomputes the chain.
		hq backup "$T/v$v/check.db"
		expect_rc 0
		expect_out ": $EVENTS events, checked"
		expect_eq "version after" "$LATEST" "$(sqlite3 "$HQDB" 'PRAGMA user_version')"
	fi
	expect_eq "events with their store" "$EVENTS" "$(sql "$HQDB" "SELECT count(*) FROM events WHERE store = 'KMB-SMG'")"
	expect_eq "head" "$EVENTS|KMB-SMG" "$(sql "$HQDB" 'SELECT seq, store FROM heads WHERE terminal = 7')"
	expect_eq "alert detail" "event 9 after 5" "$(sql "$HQDB" 'SELECT last_detail FROM alerts')"

	# The terminal syncs on with its old token: what HQ holds is
	# acknowledged again, a new sale is pushed.
	(umask 077 && printf '%s\n' "$TOKEN" >"$T/K01.token")
	cp "$T/K01.db" "$T/v$v/K01.db"
	cp "$T/K01.db.key" "$T/v$v/K01.db.key"   # the till signs with it
	hq_start
	cat >"$T/K01.conf" <<-EOF
	db = $T/v$v/K01.db
	url = $HQ_URL
	store = KMB-SMG
	terminal = K01
	token_file = $T/K01.token
	ca_file = $T/pki/ca.pem
	EOF
	"$SYNC_SELL" "$T/v$v/K01.db" 1 "$ADMIN_PIN" 1 MIE-GRG >/dev/null || fail "selling on"
	agent K01 once
	expect_rc 0
	expect_eq "HQ holds the whole journal" "$(sqlite3 "$T/v$v/K01.db" 'SELECT max(seq) FROM journal')" \
		"$(sql "$HQDB" 'SELECT seq FROM heads WHERE terminal = 7')"
	hq_stop
done
done_ok
