#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the HQ tests: initdb + pg_ctl in DIR,
# listening on a Unix socket in DIR only (no TCP), trust authentication
# for that socket, fsync off (a test cluster holds nothing to keep).
# When run as root the cluster runs as the `postgres` user, as initdb
# refuses root. COOPMART_PG_DURABLE=1 keeps fsync on (benchmarks: commits
# then cost what they cost on a real server).
#
#   cluster.sh start DIR     make and start it; prints the conninfo prefix
#   cluster.sh stop DIR      stop it and remove DIR
#   cluster.sh createdb DIR NAME   a fresh database (dropped first if there)
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop|createdb DIR [NAME]}
dir=${2:?usage: cluster.sh start|stop|createdb DIR [NAME]}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
	{ echo "cluster.sh: PostgreSQL's server is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owner() { if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi; }

case $cmd in
start)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U "$(owner)" --auth=trust --locale=C.UTF-8 \
		--encoding=UTF8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${COOPMART_PG_DURABLE:-0}" = 1 ] && fast=""
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' $fast \
-c max_connections=300 -c shared_buffers=256MB" start >/dev/null ||
		{ cat "$dir/server.log" >&2; exit 1; }
	echo "host=$dir user=$(owner)"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
	rm -rf "$dir"
	;;
createdb)
	name=${3:?usage: cluster.sh createdb DIR NAME}
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -h "$dir" -U "$(owner)" -d postgres \
		-c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" >/dev/null
	echo "host=$dir user=$(owner) dbname=$name"
	;;
*)
	echo "cluster.sh: unknown command $cmd" >&2
	exit 1
	;;
esac
