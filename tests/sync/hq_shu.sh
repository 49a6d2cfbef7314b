# coopmart-hq: SHU (sisa hasil usaha). Sales with members (cash and
# credit), returns (of this year's sales and of last year's) and dues
# pushed from two terminals; the year's settings with their refusals;
# `shu preview --csv` equal to an independent computation
# (shu_expect.py) under the default rules and under others; post (the
# hash the preview showed), a late event listed as a difference and not
# folded in, post again refused, the posted record append-only; the
# member's slip with its formula.
set -euo pipefail
source "$SRCDIR/tests/sync/hq_lib.sh.inc"
export COOPMART_FAKE_TIME=1798952400   # 2027-01-03 12:00 in Asia/Jakarta

hq enroll --store KMB-SMG --terminal K01
TOK=$OUT
hq enroll --store KMB-SMG --terminal K02
TOK2=$OUT
hq enroll --store KMB-SLO --terminal K01
expect_rc 0

hq dues rate set biasa pokok 2020-01 100.000
hq dues rate set biasa wajib 2026-01 25000
expect_rc 0
cat >"$T/members.csv" <<'EOF'
number,name,card_code,status,type,join_date,left_date,employer,department,employee_no,store
A-0001,Sari,M000001,,biasa,2025-01-02,,,,,KMB-SMG
A-0002,Budi,M000002,,biasa,2025-01-02,,,,,KMB-SMG
A-0003,Citra,M000003,,biasa,2025-01-02,,,,,KMB-SLO
A-0004,Dodi,M000004,,biasa,2025-01-02,,,,,KMB-SLO
A-0005,Eka,M000005,,biasa,2025-01-02,,,,,
EOF
hq import members "$T/members.csv"
expect_rc 0
printf 'A-0001,Sari,KMB-SMG\nA-0002,Budi,KMB-SMG\nA-0003,Citra,KMB-SLO\nA-0004,Dodi,KMB-SLO\nA-0005,Eka,\n' >"$T/expect-members"

# --- the year's settings: amount, pools (refused unless 100%), rules.
hq shu preview --year 2026
expect_rc 2
expect_err "no SHU amount is set for 2026"
hq shu year show 2026
expect_rc 0
expect_out "SHU 2026: amount not set"
hq shu year set 2026 --amount 12,5jt
expect_rc 3
hq shu year set 2026 --amount 12.345.679
expect_rc 0
printf 'name,percent\njasa-usaha,35\njasa-modal,20\ncadangan,25\npengurus,5\nkaryawan,5\npendidikan,5\nsosial,2\npembangunan-daerah-kerja,2,5\n' >"$T/pools-bad.csv"
hq shu pool import 2026 "$T/pools-bad.csv"
expect_rc 3
expect_err "line 9: a row is name,percent"
printf 'name,percent\njasa-usaha,35\njasa-modal,20\ncadangan,25\npengurus,5\nkaryawan,5\npendidikan,5\nsosial,2\npembangunan-daerah-kerja,"2,5"\n' >"$T/pools-995.csv"
hq shu pool import 2026 "$T/pools-995.csv"
expect_rc 3
expect_err "the pools add up to 99,5%, not 100%: nothing imported"
expect_eq "pools after refused files" 0 "$(sql "$HQDB" "SELECT count(*) FROM shu_pools")"
hq shu pool set 2026 jasa-usaha 35
expect_err "add up to 35%; they must add up to 100% before a preview or a post"
hq shu preview --year 2026
expect_rc 3
expect_err "the pools of 2026 add up to 35%, not 100%"
hq shu pool set 2026 "Jasa Usaha" 35
expect_rc 3
hq shu pool set 2026 jasa-modal 12.125
expect_rc 3
printf 'name,percent\njasa-usaha,35\njasa-modal,20\ncadangan,25\npengurus,5\nkaryawan,5\npendidikan,5\nsosial,2.5\npembangunan-daerah-kerja,250bp\n' >"$T/pools.csv"
hq shu pool import 2026 "$T/pools.csv"
expect_rc 0
hq shu pool set 2026 ekstra 1
expect_err "the pools of 2026 add up to 101%; they must add up to 100%"
hq shu pool remove 2026 ekstra
expect_rc 0
expect_err "the pools of 2026 add up to 100%"
POOLS="jasa-usaha=3500,jasa-modal=2000,cadangan=2500,pengurus=500,karyawan=500,pendidikan=500,sosial=250,pembangunan-daerah-kerja=250"
hq shu rule set 2026 inactive sometimes
expect_rc 3
hq shu rule set 2026 colour red
expect_rc 3
expect_err "no SHU rule is called colour"
hq shu year show 2026
expect_rc 0
expect_out "pools add up to 100%"
expect_out "Rules: denominator=members;savings=year-end;sukarela=no;inactive=include"

