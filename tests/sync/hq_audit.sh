# coopmart-hq audit (issue 19): exceptions per store and person from the
# events HQ holds, in counts and rupiah, whoever is far above the peers of
# the store flagged; --store narrows, --json gives the same figures. The
# journals are built event by event (tests/sync/chain.py, hashed like the
# till) and pushed straight to HQ.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"

hq_start
enroll() { # STORE TERM: token in $T/TERM.token
	hq enroll --store "$1" --terminal "$2"
	[ "$RC" -eq 0 ] || fail "enroll $1/$2"
	grep -Eo '[A-Za-z0-9_-]{43}' <<<"$OUT" | head -1 >"$T/$2.token"
}
push() { # TERM STORE: the whole chain $T/TERM.chain in one push
	python3 "$SRCDIR/tests/sync/chain.py" push "$T/$1.chain" "$2" 1 \
		"$(wc -l <"$T/$1.chain")" >"$T/$1.json"
	local code
	code=$(curl -s -o "$T/.body" -w '%{http_code}' --cacert "$T/pki/ca.pem" \
		-H "Authorization: Bearer $(cat "$T/$1.token")" --data-binary "@$T/$1.json" \
		"$HQ_URL/v1/events")
	[ "$code" = 200 ] || fail "push $1: HTTP $code $(cat "$T/.body")"
}
enroll KMB-SMG K01
enroll TOKO-B K09

# 2025-11-29 15:00 in Jakarta; the last event of K01 falls on the 30th.
python3 - "$SRCDIR/tests/sync" "$T" <<-'PY'
	import json, sys
	sys.path.insert(0, sys.argv[1])
	import chain
	AT = 1764403200
	ev = []
	def e(typ, user, **p):
	    ev.append(chain.make(ev, TERM, typ, json.dumps(p, separators=(",", ":")), AT + len(ev), user))
	TERM = "K01"
	for uid, num, name, role in ((2, "101", "Siti", "cashier"), (3, "102", "Budi", "cashier"),
	                             (4, "201", "Darto", "supervisor"), (5, "103", "Dewi", "cashier")):
	    e("user_added", 0, user_id=uid, number=num, name=name, role=role, bootstrap=False)
	# As the till writes an approval (PROTOCOL.md, "Approvals in events"):
	# the figures approved ride along and change no count.
	appr = {"approved_by": 4, "approver": "201", "reason": "x"}
	for i in range(6):
	    e("line_voided", 3, ticket=10 + i, line=1, sku="MIE-GRG", qty=2000, price=3500,
	      amount=7000, after_subtotal=True, **appr,
	      approved="ticket=%d line=1 sku=MIE-GRG qty=2000 price=3500 amount=7000 void" % (10 + i))
	e("ticket_aborted", 3, ticket=20)
	e("line_voided", 2, ticket=1, line=1, sku="MIE-GRG", qty=1000, price=3500, amount=3500,
	  after_subtotal=True, **appr)
	e("line_voided", 2, ticket=2, line=1, sku="MIE-GRG", qty=1000, price=3500, amount=3500,
	  after_subtotal=False)
	e("no_sale", 2, note="x")
	e("login_failed", 2, number="101", context="login", reason="wrong_pin", failed=1)
	e("login_failed", 2, number="101", context="login", reason="wrong_pin", failed=2)
	e("user_locked_out", 2, number="101", failed=5, lockouts=1, until=AT + 300)
	e("price_override", 5, ticket=3, line=1, sku="MIE-GRG", qty=2000, price=3500,
	  new_price=2500, list_price=3500, **appr,
	  approved="ticket=3 line=1 sku=MIE-GRG qty=2000 price=3500 amount=7000 new_price=2500")
	e("line_discount", 5, ticket=3, line=1, sku="MIE-GRG", qty=2000, price=2500, kind="amount",
	  value=1000, **appr)
	e("ticket_discount", 5, ticket=3, kind="percent", value=500)
	e("return", 5, **{"return": "K01-R000001"}, reason="rusak", cashier=5, approved_by=0,
	  date=20251129, lines=[], total=7000, refund=7000)
	e("return", 5, **{"return": "K01-R000002", "sale": "K01-000001"}, reason="salah", cashier=5,
	  approved_by=0, date=20251129, lines=[], total=3500, refund=3500)
	e("receipt_reprinted", 5, sale=1, receipt="K01-000001")
	e("shift_closed", 5, shift=1, expected=100000, counted=95000, difference=-5000)
	ev.append(chain.make(ev, TERM, "no_sale", '{"note":"x"}', AT + 86400, 2))
	chain.dump(ev, open(sys.argv[2] + "/K01.chain", "w"))
	ev = []
	TERM = "K09"
	e("no_sale", 7, note="x")
	chain.dump(ev, open(sys.argv[2] + "/K09.chain", "w"))
	PY
