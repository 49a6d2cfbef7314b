#!/bin/bash
# bench_members_till.sh: a till ringing a member sale every 250 ms while its
# agent pulls a big member delta from the real coopmart-hq on loopback. A
# benchmark, not a test (tests/sync/sync_members_kill.sh is the test).
#
#   tests/bench/bench_members_till.sh BUILD_DIR [MEMBERS]     (MEMBERS: 50000)
#
# HQ holds MEMBERS members (numbers, names, cards, types biasa and
# karyawan, employers, most with a credit limit), the dues schedule, and a
# payroll file that paid each member's wajib from January 2026 for 3 to 8
# months, so on HQ's clock (2026-09-15) each owes 1 to 6 months. Two
# member pulls are measured: the first (every member new at the till) and
# a second after a payroll that paid one more month for every member
# (every standing changed). During each, sync_probe rings a member sale
# every 250 ms: it scans the last member's card, reads the standing the
# member panel shows, scans the first member's card, two items, pays cash
# and completes; a ticket that saw one of the two members in the new delta
# and the other in the old counts as a half-applied delta (members_mixed).
#
# Beside each pull, raw: the same member rows (HQ's pages of that pull,
# saved once and written out as CSV) loaded by the sqlite3 shell into the
# till's own members and member_owed tables (their indexes too) in one
# transaction, WAL, synchronous=FULL; run before and after each pull.
# BENCH_KEEP_LOGS=DIR keeps each run's agent log (timestamped) in DIR;
# BENCH_PROBE_WRAP="strace -f -tt -T -o FILE" runs the probe under it.
set -euo pipefail

BUILD=${1:?usage: bench_members_till.sh BUILD_DIR [MEMBERS]}
MEMBERS=${2:-50000}
BUILD=$(cd "$BUILD" && pwd)
export SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export COOPMART=$BUILD/coopmart COOPMART_HQ=$BUILD/sync/coopmart-hq COOPMART_SYNC=$BUILD/sync/coopmart-sync
PROBE=$BUILD/tests/sync_probe
export TEST_TMPDIR=${TEST_TMPDIR:-/tmp/coopmart-bench}
for f in "$COOPMART" "$COOPMART_HQ" "$COOPMART_SYNC" "$PROBE"; do
	[ -x "$f" ] || { echo "bench_members_till: $f is not built" >&2; exit 1; }
done
source "$SRCDIR/tests/sync/lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400    # 2026-09-15: months 2026-01..09 owed
CHUNK=300000                            # lines per HQ payroll file

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The first member (applied first) and the last one paid as many months
# (applied last): the probe's two cards.
A=1
B=$(( (MEMBERS - 1) / 6 * 6 + 1 ))
paid_months() { echo $(( 3 + $1 % 6 )); }

