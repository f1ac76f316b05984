#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests: Debian's initdb and pg_ctl,
# listening on a free loopback port only, trust auth, fsync on. Prints the
# store's URL (postgres://USER@127.0.0.1:PORT/postgres). Run as root, the
# server runs as Debian's unprivileged `postgres` user (it refuses to run as
# root), its cluster in a folder of its own under /tmp that user owns (the
# caller's DIR may not be open to it); DIR keeps where it is and its port.
# Stop it with tests/pg/stop.sh DIR.
#   usage: tests/pg/start.sh DIR
set -euo pipefail
dir=${1:?usage: tests/pg/start.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "start.sh: no PostgreSQL server (bash scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$dir"
cluster=$(mktemp -d /tmp/genuine-pg.XXXXXX)
echo "$cluster" > "$dir/cluster"
as=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id postgres >/dev/null 2>&1 || { echo "start.sh: no 'postgres' user to run the server as" >&2; exit 1; }
    chown postgres "$cluster"
    as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$cluster/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
    > "$cluster/initdb.log" 2>&1 || { cat "$cluster/initdb.log" >&2; exit 1; }
# A port the kernel says is free now; another program could take it before
# the server binds it, so a failed start tries another.
for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${as[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' \
            -c max_connections=40 -c shared_buffers=128MB -c synchronous_commit=on" \
        > /dev/null 2>&1; then
        echo "$port" > "$dir/port"
        echo "postgres://$user@127.0.0.1:$port/postgres"
        exit 0
    fi
done
echo "start.sh: PostgreSQL did not start:" >&2
tail -20 "$cluster/server.log" >&2
exit 1
