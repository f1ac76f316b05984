#!/usr/bin/env bash
# Stops the PostgreSQL that tests/pg/start.sh DIR started and removes its cluster
# (immediate: nothing of a test database is kept, so no checkpoint is waited for).
#   usage: tests/pg/stop.sh DIR
set -uo pipefail
dir=${1:?usage: tests/pg/stop.sh DIR}
cluster=$(cat "$dir/cluster" 2>/dev/null) || exit 0
case $cluster in /tmp/genuine-pg.*) ;; *) echo "stop.sh: $dir/cluster names no cluster" >&2; exit 1 ;; esac
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
"${as[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop > /dev/null 2>&1 ||
    "${as[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop > /dev/null 2>&1
rm -rf "$cluster" "$dir/cluster" "$dir/port"
