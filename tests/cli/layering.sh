# The layering rules of DESIGN.md, checked instead of remembered:
#   curses            only in pos/ui
#   sqlite3.h         only in pos/store and HQ's store files (sync/hq/hqstore*.c,
#                     sync/hq/db*.c)
#   libpq-fe.h        only in sync/hq (HQ's PostgreSQL backend)
#   libusb            only in drivers/; and pos/core, pos/store, pos/engine
#                     include no drivers header that brings libusb in (the
#                     engine reaches printers through drivers/printport.h)
#   curl, cJSON, microhttpd   only in sync/
#   sockets (sys/socket.h, netdb.h, netinet/, arpa/) only in drivers/ and
#                     sync/: the till's engine talks to no network
#   cm_core, cm_store, cm_engine link no libusb, drivers, curses or curl
#                     (CMakeLists.txt)
# Every #include of the production sources (pos/, drivers/, sync/) is read;
# tests are not production code. The checker runs first on small trees
# with one planted violation each, which it must refuse (so a checker that
# finds nothing cannot pass), then on the repository.
set -euo pipefail
: "${SRCDIR:?SRCDIR must name the repository root}"
mkdir -p "${TEST_TMPDIR:-/tmp}"
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/layering.XXXXXX")
trap 'rm -rf "$T"' EXIT

# includes ROOT: "path<TAB>header" for every #include in ROOT's sources.
includes() {
	(cd "$1" && find pos drivers sync \( -name '*.c' -o -name '*.h' \) -print 2>/dev/null |
		LC_ALL=C sort | while read -r f; do
			sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/p' "$f" |
				while read -r h; do printf '%s\t%s\n' "$f" "$h"; done
		done)
}

# allowed FILE HEADER: whether FILE may include HEADER (0) or not (1).
allowed() {
	local f=$1 h=$2
	case "$h" in
	curses.h | ncurses.h | ncursesw/* | ncurses/*)
		[[ $f == pos/ui/* ]] ;;
	sqlite3.h)
		[[ $f == pos/store/* || $f =~ ^sync/hq/hqstore[^/]*\.c$ || $f =~ ^sync/hq/db[^/]*\.c$ ]] ;;
	libpq-fe.h | postgresql/libpq-fe.h)
		[[ $f == sync/hq/* ]] ;;
	libusb.h | libusb-1.0/*)
		[[ $f == drivers/* ]] ;;
	curl/* | cJSON.h | cjson/* | microhttpd.h)
		[[ $f == sync/* ]] ;;
	sys/socket.h | netdb.h | netinet/* | arpa/*)
		[[ $f == drivers/* || $f == sync/* ]] ;;
	*)
		return 0 ;;
	esac
}

# check ROOT: prints each violation; fails when there is one.
check() {
	local root=$1 bad=0 f h
	includes "$root" >"$T/inc"
	while IFS=$'\t' read -r f h; do
		if ! allowed "$f" "$h"; then
			echo "layering: $f includes <$h>" >&2
			bad=1
		fi
	done <"$T/inc"
	# Drivers headers that bring libusb in, directly or through another.
	awk -F'\t' '$1 ~ /^drivers\/.*\.h$/ && $2 ~ /^libusb/ { print $1 }' "$T/inc" | sort -u >"$T/usbh"
	while :; do
		awk -F'\t' 'NR == FNR { u[$1] = 1; next }
			$1 ~ /^drivers\/.*\.h$/ && ($2 in u) && !($1 in u) { print $1 }' "$T/usbh" "$T/inc" |
			sort -u >"$T/more"
		[ -s "$T/more" ] || break
		sort -u "$T/usbh" "$T/more" -o "$T/usbh"
	done
	while IFS=$'\t' read -r f h; do
		case "$f" in pos/core/* | pos/store/* | pos/engine/*) ;; *) continue ;; esac
		if grep -qxF "$h" "$T/usbh"; then
			echo "layering: $f includes $h, which brings libusb into ${f%/*}" >&2
			bad=1
		fi
	done <"$T/inc"
	if [ -f "$root/CMakeLists.txt" ] &&
		grep -E '^[[:space:]]*target_link_libraries\((cm_core|cm_store|cm_engine)[[:space:]]' \
			"$root/CMakeLists.txt" | grep -E 'cm_drivers|LIBUSB|NCURSES|CURL|cm_ui' >&2; then
		echo "layering: a core, store or engine library links drivers, libusb, curses or curl" >&2
		bad=1
	fi
	return $bad
}

# plant NAME FILE LINE: a small tree with one violation; the checker must
# refuse it.
plant() {
	local t="$T/plant-$1"
	mkdir -p "$t/pos/ui" "$t/pos/engine" "$t/drivers" "$(dirname "$t/$2")"
	printf '#include <curses.h>\n' >"$t/pos/ui/draw.c"
	printf '#include <libusb.h>\n' >"$t/drivers/usb.h"
	printf '#include "drivers/usb.h"\n' >"$t/drivers/scanner.h"
	printf '#include <stdio.h>\n%s\n' "$3" >>"$t/$2"
	if check "$t" 2>"$t/why"; then
		echo "FAIL: the checker let through $1 ($2: $3)" >&2
		exit 1
	fi
	grep -q "$2" "$t/why" || { echo "FAIL: the checker did not name $2" >&2; exit 1; }
}
plant curses pos/engine/sale.c '#include <curses.h>'
plant ncursesw pos/cli/cmd_x.c '#  include <ncursesw/curses.h>'
plant sqlite pos/engine/till.c '#include <sqlite3.h>'
plant sqlite_hq sync/hq/route_events.c '#include <sqlite3.h>'
plant libpq pos/store/store.c '#include <libpq-fe.h>'
plant libusb pos/ui/hw.c '#include <libusb.h>'
plant libusb_via_header pos/engine/printq.h '#include "drivers/scanner.h"'
plant curl pos/cli/main.c '#include <curl/curl.h>'
plant cjson drivers/escpos.c '#include <cjson/cJSON.h>'
plant mhd pos/ui/ui.c '#include <microhttpd.h>'
plant socket pos/engine/printq.c '#include <sys/socket.h>'
mkdir -p "$T/plant-link"
printf 'target_link_libraries(cm_engine PUBLIC cm_store cm_core cm_drivers)\n' >"$T/plant-link/CMakeLists.txt"
if check "$T/plant-link" 2>/dev/null; then
	echo "FAIL: the checker let cm_engine link cm_drivers" >&2
	exit 1
fi
# What is allowed stays allowed.
mkdir -p "$T/ok/sync/hq" "$T/ok/pos/store" "$T/ok/drivers"
printf '#include <sqlite3.h>\n' >"$T/ok/sync/hq/hqstore_items.c"
printf '#include <sqlite3.h>\n' >"$T/ok/sync/hq/db_sqlite.c"
printf '#include <libpq-fe.h>\n' >"$T/ok/sync/hq/db_pg.c"
printf '#include <sqlite3.h>\n' >"$T/ok/pos/store/store.c"
printf '#include <libusb.h>\n' >"$T/ok/drivers/usb.c"
check "$T/ok" || { echo "FAIL: the checker refused allowed includes" >&2; exit 1; }

check "$SRCDIR" || { echo "FAIL: the layering rules above are broken" >&2; exit 1; }
echo "ok: $(wc -l <"$T/inc") includes follow the layering rules"
