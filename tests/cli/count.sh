# coopmart count (start, scan, set, batch, pause/resume, review, post,
# abandon, list), import stock-info and the stock reports, with their
# permissions and exit codes. The stock comes from a snapshot (as HQ
# sends one); sales during a count are tested in tests/e2e/count_zone.sh.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
S=975310       # supervisor 201
C=135790       # cashier 101
run --stdin "$A"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 "Siti Aminah" cashier
expect_rc 0
run --stdin "$A"$'\n'"$S"$'\n' --db "$DB" --user 1 user add 201 "Pak Budi" supervisor
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0

# --- stock information: all or nothing, admin only.
cat >"$T/bad.csv" <<'CSV'
sku,zone,reorder_level,cost
BRS-PRM-5,A1,5,62000
NO-SUCH,A1,1,1
MIE-GRG,A1,lots,2800
CSV
run --stdin "$A"$'\n' --db "$DB" --user 1 import stock-info "$T/bad.csv"
expect_rc 3; expect_err "line 3: unknown SKU NO-SUCH"; expect_err "line 4: reorder level 'lots'"
expect_eq "nothing imported" 0 "$(sql "$DB" "SELECT count(*) FROM item_stock_info")"
cat >"$T/info.csv" <<'CSV'
sku;zone;reorder_level;cost
BRS-PRM-5;A1;5;62.000
MIE-GRG;A1;60;2800
DGG-SPI;B1;2;110000
CSV
run --stdin "$S"$'\n' --db "$DB" --user 201 import stock-info "$T/info.csv"
expect_rc 4
run --stdin "$A"$'\n' --db "$DB" --user 1 import stock-info "$T/info.csv"
expect_rc 0; expect_out "3 rows of stock information imported"
expect_eq "info" "A1|5000|62000" "$(sql "$DB" "SELECT zone, reorder_level, cost FROM item_stock_info s JOIN items i ON i.id = s.item_id WHERE sku = 'BRS-PRM-5'")"
expect_eq "journaled" 1 "$(events "$DB" stock_info_import)"

# The stock as HQ last sent it: 10 sacks of rice, 48 noodles, 3,5 kg beef.
sql "$DB" "INSERT INTO stock_snapshot(item_id, qty, as_of) SELECT id, CASE sku
	WHEN 'BRS-PRM-5' THEN 10000 WHEN 'MIE-GRG' THEN 48000 ELSE 3500 END, 0
	FROM items WHERE sku IN ('BRS-PRM-5', 'MIE-GRG', 'DGG-SPI')"

# --- reports before the count.
run --db "$DB" report low-stock --csv
expect_rc 0
expect_out_exact $'sku;name;zone;qty;reorder_level;short\nMIE-GRG;Indomie Goreng 85 g;A1;48;60;12'
run --db "$DB" report stock-value --csv
expect_rc 0
expect_out "DGG-SPI;Daging Sapi Has Dalam;Daging;3,5;110000;385000"
expect_out "BRS-PRM-5;Beras Premium Cap Bunga 5 kg;Beras;10;62000;620000"
run --db "$DB" report stock-value
expect_rc 0; expect_out "3 rows, value at cost Rp1.139.400"
run --db "$DB" report slow-movers --days 7 --limit 2 --csv
expect_rc 0
expect_eq "slow movers rows" 3 "$(wc -l <<<"$OUT")"
run --db "$DB" report slow-movers --days 0
expect_rc 1

# --- a count of zone A1.
run --stdin "$C"$'\n' --db "$DB" --user 101 count start zone A1
expect_rc 4; expect_err "only a supervisor or admin may start"
run --stdin "$S"$'\n' --db "$DB" --user 201 count start zone Z9
expect_rc 2; expect_err "no item is in zone Z9"
run --stdin "$S"$'\n' --db "$DB" --user 201 count start zone A1
expect_rc 0; expect_out_exact "count 1 started: 2 items"
run --stdin "$S"$'\n' --db "$DB" --user 201 count start all
expect_rc 8; expect_err "count 1, not yet posted, already covers some of these items"
run --db "$DB" count list
expect_rc 0; expect_out "1	open	zone A1"