make_files() {
	python3 - "$MEMBERS" "$T" <<-'EOF'
	import random, sys
	n, d = int(sys.argv[1]), sys.argv[2]
	rnd = random.Random(16)
	first = "Sari Budi Siti Agus Dewi Eko Rina Joko Wati Hadi Ani Bambang Sri Yanti Dedi Nur Rudi Lestari Tri Wahyu".split()
	last = "Lestari Santoso Rahayu Wibowo Susanti Hidayat Kusuma Pratama Saputra Wijaya Nugroho Setiawan Handayani Purnomo".split()
	emp = ["PT Tekstil Jaya", "PT Semen Gresik", "Pemkot Semarang", "RSUD Kariadi", "PT Kereta Api", "Universitas Diponegoro"]
	dept = ["Tenun", "Gudang", "Keuangan", "Produksi", "Umum", "Logistik", "Perawat", "Dosen"]
	with open(f"{d}/members.csv", "w") as m, open(f"{d}/payroll1.csv", "w") as p1, \
	     open(f"{d}/payroll2.csv", "w") as p2:
	    m.write("number,name,card_code,status,type,join_date,left_date,employer,department,employee_no,store,credit_limit,salary\n")
	    p1.write("member,kind,period,amount,date\n")
	    p2.write("member,kind,period,amount,date\n")
	    for i in range(1, n + 1):
	        kar = i % 4 == 0
	        name = f"{rnd.choice(first)} {rnd.choice(last)}"
	        join = f"{rnd.randint(2012, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
	        e = rnd.randrange(len(emp))
	        limit = rnd.choice(["", "500000", "1000000", "1500000", "2000000"])
	        m.write(f"A-{i:06d},{name},M{i:07d},active,{'karyawan' if kar else 'biasa'},{join},,"
	                f"{emp[e]},{rnd.choice(dept)},K-{i:06d},,{limit},{rnd.randint(25, 90) * 100000}\n")
	        k = 3 + i % 6
	        amount = 50000 if kar else 25000
	        for month in range(1, k + 1):
	            a = amount if kar or month < 7 else 30000
	            p1.write(f"A-{i:06d},wajib,2026-{month:02d},{a},2026-{month:02d}-25\n")
	        a = amount if kar or k + 1 < 7 else 30000
	        p2.write(f"A-{i:06d},wajib,2026-{k + 1:02d},{a},2026-09-10\n")
	EOF
	printf 'type,kind,from,amount\nbiasa,pokok,2020-01,100000\nbiasa,wajib,2026-01,25000\nbiasa,wajib,2026-07,30000\nkaryawan,pokok,2020-01,250000\nkaryawan,wajib,2026-01,50000\n' >"$T/rates.csv"
}

# hq_import WHAT CSV: imports CSV at HQ in files of CHUNK lines.
hq_import() {
	rm -f "$T"/part.*
	tail -n +2 "$2" | split -l "$CHUNK" - "$T/part."
	local p
	for p in "$T"/part.*; do
		{ head -1 "$2"; cat "$p"; } >"$p.csv"
		hq import "$1" "$p.csv"
		[ "$RC" = 0 ] || fail "HQ import $1: $(printf '%s\n' "$ERR" | tail -3)"
	done
}

# save_pages SINCE: HQ's member pages since SINCE as the agent asks for
# them (1,000 a page), written out as $T/raw_members.csv and
# $T/raw_owed.csv (number, month, amount).
save_pages() {
	python3 - "$HQ_URL" "$T/K01.token" "$T/pki/ca.pem" "$1" "$T" <<-'EOF'
	import csv, gzip, http.client, json, ssl, sys, urllib.parse
	url, token, ca, since, out = sys.argv[1:]
	host, port = urllib.parse.urlsplit(url).netloc.split(":")
	conn = http.client.HTTPSConnection(host, int(port), context=ssl.create_default_context(cafile=ca))
	head = {"Authorization": "Bearer " + open(token).read().strip(),
	        "Accept": "application/json", "Accept-Encoding": "gzip"}
	cols = ["number", "name", "card_code", "status", "type", "join_date", "left_date", "pokok_owed",
	        "wajib_through", "wajib_paid_until", "wajib_months", "wajib_arrears", "sukarela",
	        "dues_month", "dues_seq", "credit_limit", "credit_balance"]
	mf = csv.writer(open(f"{out}/raw_members.csv", "w", newline=""))
	of = csv.writer(open(f"{out}/raw_owed.csv", "w", newline=""))
	path, rows = f"/v1/members?since={since}&limit=1000", 0
	while path:
	    conn.request("GET", path, headers=head)
	    r = conn.getresponse()
	    body = r.read()
	    if r.status != 200:
	        sys.exit(f"save_pages: HQ answered {r.status}")
	    if r.getheader("Content-Encoding") == "gzip":
	        body = gzip.decompress(body)
	    page = json.loads(body)
	    for m in page["members"]:
	        g = lambda k: m.get(k, 0)
	        mf.writerow([m["number"], m["name"], m.get("card_code", ""), m.get("status", "active"),
	                     m.get("type", ""), g("join_date"), g("left_date"), g("pokok_owed"), g("wajib_through"),
	                     g("wajib_paid_until"), g("wajib_months"), g("wajib_arrears"),
	                     g("sukarela"), page.get("month", 0), page.get("acked_seq", 0),
	                     g("credit_limit"), g("credit_balance")])
	        for month, amount in m.get("wajib_owed", []):
	            of.writerow([m["number"], month, amount])
	        rows += 1
	    nxt = page.get("next")
	    path = (f"/v1/members?since={since}&upto={page['upto']}&after="
	            f"{urllib.parse.quote(nxt, safe='')}&limit=1000") if nxt else None
	print(f"  {rows} member rows saved for the raw load")
	EOF
}

