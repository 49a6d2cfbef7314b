# coopmart shift open|cash-in|cash-out|close|status|list and report x|z:
# exit codes, refusals, the journal, Z numbering and the grand total.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"

DB="$T/store.db"
new_store "$DB"
A="$ADMIN_PIN"
C=135790   # cashier 101
S=975310   # supervisor 201
run --stdin "$A"$'\n'"$C"$'\n' --db "$DB" --user 1 user add 101 "Siti Aminah" cashier
expect_rc 0
run --stdin "$A"$'\n'"$S"$'\n' --db "$DB" --user 1 user add 201 "Pak Budi" supervisor
expect_rc 0

# --- help and usage.
run --db "$DB" shift --help
expect_rc 0; expect_out "coopmart --user N shift close --count DENOM=PIECES"
run --db "$DB" shift
expect_rc 1
run --db "$DB" shift frobnicate
expect_rc 1
run --db "$DB" report --help
expect_rc 0; expect_out "coopmart --user N report x|z [--json]"

# --- no shift yet: status says so (exit 8); cash moves and close refuse.
run --db "$DB" shift status
expect_rc 8; expect_out "no shift is open"
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-in 1000 --reason "uang kecil"
expect_rc 8; expect_err "no shift is open on this terminal"
run --stdin "$S"$'\n' --db "$DB" --user 201 shift close --count 100000=1
expect_rc 8

# --- open: usage, bad amount, no --user, then a cashier opens with 500.000.
run --stdin "$C"$'\n' --db "$DB" --user 101 shift open 500000
expect_rc 1
run --stdin "$C"$'\n' --db "$DB" --user 101 shift open --float 12,5
expect_rc 3; expect_err "amounts are written in rupiah"
run --db "$DB" shift open --float 500000
expect_rc 1; expect_err "say who you are with --user NUMBER"
run --stdin "$C"$'\n' --db "$DB" --user 101 shift open --float 500.000
expect_rc 0; expect_out_exact "shift 1 opened"
run --stdin "$C"$'\n' --db "$DB" --user 101 shift open --float 500000
expect_rc 8; expect_err "shift 1 is still open"
expect_eq "shift row" '1|500000|' \
	"$(sql "$DB" "SELECT id, float, closed_at FROM shifts")"
expect_eq "shift_opened event" '{"float":500000}' \
	"$(sql "$DB" "SELECT payload FROM journal WHERE type = 'shift_opened'")"

# --- cash in by the cashier; cash out needs a supervisor (exit 4).
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-in 50000 --reason "uang kecil dari brankas"
expect_rc 0; expect_out_exact "cash in Rp50.000 recorded"
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-in 50000
expect_rc 1
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-in 50000 --reason ""
expect_rc 3; expect_err "give a reason of 1 to 63 characters"
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-in 0 --reason x
expect_rc 3
run --stdin "$C"$'\n' --db "$DB" --user 101 shift cash-out 200000 --reason "setor ke bank"
expect_rc 4; expect_err "supervisor's approval"
run --stdin "$S"$'\n' --db "$DB" --user 201 shift cash-out 200000 --reason "setor ke bank"
expect_rc 0; expect_out_exact "cash out Rp200.000 recorded"
expect_eq "cash moves" '1|50000|uang kecil dari brankas
-1|200000|setor ke bank' "$(sql "$DB" "SELECT dir, amount, reason FROM cash_moves ORDER BY id")"

run --db "$DB" shift status
expect_rc 0
expect_out "shift 1 open since"
expect_out "by 101 Siti Aminah"
expect_out "float Rp500.000   sales 0   cash in Rp50.000   cash out Rp200.000"
# The status never tells the expected cash (the close count is blind).
grep -qF "350.000" <<<"$OUT" && fail "status shows the expected cash"

# --- X: a cashier needs a supervisor; the supervisor's X resets nothing.
run --stdin "$C"$'\n' --db "$DB" --user 101 report x
expect_rc 4
run --stdin "$S"$'\n' --db "$DB" --user 201 report x
expect_rc 0; expect_out "LAPORAN X (SEMENTARA)"; expect_out "Tunai seharusnya"
expect_out "350.000"
run --stdin "$S"$'\n' --db "$DB" --user 201 report x --json
expect_rc 0
expect_out '"report":"x","terminal":"K01"'
expect_out '"cash_in":50000,"cash_out":200000'
expect_out '"drawer_expected":350000}'
run --stdin "$S"$'\n' --db "$DB" --user 201 report x --columns 44
expect_rc 3; expect_err "--columns must be 32, 40, 42 or 48"
# 40 columns is the dot-matrix profile's width: every line fits it.
run --stdin "$S"$'\n' --db "$DB" --user 201 report x --columns 40
expect_rc 0
expect_eq "widest line of the 40-column X report" 40 \
	"$(awk '{ if (length($0) > w) w = length($0) } END { print w }' <<<"$OUT")"

