#!/usr/bin/env bash
# A replicated PostgreSQL on one machine for the cluster test (issue 16):
# etcd and two PostgreSQL members under Patroni (a primary and a
# synchronous standby), every port a free one on loopback, everything in
# a folder of its own under /tmp. The same set-up as deploy/patroni.yml on
# one machine instead of three. As root, etcd, Patroni and PostgreSQL run
# as Debian's `postgres` user (PostgreSQL refuses root).
#   tests/pg/cluster.sh start DIR   start, wait for a leader and a sync standby, print the URL
#   tests/pg/cluster.sh url DIR     print the URL again (both members, the one that takes writes)
#   tests/pg/cluster.sh leader DIR  print the leader's name (a or b)
#   tests/pg/cluster.sh kill DIR M  kill -9 member M's Patroni and its PostgreSQL, as a machine dies
#   tests/pg/cluster.sh wait DIR M  wait until a member other than M leads, print its name
#   tests/pg/cluster.sh freeze DIR  stop (SIGSTOP) the standby's WAL receiver: the primary's commits
#                                   wait for its confirmation (synchronous) until thaw
#   tests/pg/cluster.sh thaw DIR    let it go on (SIGCONT)
#   tests/pg/cluster.sh stop DIR    kill everything started and remove its folder
# DIR keeps the folder's name, the ports and the process ids.
set -euo pipefail
cmd=${1:?usage: tests/pg/cluster.sh start|url|leader|kill|wait|freeze|thaw|stop DIR}
dir=${2:?usage: tests/pg/cluster.sh $cmd DIR}
PY=/usr/bin/python3 # Debian's, whatever python3 comes first in PATH

as=()
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id postgres > /dev/null 2>&1 || { echo "cluster.sh: no 'postgres' user to run the servers as" >&2; exit 1; }
    as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

# The members' view through a member's REST API: "name role state" a line.
members() {
    local port
    for port in $(cat "$dir/rest_a" "$dir/rest_b" 2> /dev/null); do
        "$PY" - "$port" << 'EOF' 2> /dev/null && return 0
import json, sys, urllib.request
j = json.load(urllib.request.urlopen("http://127.0.0.1:%s/cluster" % sys.argv[1], timeout=2))
for m in j.get("members", []):
    print(m.get("name"), m.get("role"), m.get("state"))
EOF
    done
    return 1
}

# A process and all its descendants (PostgreSQL's backends die with their
# postmaster only when they next look), by id, from one look at the table.
tree() {
    ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q != root && q in parent && q > 1) q = parent[q]; if (q == root) print p } }'
}

# The process tree of PID if PID is still one of this cluster's (its command
# names the cluster's folder): a pid file left by a killed process may name
# another program's process by now.
ours() {
    [ -n "$1" ] && ps -o args= -p "$1" 2> /dev/null | grep -qF "$(cat "$dir/folder")/" && tree "$1"
    return 0
}

# Kills member M as a machine dies: its Patroni and its PostgreSQL, every
# process of both stopped at once (SIGSTOP: none can answer a client or
# commit after this returns), then killed.
kill_member() {
    local m=$1 folder pids
    folder=$(cat "$dir/folder")
    pids="$(ours "$(cat "$dir/pid_$m" 2> /dev/null)") $(ours "$(head -1 "$folder/$m/data/postmaster.pid" 2> /dev/null)")"
    [ -n "${pids// /}" ] || return 0
    kill -STOP $pids 2> /dev/null || true
    kill -9 $pids 2> /dev/null || true
}