# --- what the terminals push. Every fact goes to $T/facts for the
# independent computation too.
hq_start
new_till "$T/k01.db" K01
new_till "$T/k02.db" K02
$CHAIN import "$T/k01.db" >"$T/k01.chain"
$CHAIN import "$T/k02.db" >"$T/k02.chain"
: >"$T/facts"
# msale CHAIN RECEIPT DATE MEMBER|- TOTAL TENDER [DUES-ROWS "MEMBER KIND MONTH AMOUNT" ...]
msale() {
	local chain=$1 receipt=$2 date=$3 member=$4 total=$5 tender=$6 rows="" sum=0 at=""
	shift 6
	if [ "${1:-}" = "--at" ]; then at=$2; shift 2; fi
	for d in "$@"; do
		read -r dm kind month amount <<<"$d"
		rows="$rows${rows:+,}{\"member_no\":\"$dm\",\"kind\":\"$kind\",\"month\":$month,\"amount\":$amount}"
		sum=$((sum + amount))
		echo "dues $dm $kind $month $amount $date" >>"$T/facts"
	done
	local mno=""
	[ "$member" = - ] || mno="\"member_no\":\"$member\","
	local due=$((total + sum))
	$CHAIN append "$chain" sale "{\"receipt\":\"$receipt\",\"date\":$date,$mno\"lines\":[],\"total\":$total,\"rounding\":0,\"due\":$due,\"change\":0,\"taxes\":[],\"tenders\":[{\"kind\":\"$tender\",\"amount\":$due}],\"dues\":[$rows],\"dues_total\":$sum}" $at
	echo "sale KMB-SMG $receipt $date $member $total" >>"$T/facts"
}
mreturn() {   # CHAIN RETURN-NO SALE-RECEIPT DATE TOTAL
	$CHAIN append "$1" return "{\"return\":\"$2\",\"sale\":\"$3\",\"date\":$4,\"lines\":[],\"total\":$5,\"rounding\":0,\"refund\":$5,\"taxes\":[],\"tenders\":[{\"kind\":\"cash\",\"amount\":$5}]}"
	echo "return KMB-SMG $3 $4 $5" >>"$T/facts"
}
wajib() {   # MEMBER FIRST LAST: rows for the months FIRST..LAST of 2026 at Rp25.000
	for m in $(seq "$2" "$3"); do printf '%s wajib %d 25000\n' "$1" $((202600 + m)); done
}
push_all() {   # CHAIN TOKEN
	$CHAIN push "$1" KMB-SMG 1 "$(wc -l <"$1")" >"$T/push.json"
	push "$2" "$T/push.json"
	expect_status 200
}

