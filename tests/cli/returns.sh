# coopmart return: partial returns, the cumulative limit, approvals,
# refusals that write nothing, the no-receipt path, show, list, verify.
set -euo pipefail
source "$SRCDIR/tests/cli/lib.sh.inc"
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell helper (tests/CMakeLists.txt)}"

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

# Three sales; the third has 3 of each item (sync_sell scans k % 3 + 1).
"$SYNC_SELL" "$DB" 101 "$C" 3 BRS-PRM-5 MIE-GRG >"$T/sales"
SALE=$(sed -n 3p "$T/sales" | cut -d' ' -f1)
[ -n "$SALE" ] || fail "no sale made"
mie_stock() { sql "$DB" "SELECT qty FROM stock_levels WHERE item_id = (SELECT id FROM items WHERE sku = 'MIE-GRG')"; }
returns() { sql "$DB" "SELECT count(*) FROM returns"; }
STOCK=$(mie_stock)

run --db "$DB" return --help
expect_rc 0; expect_out "--line LINE:QTY"

# --- a supervisor returns 1 of the 3 noodles: cash refund, stock back.
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:1 --reason unwanted --tender cash
expect_rc 0
expect_out_exact "return K01-R000001: refund Rp3.500, of it in cash Rp3.500 (journal $(sql "$DB" "SELECT max(seq) - 1 FROM journal"))"
expect_eq "stock after return" $((STOCK + 1000)) "$(mie_stock)"

# --- more than is left: refused with what is left, nothing written.
HEAD=$(sql "$DB" "SELECT max(seq) FROM journal")
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:3 --reason unwanted
expect_rc 3
expect_err "only 2 of the 3 sold may still be returned"
expect_eq "returns after refusal" 1 "$(returns)"
# (the login and logout are journaled, the return is not)
expect_eq "return events" 1 "$(events "$DB" return)"
expect_eq "stock after refusal" $((STOCK + 1000)) "$(mie_stock)"

# --- a cashier needs an approver; not themself, not without a PIN.
run --stdin "$C"$'\n' --db "$DB" --user 101 return "$SALE" --line 2:1 --reason wrong_item
expect_rc 4; expect_err "needs a supervisor's approval"
run --stdin "$C"$'\n'"$C"$'\n' --db "$DB" --user 101 return "$SALE" --line 2:1 --reason wrong_item --approver 101
expect_rc 4; expect_err "nobody can approve their own action"
run --stdin "$C"$'\n'"000000"$'\n' --db "$DB" --user 101 return "$SALE" --line 2:1 --reason wrong_item --approver 201
expect_rc 3
run --stdin "$C"$'\n'"$S"$'\n' --db "$DB" --user 101 return "$SALE" --line 2:1 --reason damaged --approver 201
expect_rc 0; expect_out "return K01-R000002: refund Rp3.500"
# The approver read the lines and the refund before the PIN was asked,
# and the event names exactly what was approved.
expect_err "To approve:"; expect_err "Refund Rp3.500 for:"; expect_err "1 x "
expect_eq "approved in the journal" "reason=damaged refund=3500 lines=MIE-GRG:1000" \
	"$(sql "$DB" "SELECT substr(json_extract(payload, '\$.approved'), instr(json_extract(payload, '\$.approved'), 'reason=')) FROM journal WHERE type = 'return' ORDER BY seq DESC LIMIT 1")"
expect_eq "damaged goods stay off the shelf" $((STOCK + 1000)) "$(mie_stock)"
expect_eq "damaged bin" 1000 "$(sql "$DB" "SELECT qty FROM damaged_stock")"
expect_eq "approver recorded" "101|201|damaged" \
	"$(sql "$DB" "SELECT c.number, a.number, r.reason FROM returns r JOIN users c ON c.id = r.cashier_id JOIN users a ON a.id = r.approver_id WHERE r.id = 2")"

# --- the last noodle, then nothing is left.
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:1 --line 1:1 --reason unwanted
expect_rc 0
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:1 --reason unwanted
expect_rc 3; expect_err "everything sold (3) has already been returned"