# Counting (a cashier may): by barcode, by SKU, adding, a batch, replacing.
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 8991234567891 8
expect_rc 0; expect_out_exact "BRS-PRM-5	Beras Premium Cap Bunga 5 kg	8 pcs"
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 MIE-GRG 40
expect_rc 0
run --stdin "$C"$'\n'"MIE-GRG 3"$'\n'"089686010947 2"$'\n' --db "$DB" --user 101 count scan 1 --batch --zone A1-top
expect_rc 0; expect_out "Indomie Goreng 85 g	45 pcs"
run --stdin "$C"$'\n' --db "$DB" --user 101 count set 1 BRS-PRM-5 9
expect_rc 0; expect_out "9 pcs"
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 DGG-SPI 1
expect_rc 2; expect_err "is not part of this count"
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 MIE-GRG 1,5
expect_rc 3; expect_err "'1,5' is not a whole number"
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 MIE-GRG -1
expect_rc 3
expect_eq "entries" "add|add|add|add|replace" "$(sql "$DB" "SELECT group_concat(mode, '|') FROM (SELECT mode FROM stock_count_entries ORDER BY id)")"
expect_eq "lines" "A1|45000|2" "$(sql "$DB" "SELECT l.zone, l.qty, l.counted_by FROM stock_count_lines l JOIN items i ON i.id = l.item_id WHERE sku = 'MIE-GRG'" | sed 's/A1-top/A1/')"

# Pause, resume.
run --stdin "$S"$'\n' --db "$DB" --user 201 count pause 1
expect_rc 0; expect_out "count 1: paused"
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 1 MIE-GRG 1
expect_rc 8; expect_err "count 1 is paused"
run --stdin "$S"$'\n' --db "$DB" --user 201 count resume 1
expect_rc 0

# Review: the cashier may not see expected quantities; the supervisor does.
run --stdin "$C"$'\n' --db "$DB" --user 101 count review 1
expect_rc 4
run --stdin "$S"$'\n' --db "$DB" --user 201 count review 1 --csv
expect_rc 0
expect_out_exact $'section;sku;name;unit;expected;counted;variance;cost;value\nvariance;BRS-PRM-5;Beras Premium Cap Bunga 5 kg;pcs;10;9;-1;62000;-62000\nvariance;MIE-GRG;Indomie Goreng 85 g;pcs;48;45;-3;2800;-8400'
run --stdin "$S"$'\n' --db "$DB" --user 201 count review 1
expect_rc 0; expect_out "Variances: 2 lines, -Rp70.400 at cost. Never counted: 0 items"
run --db "$DB" report variance 1
expect_rc 0; expect_out "2 rows, value at cost -Rp70.400"

# Post: one transaction, two movements, two events.
run --stdin "$C"$'\n' --db "$DB" --user 101 count post 1
expect_rc 4
HEAD=$(sql "$DB" "SELECT max(seq) FROM journal")   # then login, the post, logout
run --stdin "$S"$'\n' --db "$DB" --user 201 count post 1
expect_rc 0; expect_out "count 1 posted: 2 stock movements, -Rp70.400 at cost, journal $((HEAD + 2))"
expect_eq "movements" $'BRS-PRM-5|-1000\nMIE-GRG|-3000' "$(sql "$DB" "SELECT sku, qty FROM stock_movements m JOIN items i ON i.id = m.item_id WHERE kind = 'count' ORDER BY sku")"
expect_eq "levels" $'BRS-PRM-5|9000\nMIE-GRG|45000' "$(sql "$DB" "SELECT sku, l.qty FROM stock_levels l JOIN items i ON i.id = l.item_id ORDER BY sku")"
expect_eq "events" "count_posted stock_counted" "$(sql "$DB" "SELECT group_concat(type, ' ') FROM (SELECT type FROM journal WHERE seq IN ($HEAD + 2, $HEAD + 3) ORDER BY seq)")"
run --stdin "$S"$'\n' --db "$DB" --user 201 count post 1
expect_rc 8; expect_err "count 1 is already posted"
run --db "$DB" count list
expect_rc 0; expect_no_out
run --db "$DB" count list --all
expect_rc 0; expect_out "1	posted	zone A1"

# A count abandoned moves nothing.
run --stdin "$S"$'\n' --db "$DB" --user 201 count start zone B1
expect_rc 0
run --stdin "$C"$'\n' --db "$DB" --user 101 count scan 2 DGG-SPI 1,25
expect_rc 0; expect_out "1,25 kg"
run --stdin "$S"$'\n' --db "$DB" --user 201 count abandon 2
expect_rc 0; expect_out "count 2: abandoned"
expect_eq "no movement" 2 "$(sql "$DB" "SELECT count(*) FROM stock_movements")"
expect_eq "abandoned" 1 "$(events "$DB" count_abandoned)"

# Usage errors.
run --db "$DB" count
expect_rc 1
run --db "$DB" count start
expect_rc 1
run --db "$DB" report variance
expect_rc 1
run --db "$DB" report variance 99
expect_rc 2
run --db "$DB" count --help
expect_rc 0; expect_out "usage: coopmart count"

run --db "$DB" journal verify
expect_rc 0

done_ok