mapfile -t SARI_W < <(wajib A-0001 1 12)
mapfile -t CITRA_W < <(wajib A-0003 1 12)
mapfile -t BUDI_W < <(wajib A-0002 1 10)
# K01: Sari pays her pokok, a year of wajib and sukarela with her first
# sale; a non-member; Budi on credit; Sari's sale at 23:50 on 31 December
# paid after midnight (business date 2026-12-31, event time 2027-01-01
# 00:10); Sari returns part of her January sale.
msale "$T/k01.chain" K01-000001 20260115 A-0001 1250000 cash "A-0001 pokok 0 100000" "${SARI_W[@]}" "A-0001 sukarela 0 50000"
msale "$T/k01.chain" K01-000002 20260301 - 3000000 cash
msale "$T/k01.chain" K01-000003 20260610 A-0002 800000 credit
msale "$T/k01.chain" K01-000004 20261231 A-0001 300000 qris --at "$(date -d '2027-01-01 00:10 +0700' +%s)"
mreturn "$T/k01.chain" R-K01-000001 K01-000001 20260120 200000
push_all "$T/k01.chain" "$TOK"
# K02: Budi's sale of December 2025, returned in January 2026 (counts in
# 2026); Citra pays a year's dues in July; Budi pays ten months in
# December; Dodi pays nothing (inactive for dues); Eka buys; Sari buys
# in January 2027 (not 2026's).
msale "$T/k02.chain" K02-000001 20251230 A-0002 500000 cash
mreturn "$T/k02.chain" R-K02-000001 K02-000001 20260105 100000
msale "$T/k02.chain" K02-000002 20260720 A-0003 2000003 cash "A-0003 pokok 0 100000" "${CITRA_W[@]}"
msale "$T/k02.chain" K02-000003 20261215 A-0002 77777 cash "A-0002 pokok 0 100000" "${BUDI_W[@]}"
msale "$T/k02.chain" K02-000004 20260901 A-0004 1000000 cash
msale "$T/k02.chain" K02-000005 20261111 A-0005 333333 cash
msale "$T/k02.chain" K02-000006 20270102 A-0001 400000 cash "A-0001 wajib 202701 25000"
push_all "$T/k02.chain" "$TOK2"
expect_eq "sales folded" 10 "$(sql "$HQDB" "SELECT count(*) FROM sales")"

expected() {   # RULES
	python3 "$SRCDIR/tests/sync/shu_expect.py" "$T/facts" "$T/expect-members" 2026 12345679 \
		"$POOLS" "$1" 25000 3
}
check_preview() {   # RULES
	hq shu preview --year 2026 --csv
	expect_rc 0
	expected "$1" >"$T/expect.csv"
	printf '%s\n' "$OUT" >"$T/got.csv"
	CHECKS=$((CHECKS + 1))
	diff -u "$T/expect.csv" "$T/got.csv" >&2 || fail "shu preview --csv differs from the independent computation ($1)"
}

# --- the default rules, then others.
check_preview "denominator=members;savings=year-end;sukarela=no;inactive=include"
expect_out "A-0001;Sari;KMB-SMG;no;100;1550000;200000;1350000;400000;"
expect_out "A-0004;Dodi;KMB-SLO;yes;100;1000000;0;1000000;0;"
# Budi: his December 2025 sale is not 2026's, its return in January 2026
# is; his dues (Rp350.000 of savings) are not purchases.
expect_out "A-0002;Budi;KMB-SMG;no;100;877777;100000;777777;350000;"
hq shu rule set 2026 denominator turnover
hq shu rule set 2026 savings monthly-average
hq shu rule set 2026 sukarela yes
hq shu rule set 2026 inactive reduce:40
expect_rc 0
check_preview "denominator=turnover;savings=monthly-average;sukarela=yes;inactive=reduce:40"
hq shu rule set 2026 inactive exclude
check_preview "denominator=turnover;savings=monthly-average;sukarela=yes;inactive=exclude"
expect_out "A-0004;Dodi;KMB-SLO;yes;0;1000000;0;1000000;0;0;0;0"
hq shu rule set 2026 savings year-end
hq shu rule set 2026 sukarela no
hq shu rule set 2026 denominator members
hq shu rule set 2026 inactive reduce:50
RULES="denominator=members;savings=year-end;sukarela=no;inactive=reduce:50"
check_preview "$RULES"
cp "$T/got.csv" "$T/posted.csv"

hq shu preview --year 2026 --top 3
expect_rc 0
expect_out "SHU 2026, preview (not posted)"
expect_out "Rules: $RULES"
expect_out "The 3 largest shares:"
expect_out "jasa-usaha                      35%        Rp4.320.987"
PREVIEW_HASH=$(sed -n 's/^Hash (BLAKE2b): //p' <<<"$OUT")
expect_out "KMB-SMG            2"

