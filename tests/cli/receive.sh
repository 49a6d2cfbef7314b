# coopmart receive start|add|park|post|list|show and coopmart adjust:
# a delivery kept as a draft across commands, parked barcodes, posting
# into stock once, refusals that write nothing, adjustments by reason.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
C=135790   # cashier 101
S=975310   # supervisor 201
run --stdin "$A"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 Siti cashier
expect_rc 0
run --stdin "$A"$'\n'"$S"$'\n' --db "$DB" --user 1 user add 201 Budi supervisor
expect_rc 0
run --stdin "$A"$'\n' --db "$DB" --user 1 import items "$SRCDIR/tests/data/katalog.csv"
expect_rc 0
stock() { sql "$DB" "SELECT COALESCE((SELECT qty FROM stock_levels WHERE item_id = (SELECT id FROM items WHERE sku = '$1')), 0)"; }

run --db "$DB" receive --help
expect_rc 0; expect_out "receive start SUPPLIER"
run --db "$DB" adjust --help
expect_rc 0; expect_out "own_use"

# --- a cashier may not receive; an unknown supplier is refused.
run --stdin "$C"$'\n' --db "$DB" --user 101 receive start Indofood
expect_rc 4; expect_err "your role may not do this (receive)"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive start "PT Entah"
expect_rc 2; expect_err "no supplier called PT Entah"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive start indofood --po PO-9
expect_rc 2; expect_err "no open purchase order PO-9"
expect_eq "no deliveries" 0 "$(sql "$DB" "SELECT count(*) FROM deliveries")"

# --- a draft, filled by several commands.
run --stdin "$S"$'\n' --db "$DB" --user 201 receive start indofood --note SJ-778
expect_rc 0; expect_out_exact "delivery 1 started"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 089686010947 40 2.900
expect_rc 0
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 DGG-SPI 2,5 120000
expect_rc 0
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 8990000000013 12 5000
expect_rc 2; expect_err "8990000000013 is not in the catalogue: park it for HQ"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive park 1 8990000000013 12 5000 "Kecap Manis 600 ml"
expect_rc 0
run --stdin "$S"$'\n' --db "$DB" --user 201 receive park 1 8990000000011 12 5000 "Kecap"
expect_rc 3; expect_err "not a valid EAN or UPC barcode"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 MIE-GRG 0 2900
expect_rc 3; expect_err "QTY is a quantity"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 MIE-GRG 1,5 2900
expect_rc 3; expect_err "whole pieces"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 MIE-GRG 1 murah
expect_rc 3; expect_err "COST is an amount"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add x MIE-GRG 1 1
expect_rc 3

run --db "$DB" receive list --drafts
expect_rc 0; expect_out "draft"; expect_out "Indofood"
run --db "$DB" receive show 1
expect_rc 0
expect_out "MIE-GRG"
expect_out "8990000000013"
expect_out "Kecap Manis 600 ml"
expect_out "Rp416.000"
expect_eq "nothing in stock yet" 0 "$(stock MIE-GRG)"
expect_eq "nothing journaled yet" 0 "$(events "$DB" stock_received)"

# --- post: into stock once, journaled, then frozen.
run --stdin "$S"$'\n' --db "$DB" --user 201 receive post 1
expect_rc 0; expect_out "delivery 1 posted (journal"
expect_eq "noodles in stock" 40000 "$(stock MIE-GRG)"
expect_eq "meat in stock" 2500 "$(stock DGG-SPI)"
expect_eq "parked item not invented" 0 "$(sql "$DB" "SELECT count(*) FROM barcodes WHERE code = '8990000000013'")"
expect_eq "posted events" 1 "$(events "$DB" stock_received)"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive post 1
expect_rc 8; expect_err "already posted"
run --stdin "$S"$'\n' --db "$DB" --user 201 receive add 1 MIE-GRG 1 2900
expect_rc 8
expect_eq "noodles still" 40000 "$(stock MIE-GRG)"
run --db "$DB" receive show 2
expect_rc 2

# --- adjustments.
run --stdin "$C"$'\n' --db "$DB" --user 101 adjust MIE-GRG 2 --reason lost
expect_rc 4
run --stdin "$S"$'\n' --db "$DB" --user 201 adjust MIE-GRG 2 --reason stolen
expect_rc 3; expect_err "--reason is damaged, expired, lost, own_use or found"
run --stdin "$S"$'\n' --db "$DB" --user 201 adjust MIE-GRG 2
expect_rc 1
run --stdin "$S"$'\n' --db "$DB" --user 201 adjust MIE-GRG 3 --reason damaged --note "kardus basah"
expect_rc 0; expect_out_exact "stock of MIE-GRG adjusted: damaged 3"
run --stdin "$S"$'\n' --db "$DB" --user 201 adjust 089686010947 1 --reason own_use
expect_rc 0
run --stdin "$S"$'\n' --db "$DB" --user 201 adjust MIE-GRG 2 --reason found
expect_rc 0
expect_eq "noodles after adjustments" 38000 "$(stock MIE-GRG)"
expect_eq "damaged bin" 3000 "$(sql "$DB" "SELECT qty FROM damaged_stock")"
expect_eq "adjust events" 3 "$(events "$DB" stock_adjusted)"
expect_eq "movement kinds" "damaged:damaged|adjust:own_use|adjust:found" \
	"$(sql "$DB" "SELECT group_concat(kind || ':' || ref, '|') FROM (SELECT kind, ref FROM stock_movements WHERE kind IN ('adjust', 'damaged') ORDER BY id)")"
run --db "$DB" journal verify
expect_rc 0
done_ok