push K01 KMB-SMG
push K09 TOKO-B

hq audit --from 2025-11-29 --to 2025-11-29
expect_rc 0
expect_out "Audit 20251129 to 20251129 (! = far above the peers of the store)"
block() { # the lines of one person's block
	awk -v h="$1" '$0 == h { on = 1; print; next } /^[^ ]/ { on = 0 } on' <<<"$OUT"
}
expect_eq "Budi" "KMB-SMG K01  102 Budi (cashier, user 3)
  void_after_subtotal          6  Rp42000  !
  cancelled_ticket             1  Rp0" "$(block "KMB-SMG K01  102 Budi (cashier, user 3)")"
expect_eq "Siti" "KMB-SMG K01  101 Siti (cashier, user 2)
  void_after_subtotal          1  Rp3500
  no_sale                      1  Rp0
  failed_login                 2  Rp0
  lockout                      1  Rp0" "$(block "KMB-SMG K01  101 Siti (cashier, user 2)")"
expect_eq "Dewi" "KMB-SMG K01  103 Dewi (cashier, user 5)
  price_override               1  Rp2000
  discount_over_limit          1  Rp1000
  return_with_receipt          1  Rp3500
  return_without_receipt       1  Rp7000
  reprint                      1  Rp0
  cash_variance                1  Rp5000" "$(block "KMB-SMG K01  103 Dewi (cashier, user 5)")"
expect_eq "Darto" "KMB-SMG K01  201 Darto (supervisor, user 4)
  approvals_given              9  Rp48500  !" "$(block "KMB-SMG K01  201 Darto (supervisor, user 4)")"
expect_out "TOKO-B K09  ? unknown user (?, user 7)"

# One store only; the next day alone; JSON with the same figures.
hq audit --from 2025-11-29 --to 2025-11-29 --store TOKO-B
expect_rc 0
grep -F "KMB-SMG" <<<"$OUT" >/dev/null && fail "--store TOKO-B shows KMB-SMG"
expect_out "  no_sale                      1  Rp0"
hq audit --from 2025-11-30 --to 2025-11-30 --store KMB-SMG
expect_rc 0
expect_eq "the 30th" "Audit 20251130 to 20251130 (! = far above the peers of the store)
KMB-SMG K01  101 Siti (cashier, user 2)
  no_sale                      1  Rp0" "$OUT"
hq audit --from 2025-11-29 --to 2025-11-29 --json
expect_rc 0
expect_eq "JSON" "6 42000 True 9 True 1 7000 False" "$(python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
p = {(x["store"], x["number"]): x["metrics"] for x in a["people"]}
b, d, w = p[("KMB-SMG", "102")], p[("KMB-SMG", "201")], p[("KMB-SMG", "103")]
print(b["void_after_subtotal"]["count"], b["void_after_subtotal"]["rupiah"], b["void_after_subtotal"]["flagged"],
      d["approvals_given"]["count"], d["approvals_given"]["flagged"],
      w["return_without_receipt"]["count"], w["return_without_receipt"]["rupiah"],
      w["return_without_receipt"]["flagged"])' <<<"$OUT")"

# Wrong input.
hq audit --from 2025-11-30 --to 2025-11-29
expect_rc 3
hq audit --from 2025-11-29
expect_rc 1
hq audit --from 2025-13-01 --to 2025-13-02
expect_rc 3
done_ok