# --- the slip: the member's own figures in the formula.
hq shu slip --year 2026 A-0001
expect_rc 0
# The formula's figures from the expected CSV: jasa usaha's denominator
# is every member's purchases at their percent (cents when reduced).
FORMULA=$(python3 - "$T/posted.csv" <<'PY'
import sys
rows = [l.rstrip("\n").split(";") for l in open(sys.argv[1])][1:]
dots = lambda v: f"{v:,}".replace(",", ".")
w = sum(int(r[7]) * int(r[4]) for r in rows)
den = dots(w // 100) + (f",{w % 100:02d}" if w % 100 else "")
sari = next(r for r in rows if r[0] == "A-0001")
print(f"jasa-usaha: Rp4.320.987 x 1.350.000 / {den} = Rp{dots(int(sari[9]))}")
PY
)
expect_out "Purchases: bought Rp1.550.000 less returns Rp200.000 = Rp1.350.000"
expect_out "Savings (pokok + wajib at the year's end): Rp400.000"
expect_out "$FORMULA"
hq shu slip --year 2026 A-0004
expect_out "Inactive for dues at the year's end: purchases and savings count at 50%"
hq shu slip --year 2026 A-0004 --csv
expect_out "2026;A-0004;Dodi;KMB-SLO;1000000;0;1000000;0;yes;50;4320987;4794446,5;"
hq shu slip --year 2026 A-9999
expect_rc 2

# --- post: frozen with the hash the preview showed; settings frozen.
hq shu post --year 2026
expect_rc 0
expect_out "SHU 2026 posted: 5 member(s)"
expect_out "hash $PREVIEW_HASH"
expect_eq "posted hash" "$PREVIEW_HASH" "$(sql "$HQDB" "SELECT $(hq_hex hash) FROM shu_runs WHERE year = 2026")"
hq shu post --year 2026
expect_rc 8
expect_err "SHU 2026 was posted on 2027-01-03 12:00 already"
hq shu rule set 2026 inactive include
expect_rc 8
expect_err "SHU 2026 is posted: its settings cannot change"
hq shu year set 2026 --amount 1
expect_rc 8
for stmt in "UPDATE shu_runs SET amount = 1" "DELETE FROM shu_run_members" \
            "UPDATE shu_run_members SET usaha = usaha + 1" "DELETE FROM shu_run_pools"; do
	CHECKS=$((CHECKS + 1))
	if sql "$HQDB" "$stmt" >/dev/null 2>"$T/sql.err"; then fail "the posted run took: $stmt"; fi
	grep -F "append-only" "$T/sql.err" >/dev/null || fail "no append-only refusal for: $stmt"
done
hq shu preview --year 2026
expect_out "SHU 2026, posted 2027-01-03 12:00"
expect_out "No event since posting changes the year's figures."

# --- a late event of 2026 (Eka's sale of 28 December, pushed now): listed
# as a difference, never folded into the posted run.
msale "$T/k01.chain" K01-000005 20261228 A-0005 111111 cash
push_all "$T/k01.chain" "$TOK"
hq shu preview --year 2026
expect_rc 0
expect_out "SHU 2026, posted 2027-01-03 12:00"
expect_out "DIFFERENCE: events of 2026 that HQ learnt of after posting, not folded into the posted run (1 member(s))"
expect_out "A-0005              Rp333.333        Rp444.444"
hq shu preview --year 2026 --csv
expect_rc 0
expect_err "1 member(s) differ"
printf '%s\n' "$OUT" >"$T/after.csv"
CHECKS=$((CHECKS + 1))
diff -u "$T/posted.csv" "$T/after.csv" >&2 || fail "the posted run changed after a late event"
hq shu slip --year 2026 A-0005 --csv
expect_out ";A-0005;Eka;;333333;0;333333;"
hq shu post --year 2026
expect_rc 8
done_ok
