# Receiving and adjustments reach HQ's stock ledger: a delivery posted and
# stock adjusted on a terminal (command line), a sale, a push; HQ folds the
# stock_received and stock_adjusted events into movements whose sum per SKU
# equals the terminal's own stock, and raises no alert.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

STORE=KMB-SMG
hq_start
new_terminal "$STORE" K01
DB="$T/K01.db"
as_admin() { printf '%s\n' "$ADMIN_PIN" | "$COOPMART" --db "$DB" --user 1 "$@" >/dev/null 2>"$T/cmd.err" ||
	{ cat "$T/cmd.err" >&2; fail "coopmart $* failed"; }; }

as_admin receive start Indofood --note SJ-1
as_admin receive add 1 MIE-GRG 24 2.900
as_admin receive add 1 BRS-PRM-5 5 71.000
as_admin receive park 1 8990000000013 12 5.000 "Kecap Manis 600 ml"
as_admin receive post 1
as_admin adjust MIE-GRG 2 --reason lost
as_admin adjust MIE-GRG 1 --reason damaged
as_admin adjust BRS-PRM-5 1 --reason found
sell K01 1 MIE-GRG

agent K01 once
expect_rc 0
expect_eq "events at HQ" "$(journal_head K01)" "$(held_events "$STORE" K01)"
expect_eq "no alerts" 0 "$(sql "$HQDB" "SELECT count(*) FROM alerts")"

local_stock() { sql "$DB" "SELECT qty FROM stock_levels WHERE item_id = (SELECT id FROM items WHERE sku = '$1')"; }
hq_stock() { sql "$HQDB" "SELECT COALESCE(sum(qty), 0) FROM stock_moves WHERE store = '$STORE' AND sku = '$1'"; }
expect_eq "K01 noodles" 20000 "$(local_stock MIE-GRG)"
expect_eq "K01 rice" 6000 "$(local_stock BRS-PRM-5)"
for sku in MIE-GRG BRS-PRM-5; do
	expect_eq "HQ $sku = K01" "$(local_stock $sku)" "$(hq_stock $sku)"
done
expect_eq "HQ movement kinds" "received:24000|adjusted:-2000|adjusted:-1000|sale:-1000" \
	"$(sql "$HQDB" "SELECT group_concat(kind || ':' || qty, '|') FROM (SELECT kind, qty FROM stock_moves WHERE sku = 'MIE-GRG' ORDER BY id)")"
done_ok
