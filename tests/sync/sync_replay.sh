# Replays: every push batch of two terminals sent three times, all copies
# shuffled together, straight at the real server from eight connections at
# once (so copies of one batch race each other); then the real agent
# syncs each terminal. Each event must be stored exactly once: HQ holds
# each journal whole, its sales and stock figures equal the terminals' own
# to the rupiah and the unit, and no replay was taken for a conflict or a
# tampered event. Done twice: the second round replays the old batches
# mixed with new ones.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
CHAIN="python3 $SRCDIR/tests/sync/chain.py"
hq_start
new_terminal "$STORE" K01
new_terminal "$STORE" K02

# replay ROUND TERM...: each terminal's journal cut into batches of 1 to 6
# events, every batch three times, all shuffled (seeded: the order of the
# list can be rerun; which of two racing copies wins cannot), POSTed one
# request each by eight senders at once. Fails on any answer but 200 and
# 409 gap; prints "stored duplicates gaps" over all answers.
replay() {
	local round=$1 term
	shift
	for term in "$@"; do
		$CHAIN import "$T/$term.db" >"$T/$term.chain"
	done
	python3 - "$round" "$STORE" "$HQ_URL" "$T/pki/ca.pem" "$T" "$@" <<-'PY'
	import json, random, ssl, sys, urllib.request, urllib.error
	from concurrent.futures import ThreadPoolExecutor
	rnd, store, url, ca, tdir = sys.argv[1:6]
	terms = sys.argv[6:]
	rng = random.Random(20261129 + int(rnd))
	ctx = ssl.create_default_context(cafile=ca)
	sends = []
	for term in terms:
	    token = open(f"{tdir}/{term}.token").read().strip()
	    events = [json.loads(l) for l in open(f"{tdir}/{term}.chain") if l.strip()]
	    i = 0
	    while i < len(events):
	        n = rng.randint(1, 6)
	        batch = [{k: e[k] for k in ("seq", "type", "at", "user", "payload", "prev_hash", "hash", "sig") if k in e}
	                 for e in events[i:i + n]]
	        body = json.dumps({"store": store, "terminal": term, "local_head": events[-1]["seq"],
	                           "events": batch}, ensure_ascii=False).encode()
	        sends += [(token, body)] * 3
	        i += n
	rng.shuffle(sends)
	def send(item):
	    token, body = item
	    req = urllib.request.Request(url + "/v1/events", data=body, method="POST", headers={
	        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
	    try:
	        with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
	            a = json.load(r)
	            return a["stored"], a["duplicates"], 0
	    except urllib.error.HTTPError as e:
	        a = json.load(e)
	        if e.code != 409 or a.get("error", {}).get("code") != "gap":
	            raise SystemExit(f"replay: HTTP {e.code} {a}")
	        return 0, 0, 1
	with ThreadPoolExecutor(max_workers=8) as pool:
	    answers = list(pool.map(send, sends))
	stored = sum(a[0] for a in answers)
	dups = sum(a[1] for a in answers)
	gaps = sum(a[2] for a in answers)
	print(stored, dups, gaps, len(sends))
	PY
}

# hq_stock: "sku qty" lines HQ derived from the store's movements;
# till_stock: the same summed over both terminals' own movements.
hq_stock() {
	sql "$HQDB" "SELECT sku || ' ' || sum(qty) FROM stock_moves WHERE store = '$STORE' GROUP BY sku ORDER BY sku"
}
till_stock() {
	local term
	for term in K01 K02; do
		sql "$T/$term.db" "SELECT i.sku, m.qty FROM stock_movements m JOIN items i ON i.id = m.item_id"
	done | awk -F'|' '{ s[$1] += $2 } END { for (k in s) print k " " s[k] }' | LC_ALL=C sort
}

check_round() {
	local round=$1 term
	for term in K01 K02; do
		agent $term once
		expect_rc 0
		expect_eq "round $round: $term events at HQ" "$(journal_head $term)" "$(held_events "$STORE" $term)"
		expect_eq "round $round: $term acked" "$(journal_head $term)" "$(acked_seq $term)"
		expect_eq "round $round: $term sales at HQ" \
			"$(sql "$T/$term.db" "SELECT count(*) || ' ' || sum(total) || ' ' || sum(due) FROM sales")" \
			"$(sql "$HQDB" "SELECT count(*) || ' ' || sum(s.total) || ' ' || sum(s.due) FROM sales s JOIN terminals t ON t.id = s.terminal WHERE t.terminal = '$term'")"
		# cash kept: cash tendered less the change given back
		expect_eq "round $round: $term cash at HQ" \
			"$(sql "$T/$term.db" "SELECT (SELECT sum(amount) FROM sale_tenders WHERE kind = 0) - (SELECT sum(change) FROM sales)")" \
			"$(sql "$HQDB" "SELECT sum(x.amount) FROM sale_tenders x JOIN terminals t ON t.id = x.terminal WHERE t.terminal = '$term' AND x.kind = 'cash'")"
	done
	expect_eq "round $round: stock at HQ = the terminals' movements" "$(till_stock)" "$(hq_stock)"
	expect_eq "round $round: sale rows at HQ are unique" 0 \
		"$(sql "$HQDB" "SELECT count(*) FROM (SELECT receipt FROM sales GROUP BY receipt HAVING count(*) > 1) AS dup")"
	for kind in conflict tampered fork regression invalid_chain payload; do
		expect_eq "round $round: '$kind' alerts" 0 "$(alerts_of_kind $kind)"
	done
}

# --- round 1: fresh journals, nothing at HQ yet.
sell K01 8 MIE-GRG BRS-PRM-5
sell K02 6 BRS-PRM-5 MIE-GRG MIE-GRG
replay 1 K01 K02 >"$T/replay1" || fail "round 1: the replays failed"
read -r stored dups gaps sends <"$T/replay1"
total=$(( $(journal_head K01) + $(journal_head K02) ))
echo "round 1: $sends requests, stored $stored, duplicates $dups, gaps $gaps (events: $total)"
[ "$stored" -le "$total" ] || fail "round 1: HQ stored $stored events of $total"
[ "$dups" -gt 0 ] || fail "round 1: no replay was acknowledged as a duplicate"
expect_eq "round 1: stored = held" "$stored" \
	"$(( $(held_events "$STORE" K01) + $(held_events "$STORE" K02) ))"
check_round 1

# --- round 2: more sales; the whole journals replayed again, old batches
# (all duplicates now) shuffled with the new ones.
sell K01 5 BRS-PRM-5
sell K02 7 MIE-GRG
before=$(( $(held_events "$STORE" K01) + $(held_events "$STORE" K02) ))
replay 2 K01 K02 >"$T/replay2" || fail "round 2: the replays failed"
read -r stored dups gaps sends <"$T/replay2"
total=$(( $(journal_head K01) + $(journal_head K02) ))
echo "round 2: $sends requests, stored $stored, duplicates $dups, gaps $gaps (events: $total)"
expect_eq "round 2: stored = held - held before" "$stored" \
	"$(( $(held_events "$STORE" K01) + $(held_events "$STORE" K02) - before ))"
check_round 2

done_ok
