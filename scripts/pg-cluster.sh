#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, for tests and benchmarks.
#   scripts/pg-cluster.sh -- CMD ARGS...
# Installs PostgreSQL if missing (Debian package `postgresql`), initdb's a cluster into a
# fresh `mktemp -d` directory, starts it on 127.0.0.1 and a free port (trust auth: the
# cluster is throwaway and only listens on loopback), creates role `mall` (LOGIN, CREATEDB)
# and database `mall` owned by it, then runs CMD with
#   DATABASE_URL=postgres://mall@127.0.0.1:PORT/mall
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:PORT/postgres
# in its environment, and for tests that stop or restart the cluster on purpose
# (api/tests/api/replicas.rs: a PostgreSQL crash under load)
#   PGDATA=<the cluster's directory>  PG_BIN=<its bin directory>  PG_LOG=<its log file>
#   PG_OS_USER=<the OS user that owns it, when the script runs as root; else empty>
# so `$PG_BIN/pg_ctl -D "$PGDATA" -l "$PG_LOG" restart -m immediate` (run as PG_OS_USER)
# works. On exit (also on failure or Ctrl-C) the cluster is stopped and the directory
# deleted; the script exits with CMD's status.
# PG_FAST=1 turns off fsync, synchronous_commit and full_page_writes: for tests only,
# never for benchmarks whose figures are reported.
# initdb/pg_ctl output goes to a log inside the directory; it is printed if start fails.
set -euo pipefail

log() { printf '[pg] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

if [ "${1:-}" != "--" ] || [ $# -lt 2 ]; then
  echo "usage: $0 -- CMD ARGS..." >&2
  exit 2
fi
shift

# The bin directory of the newest installed major version, or nothing.
newest_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do
    if [ -x "$b/initdb" ]; then echo "$b"; fi
  done | sort -V | tail -n 1
}

# 1. PostgreSQL itself.
BIN=$(newest_bin)
if [ -z "$BIN" ]; then
  log "apt-get install postgresql"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  BIN=$(newest_bin)
  [ -n "$BIN" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
fi
MAJOR=$(basename "$(dirname "$BIN")")

# 2. The cluster directory: DIR/data is the cluster, DIR holds the socket and the log.
DIR=$(mktemp -d "${TMPDIR:-/tmp}/pg-cluster.XXXXXX")
LOG="$DIR/pg.log"
STARTED=""
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres OS user.
  chown postgres: "$DIR"
  as_pg() { runuser -u postgres -- "$@"; }
  PG_OS_USER=postgres
else
  as_pg() { "$@"; }
  PG_OS_USER=""
fi

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$STARTED" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >>"$LOG" 2>&1 \
      || log "pg_ctl stop failed (log: $LOG)"
  fi
  rm -rf "$DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

print_log() { [ -f "$LOG" ] && sed 's/^/[pg]   /' "$LOG" >&2 || true; }

# --no-sync: nothing in a throwaway cluster has to survive an OS crash (saves ~0.1 s).
if ! as_pg touch "$LOG" || ! as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust \
    -E UTF8 --locale=C --no-sync >>"$LOG" 2>&1; then
  print_log
  die "initdb failed"
fi

# 3. Start on a free port: try ports from a random start until one binds.
OPTS="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c max_connections=200"
if [ "${PG_FAST:-}" = "1" ]; then
  OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
port_busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
PORT=$(( 20000 + RANDOM % 30000 ))
for _ in $(seq 1 20); do
  PORT=$(( PORT + 1 ))
  if command -v ss >/dev/null 2>&1 && port_busy "$PORT"; then
    continue
  fi
  if as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$LOG" -w -t 30 \
      -o "$OPTS -p $PORT" start >>"$LOG" 2>&1; then
    STARTED=1
    break
  fi
  # Only a port already taken is worth another try.
  if ! tail -n 20 "$LOG" | grep -q "could not bind\|could not create any TCP/IP sockets\|Address already in use"; then
    print_log
    die "pg_ctl start failed"
  fi
done
[ -n "$STARTED" ] || { print_log; die "pg_ctl start failed on 20 ports"; }

# 4. The application's role and database.
"$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
  -c "CREATE ROLE mall LOGIN CREATEDB" \
  -c "CREATE DATABASE mall OWNER mall" >>"$LOG" 2>&1 \
  || { print_log; die "creating role/database mall failed"; }

export DATABASE_URL="postgres://mall@127.0.0.1:$PORT/mall"
export PG_ADMIN_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
export PGDATA="$DIR/data" PG_BIN="$BIN" PG_LOG="$LOG" PG_OS_USER
fast=""
[ "${PG_FAST:-}" = "1" ] && fast=" (PG_FAST: fsync off)"
log "PostgreSQL $MAJOR on 127.0.0.1:$PORT$fast"

# 5. The command; its status is the script's (the EXIT trap keeps it).
set +e
"$@"
status=$?
set -e
exit "$status"
