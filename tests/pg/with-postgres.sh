#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb into a temp dir, start it on a free localhost port
# (trust auth, nothing else listens), export DATABASE_URL, run the command, stop and delete the cluster.
#   tests/pg/with-postgres.sh npx vitest run --config vitest.pg.config.ts
# Uses Debian's packages (apt-get install -y postgresql). initdb refuses to run as root, so as root the cluster is
# run by the `postgres` system user (created by the package). Exits 0 without running anything when PostgreSQL is
# not installed and LMC_REQUIRE_PG is not "true" (so `npm test` still works on a machine without it).
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then bindir="$(pg_config --bindir)"; fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -z "$bindir" ] && [ -x "$candidate/initdb" ] && bindir="$candidate"
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "${LMC_REQUIRE_PG:-false}" = "true" ]; then echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; fi
  echo "PostgreSQL is not installed: skipping the PostgreSQL run (apt-get install -y postgresql)" >&2
  exit 0
fi

as_owner=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_owner=(runuser -u postgres --)
fi
# The server's commands run from the cluster's directory: the `postgres` user may not be allowed into the checkout.
pg() { (cd "$dir" && "${as_owner[@]}" "$@"); }

dir="$(mktemp -d "${TMPDIR:-/tmp}/lmc-pg-XXXXXX")"
chmod 755 "$dir"
[ "${#as_owner[@]}" -gt 0 ] && chown postgres "$dir"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

stop() {
  pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
# Without these, SIGTERM or SIGINT would end this shell without its EXIT trap (the cluster would be left running).
trap 'exit 143' TERM
trap 'exit 130' INT

pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# A test cluster: durability off (fsync, synchronous_commit) since it is deleted afterwards; enough connections for
# the test workers' pools and two app instances.
pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port (throwaway cluster in $dir)"
"$@"
