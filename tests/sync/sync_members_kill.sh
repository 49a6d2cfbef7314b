# A big member delta at the till, killed (SIGKILL) while it is applied, over
# HTTPS on loopback: HQ holds 20,000 members who each owe wajib months; the
# till's agent is killed half way through applying the first pull, and
# again half way through a second delta in which every member's standing
# changed (HQ's wajib rate from July went up). Half way, the till holds some
# members new and some old, but each member whole (their months owed sum
# to their arrears, old or new), the members version unchanged and no
# members_pulled event; a member sale works. The next run carries on: every
# member as HQ has them, nothing lost or doubled, one members_pulled event
# a pull (counting every member, also those applied before the kill), the
# staging empty, the journal intact.
set -euo pipefail
source "$SRCDIR/tests/sync/lib.sh.inc"
export COOPMART_FAKE_TIME=1789448400 TZ=Asia/Jakarta     # 2026-09-15
: "${SYNC_SELL:?SYNC_SELL must name the sync_sell program}"

N=20000
STORE=KMB-SMG
hq_start
hq dues rate set biasa wajib 2026-01 25000
[ "$RC" -eq 0 ] || fail "rate: $ERR"
hq dues rate set biasa wajib 2026-07 30000
[ "$RC" -eq 0 ] || fail "rate: $ERR"
python3 - "$N" "$T/members.csv" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("number,name,card_code,status,type,join_date,credit_limit\n")
    for i in range(1, n + 1):
        f.write(f"A-{i:06d},Anggota {i},M{i:07d},active,biasa,2025-{i % 12 + 1:02d}-10,"
                f"{(i % 4) * 500000}\n")
EOF
hq import members "$T/members.csv"
[ "$RC" -eq 0 ] || fail "members: $ERR"
new_terminal "$STORE" K01

members() { sql "$T/K01.db" "SELECT count(*) FROM members"; }
# Members whose months owed do not sum to their arrears: none, ever.
torn() {
	sql "$T/K01.db" "SELECT count(*) FROM members m WHERE wajib_arrears <>
		(SELECT COALESCE(sum(amount), 0) FROM member_owed o WHERE o.member_id = m.id)
		OR wajib_months <> (SELECT count(*) FROM member_owed o WHERE o.member_id = m.id)"
}
# Members at the till with arrears ARREARS.
at() { sql "$T/K01.db" "SELECT count(*) FROM members WHERE wajib_arrears = $1"; }
pulled() { sql "$T/K01.db" "SELECT count(*) FROM journal WHERE type = 'members_pulled'"; }
version() { sql "$T/K01.db" "SELECT members_version FROM sync_state"; }
applied_ge() { [ "$(eval "$1")" -ge "$2" ]; }

# kill_while_applying WHAT COUNT_QUERY: starts the agent, kills it once
# the apply has begun (COUNT_QUERY counts the members applied) and before
# it ends.
kill_while_applying() {
	agent_bg K01 once
	wait_for "the $1 apply to begin" 120 applied_ge "$2" 1
	kill -KILL "$AGENT_PID"
	agent_wait
	grep -q "members: now at version" "$T/K01.agent.log" &&
		fail "the $1 apply finished before the kill (make the delta bigger)"
	local n
	n=$(eval "$2")
	[ "$n" -lt "$N" ] || fail "the $1 apply finished before the kill: $n members"
	echo "$1: killed with $n of $N members applied"
}

# Every member owes January to September: 6 x 25.000 + 3 x 30.000.
OLD=240000 NEW=255000
# --- the first pull, killed half way.
kill_while_applying "first" members
expect_eq "killed: no member torn" 0 "$(torn)"
expect_eq "killed: every member there is HQ's" "$(members)" "$(at $OLD)"
expect_eq "killed: members version unchanged" 0 "$(version)"
expect_eq "killed: no members_pulled event" 0 "$(pulled)"
# The till sells to a member already applied meanwhile.
"$SYNC_SELL" "$T/K01.db" 1 "$ADMIN_PIN" 1 @M0000001 MIE-GRG >>"$T/K01.sales" ||
	fail "a member sale half way through the pull"

agent K01 once
expect_rc 0
expect_err "members: now at version"
expect_eq "first pull: every member" "$N" "$(members)"
expect_eq "first pull: every standing" "$N" "$(at $OLD)"
expect_eq "first pull: no member torn" 0 "$(torn)"
expect_eq "first pull: one members_pulled event" 1 "$(pulled)"
# its count: every member, also those the killed run applied
counted() { sql "$T/K01.db" "SELECT json_extract(payload, '\$.count') FROM journal WHERE type = 'members_pulled' ORDER BY seq DESC LIMIT 1"; }
expect_eq "first pull: the event counts every member" "$N" "$(counted)"
V1=$(version)
[ "$V1" -gt 0 ] || fail "members version not set: $V1"
expect_eq "first pull: staging emptied" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM members_staging")"
expect_eq "first pull: cards" "A-000001|A-$(printf '%06d' $N)" \
	"$(sql "$T/K01.db" "SELECT number FROM members WHERE card_code IN ('M0000001', 'M$(printf '%07d' $N)') ORDER BY number" | paste -sd'|')"

# --- the second delta: the July rate goes up, every standing changes.
hq dues rate set biasa wajib 2026-07 35000
[ "$RC" -eq 0 ] || fail "rate: $ERR"
kill_while_applying "second" "at $NEW"
expect_eq "killed again: no member torn" 0 "$(torn)"
expect_eq "killed again: every member old or new" "$N" "$(( $(at $OLD) + $(at $NEW) ))"
expect_eq "killed again: members version unchanged" "$V1" "$(version)"
expect_eq "killed again: one members_pulled event" 1 "$(pulled)"

agent K01 once
expect_rc 0
expect_err "members: now at version"
expect_eq "second pull: every member" "$N" "$(members)"
expect_eq "second pull: every standing new" "$N" "$(at $NEW)"
expect_eq "second pull: no member torn" 0 "$(torn)"
expect_eq "second pull: two members_pulled events" 2 "$(pulled)"
expect_eq "second pull: the event counts every member" "$N" "$(counted)"
[ "$(version)" -gt "$V1" ] || fail "members version did not move: $(version)"
expect_eq "second pull: staging emptied" 0 "$(sql "$T/K01.db" "SELECT count(*) FROM members_staging")"
expect_eq "journal verifies after the kills" 0 \
	"$("$COOPMART" --db "$T/K01.db" journal verify >/dev/null 2>&1; echo $?)"
expect_eq "foreign keys" "" "$(sql "$T/K01.db" "PRAGMA foreign_key_check")"

done_ok