free_ports() { # free_ports N: N ports the kernel says are free now
    "$PY" -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

member_yml() { # member_yml NAME PG_PORT REST_PORT
    local folder
    folder=$(cat "$dir/folder")
    cat << EOF
# Patroni member $1 of the cluster test (tests/pg/cluster.sh); deploy/patroni.yml is the same for real machines.
scope: genuine-test
name: $1
log:
  dir: $folder/$1
  level: WARNING
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd3:
  hosts: 127.0.0.1:$(cat "$dir/etcd_port")
bootstrap:
  dcs:
    # the leader's key lives 10 s: a dead primary is replaced in 10 to 15 s
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    # a commit returns once the standby has it; only a synchronous standby is promoted
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        max_connections: 40
        shared_buffers: 64MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $folder/$1/data
  bin_dir: $(cat "$dir/bin")
  pgpass: $folder/$1/pgpass
  authentication:
    superuser:
      username: $owner
      password: unused-trust
    replication:
      username: replicator
      password: unused-trust
    rewind:
      username: $owner
      password: unused-trust
  parameters:
    unix_socket_directories: "$folder/$1"
EOF
}

start_member() { # start_member NAME
    local folder
    folder=$(cat "$dir/folder")
    mkdir -p "$folder/$1"
    chown "$owner" "$folder/$1"
    member_yml "$1" "$(cat "$dir/pg_$1")" "$(cat "$dir/rest_$1")" > "$folder/$1.yml"
    "${as[@]}" /usr/bin/patroni "$folder/$1.yml" > "$folder/$1/patroni.out" 2>&1 &
    echo $! > "$dir/pid_$1"
}

# wait_for SECONDS WHAT CONDITION...: runs CONDITION until it holds
wait_for() {
    local seconds=$1 what=$2
    shift 2
    local until=$((SECONDS + seconds))
    while ! "$@"; do
        if [ $SECONDS -ge $until ]; then
            echo "cluster.sh: $what not within $seconds s; members:" >&2
            members >&2 || true
            local f
            for f in "$(cat "$dir/folder")"/*/patroni.out "$(cat "$dir/folder")"/etcd.log; do
                [ -f "$f" ] && { echo "--- $f" >&2; tail -15 "$f" >&2; }
            done
            return 1
        fi
        sleep 0.5
    done
}

has_role() { members 2> /dev/null | grep -q "^$1 $2 \(running\|streaming\)$"; }
leader() { members 2> /dev/null | awk '$2 == "leader" && $3 == "running" { print $1 }'; }
url() {
    echo "postgres://$owner@127.0.0.1:$(cat "$dir/pg_a"),127.0.0.1:$(cat "$dir/pg_b")/postgres?target_session_attrs=read-write&connect_timeout=2"
}

case $cmd in
start)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
    [ -x "$bin/initdb" ] && [ -x /usr/bin/patroni ] && command -v etcd > /dev/null ||
        { echo "cluster.sh: needs postgresql, patroni and etcd-server (bash scripts/install-deps.sh)" >&2; exit 1; }
    mkdir -p "$dir"
    folder=$(mktemp -d /tmp/genuine-patroni.XXXXXX)
    chown "$owner" "$folder"
    echo "$folder" > "$dir/folder"
    echo "$bin" > "$dir/bin"
    read -r etcd_port peer_port pg_a pg_b rest_a rest_b <<< "$(free_ports 6)"
    echo "$etcd_port" > "$dir/etcd_port"
    echo "$pg_a" > "$dir/pg_a"
    echo "$pg_b" > "$dir/pg_b"
    echo "$rest_a" > "$dir/rest_a"
    echo "$rest_b" > "$dir/rest_b"
    "${as[@]}" etcd --name e1 --data-dir "$folder/etcd" \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
        --initial-cluster "e1=http://127.0.0.1:$peer_port" --initial-cluster-state new \
        > "$folder/etcd.log" 2>&1 &
    echo $! > "$dir/pid_etcd"
    etcd_up() { curl -sf -m 2 "http://127.0.0.1:$etcd_port/health" 2> /dev/null | grep -q '"health":"true"'; }
    wait_for 30 "etcd" etcd_up
    start_member a
    wait_for 90 "member a leading" has_role a leader
    start_member b
    wait_for 120 "member b a synchronous standby" has_role b sync_standby
    url
    ;;
leader) leader ;;
url) url ;;
kill) kill_member "${3:?usage: tests/pg/cluster.sh kill DIR MEMBER}" ;;
freeze)
    standby=$(members | awk '$2 == "sync_standby" { print $1 }')
    [ -n "$standby" ] || { echo "cluster.sh: no synchronous standby to freeze" >&2; exit 1; }
    pm=$(head -1 "$(cat "$dir/folder")/$standby/data/postmaster.pid")
    receiver=$(ps -o pid=,args= --ppid "$pm" | awk '/walreceiver/ { print $1 }')
    [ -n "$receiver" ] || { echo "cluster.sh: member $standby has no WAL receiver" >&2; exit 1; }
    kill -STOP "$receiver"
    echo "$receiver" > "$dir/frozen"
    ;;
thaw)
    [ -f "$dir/frozen" ] && { kill -CONT "$(cat "$dir/frozen")" 2> /dev/null || true; }
    rm -f "$dir/frozen"
    ;;
wait)
    dead=${3:-}
    new_leader() { local l; l=$(leader); [ -n "$l" ] && [ "$l" != "$dead" ]; }
    wait_for 90 "a new leader" new_leader
    leader
    ;;
stop)
    folder=$(cat "$dir/folder" 2> /dev/null) || exit 0
    case $folder in /tmp/genuine-patroni.*) ;; *) echo "cluster.sh: $dir/folder names no cluster" >&2; exit 1 ;; esac
    [ -f "$dir/frozen" ] && { kill -CONT "$(cat "$dir/frozen")" 2> /dev/null || true; }
    kill_member a
    kill_member b
    kill -9 "$(cat "$dir/pid_etcd" 2> /dev/null)" 2> /dev/null || true
    # and whatever a start stopped half-way had not written down yet: its
    # command names this cluster's folder (PostgreSQL's other processes
    # leave when their postmaster is gone)
    for pid in $(ps -e -o pid=,args= | F="$folder/" awk 'index($0, ENVIRON["F"]) { print $1 }'); do
        [ "$pid" = $$ ] || kill -9 "$pid" 2> /dev/null || true
    done
    # the killed processes are gone before their folder is
    for _ in $(seq 50); do
        alive=0
        for p in a b etcd; do
            pid=$(cat "$dir/pid_$p" 2> /dev/null || true)
            [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null && alive=1
        done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    rm -rf "$folder"
    rm -f "$dir"/frozen "$dir"/folder "$dir"/bin "$dir"/etcd_port "$dir"/pg_? "$dir"/rest_? "$dir"/pid_*
    ;;
*)
    echo "usage: tests/pg/cluster.sh start|url|leader|kill|wait|freeze|thaw|stop DIR" >&2
    exit 2
    ;;
esac