# --- usage and input errors.
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:1
expect_rc 1
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2:1 --reason bosan
expect_rc 3; expect_err "--reason is unwanted, wrong_item, damaged or expired"
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 2-1 --reason unwanted
expect_rc 3; expect_err "LINE:QTY"
run --stdin "$S"$'\n' --db "$DB" --user 201 return "$SALE" --line 9:1 --reason unwanted
expect_rc 2; expect_err "has no line 9"
run --stdin "$S"$'\n' --db "$DB" --user 201 return K01-999999 --line 1:1 --reason unwanted
expect_rc 2; expect_err "no sale with receipt number K01-999999"
run --db "$DB" return "$SALE" --line 1:1 --reason unwanted
expect_rc 1; expect_err "--user NUMBER"

# --- without a receipt: supervisors only, catalogue price, cash.
run --stdin "$C"$'\n' --db "$DB" --user 101 return --no-receipt --item MIE-GRG:2 --reason expired
expect_rc 4; expect_err "for a supervisor only"
run --stdin "$S"$'\n' --db "$DB" --user 201 return --no-receipt --item 089686010947:2 --reason unwanted
expect_rc 0; expect_out "refund Rp7.000, of it in cash Rp7.000"
expect_eq "no-receipt row" "|7000" "$(sql "$DB" "SELECT sale_id, refund FROM returns ORDER BY id DESC LIMIT 1")"

# --- show, list, and the journal still verifies.
run --db "$DB" return show K01-R000002
expect_rc 0
expect_out "*** RETUR BARANG ***"
expect_out "Struk asal: $SALE"
expect_out "(rusak)"
run --db "$DB" return show K01-R999999
expect_rc 2
run --db "$DB" return list --sale "$SALE"
expect_rc 0
expect_eq "returns of the sale" 3 "$(grep -c "$SALE" <<<"$OUT")"
# --- the day report shows what went back and the net.
DAY=$(sql "$DB" "SELECT business_date FROM returns LIMIT 1")
run --db "$DB" report day --date "${DAY:0:4}-${DAY:4:2}-${DAY:6:2}"
expect_rc 0
rupiah() { sed 's/[^0-9]//g' <<<"$1"; }
REFUNDS=$(sql "$DB" "SELECT sum(refund) FROM returns WHERE business_date = $DAY")
CASHBACK=$(sql "$DB" "SELECT sum(t.amount) FROM return_tenders t JOIN returns r ON r.id = t.return_id WHERE t.kind = 0 AND r.business_date = $DAY")
NET=$(sql "$DB" "SELECT (SELECT sum(total + rounding) FROM sales WHERE business_date = $DAY) - $REFUNDS")
line=$(grep '^Returns: ' <<<"$OUT") || fail "no Returns line in the day report"
expect_eq "returns in the day report" "4" "$(sed 's/^Returns: \([0-9]*\) .*/\1/' <<<"$line")"
expect_eq "refunded" "$REFUNDS" "$(rupiah "$(sed 's/.*refunded \(Rp[0-9.]*\).*/\1/' <<<"$line")")"
expect_eq "refunded in cash" "$CASHBACK" "$(rupiah "$(sed 's/.*in cash \(Rp[0-9.]*\).*/\1/' <<<"$line")")"
expect_eq "net sales" "$NET" "$(rupiah "$(sed 's/.*net sales \(Rp[0-9.]*\).*/\1/' <<<"$line")")"

run --db "$DB" journal verify
expect_rc 0
expect_eq "return events" 4 "$(events "$DB" return)"
expect_eq "returned never above sold" 0 "$(sql "$DB" "SELECT count(*) FROM sale_lines s WHERE s.qty < (SELECT COALESCE(sum(l.qty), 0) FROM return_lines l JOIN returns r ON r.id = l.return_id WHERE r.sale_id = s.sale_id AND l.sale_line = s.line_no)")"
done_ok