# raw: "WALL CPU" seconds for the sqlite3 shell to load the saved rows into
# the till's members and member_owed tables (as the till's schema defines
# them, with their indexes) in one transaction.
raw() {
	rm -f "$T/raw.db"*
	local schema
	schema=$(sqlite3 "$T/K01.db" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name IN ('members', 'member_owed') AND sql IS NOT NULL AND type IN ('table', 'index')")
	/usr/bin/time -f '%e %U %S' -o "$T/raw.time" sqlite3 "$T/raw.db" >/dev/null <<-EOF
	PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;
	$schema
	CREATE TEMP TABLE m(number, name, card_code, status, type, join_date, left_date, pokok_owed,
		wajib_through, wajib_paid_until, wajib_months, wajib_arrears, sukarela, dues_month,
		dues_seq, credit_limit, credit_balance);
	CREATE TEMP TABLE o(number, month, amount);
	.import --csv $T/raw_members.csv m
	.import --csv $T/raw_owed.csv o
	BEGIN IMMEDIATE;
	INSERT INTO members(number, name, card_code, status, type, join_date, left_date, pokok_owed,
		wajib_through, wajib_paid_until, wajib_months, wajib_arrears, sukarela, dues_month,
		dues_seq, credit_limit, credit_balance)
		SELECT number, name, NULLIF(card_code, ''), status, type, join_date, left_date, pokok_owed,
		wajib_through, wajib_paid_until, wajib_months, wajib_arrears, sukarela, dues_month,
		dues_seq, credit_limit, credit_balance FROM m;
	INSERT INTO member_owed(member_id, month, amount)
		SELECT (SELECT id FROM members WHERE number = o.number), month, amount FROM o;
	COMMIT;
	EOF
	rm -f "$T/raw.db"*
	read -r w u s <"$T/raw.time"
	echo "$w $(echo "$u + $s" | bc -l)"
}

# pull_with_probe WHAT PAID_UNTIL: one timed agent run while the probe
# rings member sales (a member paid until PAID_UNTIL is the new delta's);
# the members' part of it timed from the agent's log.
pull_with_probe() {
	local what=$1 t0 t1
	rm -f "$T/stop"
	${BENCH_PROBE_WRAP:-} "$PROBE" "$T/K01.db" 1 "$ADMIN_PIN" 250 "$T/stop" 1000000000 MIE-GRG BRS-PRM-5 \
		"$(printf 'M%07d' "$A")" "$(printf 'M%07d' "$B")" "$2" \
		>"$T/probe.out" 2>"$T/probe.err" &
	local probe=$!
	sleep 1
	t0=$(now)
	python3 - "$T/rss" "$COOPMART_SYNC" --config "$T/K01.conf" once <<-'EOF' 2> >(
		while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%N)" "$l"; done >"$T/agent.log")
	import resource, subprocess, sys
	r = subprocess.run(sys.argv[2:])
	u = resource.getrusage(resource.RUSAGE_CHILDREN)
	open(sys.argv[1], "w").write(f"{r.returncode} {u.ru_maxrss} {u.ru_utime + u.ru_stime:.1f}\n")
	EOF
	t1=$(now)
	sleep 1
	touch "$T/stop"
	wait "$probe" || true
	read -r rc rss cpu <"$T/rss"
	[ "$rc" = 0 ] || fail "the agent exited with $rc: $(tail -3 "$T/agent.log")"
	sleep 0.2
	local first staged done_at
	first=$(grep -m1 'members: ' "$T/agent.log" | cut -d' ' -f1 || true)
	staged=$(grep -m1 'members: .* staged .*applying' "$T/agent.log" | cut -d' ' -f1 || true)
	done_at=$(grep -m1 'members: now at version' "$T/agent.log" | cut -d' ' -f1 || true)
	[ -n "$done_at" ] || fail "no member pull in the agent's log: $(tail -5 "$T/agent.log")"
	printf '%s: agent run %.1f s, agent CPU %s s, peak RSS %d MiB, load %s\n' "$what" \
		"$(secs "$t0" "$t1")" "$cpu" $((rss / 1024)) "$(load)"
	printf '  members pull: pages fetched and staged in %.1f s, applied in %.1f s\n' \
		"$(secs "$t0" "${staged:-$t0}")" "$(secs "${staged:-$t0}" "$done_at")"
	echo "  till during it: $(cat "$T/probe.out")"
	local worst_at
	worst_at=$(grep -Eo 'worst_at [0-9.]+' "$T/probe.out" | cut -d' ' -f2 || true)
	if [ -n "$worst_at" ] && [ -n "$staged" ]; then
		printf '  the slowest sale began %.1f s after the agent started, %s\n' "$(secs "$t0" "$worst_at")" \
			"$(if [ "$(echo "$worst_at < $staged" | bc)" = 1 ]; then echo "while pages were staged"; else echo "while the rows were applied"; fi)"
	fi
	[ ! -s "$T/probe.err" ] || echo "  probe errors: $(head -3 "$T/probe.err")"
	grep 'members: ' "$T/agent.log" | sed 's/^[0-9.]* /  agent: /' | head -4
	[ -z "${BENCH_KEEP_LOGS:-}" ] || cp "$T/agent.log" "$BENCH_KEEP_LOGS/agent-${what%% *}.log"
}

raw_line() {
	local w c
	read -r w c <<<"$(raw)"
	printf '  raw (%s): sqlite3 loading the same %s members and their months owed in one transaction: %.1f s wall, %.1f s CPU, load %s\n' \
		"$1" "$MEMBERS" "$w" "$c" "$(load)"
}

echo "== bench_members_till: $MEMBERS members, a member sale every 250 ms during the pull =="
make_files
hq_start
new_terminal KMB-SMG K01
agent K01 once          # the catalogue (empty at HQ) and the push out of the way
[ "$RC" = 0 ] || fail "the first agent run: $ERR"
hq import dues-rates "$T/rates.csv"
[ "$RC" = 0 ] || fail "rates: $ERR"
t0=$(now)
hq_import members "$T/members.csv"
printf 'HQ import of %d members: %.1f s\n' "$MEMBERS" "$(secs "$t0" "$(now)")"
t0=$(now)
hq_import dues-payroll "$T/payroll1.csv"
printf 'HQ import of the payroll (%d lines): %.1f s\n' "$(($(wc -l <"$T/payroll1.csv") - 1))" "$(secs "$t0" "$(now)")"

# The probe's members are paid until 2026-0k by the first payroll, one
# month more by the second.
PAID1=$(printf '2026%02d' "$(paid_months $A)")
PAID2=$(printf '2026%02d' $(( $(paid_months $A) + 1 )))
save_pages 0
raw_line "before"
pull_with_probe "first member pull" "$PAID1"
raw_line "after"
expect_eq "members at the till" "$MEMBERS" "$(sql "$T/K01.db" "SELECT count(*) FROM members")"

t0=$(now)
hq_import dues-payroll "$T/payroll2.csv"
printf 'HQ import of the second payroll (one month more for each member): %.1f s\n' "$(secs "$t0" "$(now)")"
save_pages "$(sql "$T/K01.db" "SELECT members_version FROM sync_state")"
raw_line "before"
pull_with_probe "second member pull (every standing changed)" "$PAID2"
raw_line "after"
expect_eq "members paid one month more" "$MEMBERS" \
	"$(sql "$T/K01.db" "SELECT count(*) FROM members WHERE wajib_paid_until = 202600 + (3 + CAST(substr(number, 3) AS INTEGER) % 6) + 1")"
echo "bench_members_till: done"
