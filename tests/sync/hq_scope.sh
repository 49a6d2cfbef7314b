# coopmart-hq: what an operator token may read, and alerts that do not
# flood. An operator enrolled for one store reads that store's sales only;
# one enrolled --all-stores (the council) reads every store's. A terminal
# refused again and again with the same fault makes one alert that counts
# up, and a terminal that keeps sending new faults of one kind stops adding
# rows after ten an hour; every refusal is still counted.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"

hq enroll --store TOKO-A --terminal K01
TOK_A=$OUT
hq enroll --store TOKO-B --terminal K01
TOK_B=$OUT
hq enroll --store TOKO-A --terminal OPS --operator
OPS_A=$OUT
hq enroll --store PUSAT --terminal COUNCIL --operator --all-stores
COUNCIL=$OUT
hq enroll --store TOKO-A --terminal K02 --all-stores
expect_rc 3
expect_err "--all-stores is for operators"
hq_start

# --- each store's till sells; their journals reach HQ.
for s in A B; do
	new_till "$T/$s.db" K01
	$CHAIN import "$T/$s.db" >"$T/$s.chain"
done
$CHAIN sales "$T/A.chain" 3 20261201
$CHAIN sales "$T/B.chain" 5 20261201
for s in A B; do
	n=$(wc -l <"$T/$s.chain")
	$CHAIN push "$T/$s.chain" "TOKO-$s" 1 "$n" >"$T/$s.json"
	tok=TOK_$s
	push "${!tok}" "$T/$s.json"
	expect_status 200
done

# --- the store's operator sees its own store, never the other's.
api GET "/v1/report/sales?from=20261201&to=20261201" "$OPS_A"
expect_status 200
stores() { python3 -c 'import json,sys; print(" ".join(d["store"] for d in json.load(sys.stdin)["days"]))' <<<"$BODY"; }
expect_eq "stores the store's operator sees" "TOKO-A" "$(stores)"
expect_eq "its sales" 3 "$(jget '["days"][0]["count"]')"
api GET "/v1/report/sales?from=20261201&to=20261201" "$COUNCIL"
expect_status 200
expect_eq "stores the council sees" "TOKO-A TOKO-B" "$(stores)"
api GET "/v1/report/sales" "$TOK_A"
expect_status 403

# --- one fault sent again and again: one alert, counted.
python3 - "$T/A.json" "$T/tampered.json" <<-'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["events"] = p["events"][-1:]
p["events"][0]["payload"] = p["events"][0]["payload"].replace("1", "2", 1)
json.dump(p, open(sys.argv[2], "w"))
PY
for i in 1 2 3 4 5 6; do
	push "$TOK_A" "$T/tampered.json"
	expect_status 422
done
expect_eq "alert rows for six identical refusals" 1 \
	"$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE store = 'TOKO-A' AND kind = 'tampered'")"
expect_eq "the refusals counted" 6 \
	"$(sql "$HQDB" "SELECT count FROM alerts WHERE store = 'TOKO-A' AND kind = 'tampered'")"
hq alerts
expect_rc 0
expect_out "raised 6 times"

# --- new faults of one kind, many times: at most ten rows an hour, the
# rest counted on the newest, none lost from the count.
for i in $(seq 1 15); do
	python3 - "$T/B.json" "$T/fork.json" "$i" <<-'PY'
	import json, sys
	p = json.load(open(sys.argv[1]))
	i = int(sys.argv[3])
	p["events"] = [p["events"][(i - 1) % len(p["events"])]]
	e = p["events"][0]
	e["payload"] = e["payload"][:-1] + ',"x":%d}' % i
	json.dump(p, open(sys.argv[2], "w"))
	PY
	push "$TOK_B" "$T/fork.json"
	expect_status 422
done
rows=$(sql "$HQDB" "SELECT count(*) FROM alerts WHERE store = 'TOKO-B'")
total=$(sql "$HQDB" "SELECT sum(count) FROM alerts WHERE store = 'TOKO-B'")
[ "$rows" -le 10 ] || fail "15 different faults made $rows alert rows (at most 10 an hour)"
expect_eq "every fault counted" 15 "$total"

# --- the council's alerts report shows both stores; the report JSON says how often.
hq report --json
expect_rc 0
BODY=$OUT
expect_eq "count in the JSON" 6 "$(python3 -c 'import json,sys; print([a["count"] for a in json.load(sys.stdin)["alerts"] if a["store"] == "TOKO-A"][0])' <<<"$BODY")"
done_ok