# --- Z while the shift is open: refused, nothing numbered.
run --stdin "$S"$'\n' --db "$DB" --user 201 report z
expect_rc 8; expect_err "shift 1 is still open: close it (blind count) before the Z report"
expect_eq "no Z yet" 0 "$(sql "$DB" "SELECT count(*) FROM z_reports")"

# --- close: a cashier cannot close at the command line; bad counts;
# the supervisor closes Rp1.000 short.
run --stdin "$C"$'\n' --db "$DB" --user 101 shift close --count 100000=3 --count 50000=1
expect_rc 4
run --stdin "$S"$'\n' --db "$DB" --user 201 shift close --count 300=1
expect_rc 3; expect_err "--count takes DENOMINATION=PIECES"
run --stdin "$S"$'\n' --db "$DB" --user 201 shift close --count 100000=-1
expect_rc 3
run --stdin "$S"$'\n' --db "$DB" --user 201 shift close --count 100000
expect_rc 3
run --stdin "$S"$'\n' --db "$DB" --user 201 shift close --count 100000=3 --count 20.000=2 \
	--count 5000=1 --count 2000=1 --count 100=10 --count 500=2
expect_rc 0
expect_out_exact "shift 1 closed
expected   Rp350.000
counted    Rp349.000
difference -Rp1.000"
expect_eq "closed shift" '350000|349000|3' \
	"$(sql "$DB" "SELECT expected, counted, closed_by FROM shifts WHERE id = 1")"
expect_eq "pieces" '100:10,200:0,500:2,1000:0,2000:1,5000:1,10000:0,20000:2,50000:0,100000:3' \
	"$(sql "$DB" "SELECT group_concat(denom || ':' || pieces, ',') FROM
	              (SELECT denom, pieces FROM shift_counts WHERE shift_id = 1 ORDER BY denom)")"
expect_eq "shift_closed event" '-1000|349000' \
	"$(sql "$DB" "SELECT json_extract(payload, '\$.difference'), json_extract(payload, '\$.counted')
	              FROM journal WHERE type = 'shift_closed'")"
run --db "$DB" shift status
expect_rc 8
run --db "$DB" shift list
expect_rc 0; expect_out "Rp350.000      Rp349.000     -Rp1.000"

# --- Z 1, Z 2: numbered without gaps, the grand total carried on.
run --stdin "$C"$'\n' --db "$DB" --user 101 report z
expect_rc 4
run --stdin "$S"$'\n' --db "$DB" --user 201 report z --json
expect_rc 0
expect_out '"report":"z","z":1,'
expect_out '"shifts":1,"expected":350000,"counted":349000,"grand_before":0,"grand_total":0}'
run --stdin "$S"$'\n' --db "$DB" --user 201 report z
expect_rc 0; expect_out "LAPORAN Z No. 2"; expect_out "GRAND TOTAL"
expect_eq "z rows" '1|0|0
2|0|0' "$(sql "$DB" "SELECT z_no, sales, grand_total FROM z_reports ORDER BY z_no")"
expect_eq "z 2 starts after z 1" 1 \
	"$(sql "$DB" "SELECT (SELECT from_seq FROM z_reports WHERE z_no = 2) =
	                     (SELECT journal_seq FROM z_reports WHERE z_no = 1)")"
# x_report: three with the 40-column one above.
expect_eq "events" '1|1|1|1|3|2' "$(sql "$DB" "SELECT
	(SELECT count(*) FROM journal WHERE type = 'shift_opened'),
	(SELECT count(*) FROM journal WHERE type = 'cash_in'),
	(SELECT count(*) FROM journal WHERE type = 'cash_out'),
	(SELECT count(*) FROM journal WHERE type = 'shift_closed'),
	(SELECT count(*) FROM journal WHERE type = 'x_report'),
	(SELECT count(*) FROM journal WHERE type = 'z_report')")"

run --db "$DB" journal verify
expect_rc 0
done_ok
