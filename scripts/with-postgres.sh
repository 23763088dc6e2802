#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster on loopback.
# Installs PostgreSQL with apt-get when missing; the cluster is removed at the end.
set -euo pipefail
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
PORT=${PGPORT_CI:-5433}
D=$(mktemp -d /tmp/gc-pg.XXXXXX)
mkdir -p "$D/pg" "$D/sock"
chown -R postgres: "$D" && chmod 700 "$D/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$D/pg" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg" -l "$D/pg.log" \
  -o "-p $PORT -k $D/sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
  -w start >/dev/null
cleanup() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$D"
}
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres greencommunity
export DATABASE_URL="postgresql://postgres@127.0.0.1:${PORT}/greencommunity"
export PATH="$PGBIN:$PATH"   # pg_dump / pg_restore of the same version, for backup tests
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"$@"
