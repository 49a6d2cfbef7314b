# Every message the code marks with _() or N_() has a finished Bahasa
# Indonesia translation in po/id.po: re-extracts a fresh template from
# pos/**/*.c and sync/**/*.c (the till, its command line, coopmart-sync and
# coopmart-hq) with the same xgettext command as the README, then fails on any
# message that po/id.po lacks, leaves untranslated or marks fuzzy, and on a
# catalogue msgfmt --check refuses. Does not need the coopmart binary.
set -euo pipefail
: "${SRCDIR:?SRCDIR must name the repository root}"

for tool in xgettext msgcmp msgmerge msgattrib msgfmt; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL: $tool not found (install gettext)" >&2; exit 1; }
done

mkdir -p "${TEST_TMPDIR:-/tmp}"
T=$(mktemp -d "${TEST_TMPDIR:-/tmp}/i18n-coverage.XXXXXX")
trap 'rm -rf "$T"' EXIT
export LC_ALL=C

cd "$SRCDIR"
PO=po/id.po
find pos sync -name '*.c' | sort >"$T/files"
xgettext --language=C --keyword=_ --keyword=N_ --from-code=UTF-8 \
	--add-comments=TRANSLATORS --files-from="$T/files" -o "$T/fresh.pot"
total=$(grep -c '^msgid ' "$T/fresh.pot")
total=$((total - 1)) # the header
[ "$total" -gt 0 ] || { echo "FAIL: xgettext found no messages in pos/ and sync/" >&2; exit 1; }

fail=0

# The catalogue as the code sees it now: id.po merged with the fresh template
# (no fuzzy guessing, so a new message stays visibly untranslated).
msgmerge --quiet --no-fuzzy-matching --no-wrap "$PO" "$T/fresh.pot" -o "$T/merged.po"
msgattrib --untranslated --no-obsolete --no-wrap "$T/merged.po" -o "$T/untranslated.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap "$T/merged.po" -o "$T/fuzzy.po"
list() { # "  msgid   <- source references" for each message of a PO file
	[ -s "$1" ] || return 0
	awk '
	function flush() { if (id != "\"\"") printf "  msgid %s   <- %s\n", id, ref; id = ""; ref = "" }
	/^#: / { r = substr($0, 4); ref = ref == "" ? r : ref " " r; next }
	/^msgid / { inid = 1; id = substr($0, 7); next }
	/^"/ && inid { id = (id == "\"\"" ? "" : substr(id, 1, length(id) - 1)) (id == "\"\"" ? $0 : substr($0, 2)); next }
	/^msg/ && inid { inid = 0; flush() }
	' "$1"
}
if [ -s "$T/untranslated.po" ]; then
	echo "FAIL: messages in the code with no Bahasa Indonesia translation in $PO:" >&2
	list "$T/untranslated.po" >&2
	fail=1
fi
if [ -s "$T/fuzzy.po" ]; then
	echo "FAIL: fuzzy (unchecked) translations in $PO:" >&2
	list "$T/fuzzy.po" >&2
	fail=1
fi

# The same question asked of gettext's own comparer.
if ! msgcmp "$PO" "$T/fresh.pot" >"$T/msgcmp.out" 2>&1; then
	echo "FAIL: msgcmp $PO <fresh template> reports messages not covered:" >&2
	sed "s|$T/fresh.pot|fresh.pot|" "$T/msgcmp.out" >&2
	fail=1
fi

# Placeholders (%s, %zu ...) of every translation match their message, and
# msgfmt sees nothing fuzzy or untranslated in id.po itself.
if ! msgfmt --check -o /dev/null "$T/merged.po" 2>"$T/check.out"; then
	echo "FAIL: msgfmt --check (placeholders, header) against the current code:" >&2
	sed "s|$T/merged.po|$PO (merged)|" "$T/check.out" >&2
	fail=1
fi
stats=$(msgfmt --check --statistics -o /dev/null "$PO" 2>&1) || {
	echo "FAIL: msgfmt --check $PO: $stats" >&2
	fail=1
}
case "$stats" in
*fuzzy* | *untranslated*)
	echo "FAIL: $PO: $stats" >&2
	fail=1
	;;
esac

# Not failures: stale translations and a stale template are only untidy.
unused=$(msgattrib --only-obsolete "$T/merged.po" 2>/dev/null | grep -c '^#~ msgid ' || true)
[ "$unused" -eq 0 ] ||
	echo "note: $PO has $unused translations the code no longer uses (run msgmerge, see README)"
if ! msgcmp --use-untranslated po/coopmart.pot "$T/fresh.pot" >/dev/null 2>&1; then
	echo "note: po/coopmart.pot is out of date (re-run xgettext, see README)"
fi

[ "$fail" -eq 0 ] || exit 1
echo "ok: all $total messages translated in $PO ($stats)"
