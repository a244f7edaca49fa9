#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue #10 item 6: a PostgreSQL password never leaks. Starts a real PostgreSQL + PostGIS
# on a Unix socket in a temporary folder (no TCP), makes a role with a scram password and
# a table of sites, then drives the CLI and the GUI with every libpq form of a password
# and asserts that the password appears in no stdout, stderr, scenario, autosave, view
# dump or output file, and that a saved scenario reopens with PGPASSFILE/PGPASSWORD.
# Exits 77 (ctest SKIP_RETURN_CODE) when PostgreSQL or PostGIS cannot start here.
#
# usage: test_pg_secrets.sh ENABLEMENT_CLI PLUGIN_DIR [ENABLEMENT_GUI]
set -uo pipefail

CLI=$1
PLUGINS=$2
GUI=${3:-}
SECRET=SECRETxyz

skip() {
    echo "SKIPPED: $*"
    exit 77
}
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# --- find PostgreSQL and PostGIS ------------------------------------------------------
bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d; done
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null; then bindir=$(dirname "$(command -v pg_ctl)"); fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
    skip "PostgreSQL server binaries not found (apt-get install postgresql-15 postgresql-15-postgis-3)"
PSQL="$bindir/psql"
[ -x "$PSQL" ] || PSQL=$(command -v psql) || skip "psql not found"
sharedir=$("$bindir/pg_config" --sharedir 2>/dev/null || true)
[ -z "$sharedir" ] || [ -f "$sharedir/extension/postgis.control" ] ||
    skip "PostGIS is not installed for $(basename "$(dirname "$bindir")") (apt-get install postgresql-15-postgis-3)"

# postgres refuses to run as root (CI runs as root): then it runs as the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no 'postgres' user to run the server as"
    command -v runuser >/dev/null || skip "running as root and runuser is missing"
    as_pg=(runuser -u postgres --)
fi

tmp=$(mktemp -d /tmp/mp-pg.XXXXXX) || skip "cannot create a temporary folder"
chmod 755 "$tmp"
mkdir -p "$tmp/db" "$tmp/sock" "$tmp/work/out" "$tmp/work/home" "$tmp/work/state" "$tmp/secret"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$tmp/db" "$tmp/sock"
chmod 700 "$tmp/secret"
sock="$tmp/sock"
stop_server() {
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/db" -m immediate -w stop >/dev/null 2>&1
    [ -n "${gui_pid:-}" ] && kill "$gui_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap stop_server EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$tmp/db" -U pgadmin --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 ||
    skip "initdb failed: $(tail -3 "$tmp/initdb.log")"
{
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$sock'"
    echo "fsync = off"
    echo "password_encryption = 'scram-sha-256'"
} >>"$tmp/db/postgresql.conf"
# The administrator (set-up only) is trusted; every other role must give its password.
printf 'local all pgadmin trust\nlocal all all scram-sha-256\n' >"$tmp/db/pg_hba.conf"
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/db" -l "$tmp/db/server.log" -w -t 60 start >/dev/null 2>&1 ||
    skip "PostgreSQL did not start: $(tail -3 "$tmp/db/server.log" 2>/dev/null)"

psql_admin() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U pgadmin "$@"; }
psql_admin -d postgres -c "CREATE DATABASE gis" >/dev/null 2>"$tmp/psql.log" ||
    skip "cannot create a database: $(cat "$tmp/psql.log")"
psql_admin -d gis -c "CREATE EXTENSION postgis" >/dev/null 2>"$tmp/psql.log" ||
    skip "CREATE EXTENSION postgis failed: $(cat "$tmp/psql.log")"
psql_admin -d gis >/dev/null <<SQL || skip "cannot set up the test data"
CREATE ROLE planner LOGIN PASSWORD '$SECRET';
CREATE TABLE pg_sites (fid serial PRIMARY KEY, id text, kind text, name_en text, geom geometry(Point, 4326));
INSERT INTO pg_sites (id, kind, name_en, geom) VALUES
  ('pg-port-1', 'port', 'Harbour One', ST_SetSRID(ST_MakePoint(4.40, 51.22), 4326)),
  ('pg-port-2', 'port', 'Quay Two', ST_SetSRID(ST_MakePoint(3.20, 51.33), 4326));
ALTER TABLE pg_sites OWNER TO planner;
SQL

# No password from the caller's environment or home: only what each step gives.
unset PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGHOST PGUSER PGDATABASE
export HOME="$tmp/work/home" XDG_STATE_HOME="$tmp/work/state"
W="$tmp/work"

# Every libpq form of the password (keyword/value, spaces around '=', quoted with an
# escaped quote in a second role's password, URI user info with and without GDAL's PG:
# prefix, URI query parameter, percent-encoded query key).
psql_admin -d gis -c "CREATE ROLE quoted LOGIN PASSWORD 'SECRETxyz a''b'; GRANT SELECT ON pg_sites TO quoted" \
    >/dev/null || skip "cannot create the second role"
enc_sock=${sock//\//%2F}
forms=(
    "PG:host=$sock dbname=gis user=planner password=$SECRET"
    "PG:host=$sock dbname=gis user=planner password = $SECRET"
    "PG:host=$sock dbname=gis user=quoted password='SECRETxyz a\\'b'"
    "PG:postgresql://planner:$SECRET@$enc_sock/gis"
    "postgresql://planner:$SECRET@$enc_sock/gis"
    "PG:postgresql:///gis?host=$enc_sock&user=planner&password=$SECRET"
    "PG:postgresql://planner@$enc_sock/gis?pass%77ord=$SECRET"
)
# (GDAL 3.6 passes only "postgresql://" URIs through to libpq as URIs; "postgres://" is
# masked all the same: tests/core/test_session.cpp.)

n=0
expect() {  # expect CODE LABEL cmd...: runs cmd, keeping its stdout and stderr under work/
    local code=$1 label=$2
    shift 2
    n=$((n + 1))
    "$@" >"$W/$n.out" 2>"$W/$n.err"
    local got=$?
    if [ "$got" -ne "$code" ]; then
        fail "$label: exit $got, expected $code; stderr: $(head -c 600 "$W/$n.err")"
    fi
}
has() { grep -q -- "$2" "$W/$1" || fail "$1 lacks '$2': $(head -c 400 "$W/$1")"; }

f=0
for conn in "${forms[@]}"; do
    f=$((f + 1))
    expect 0 "layers ($conn)" "$CLI" layers --no-default-data --data "$conn"
    has "$n.out" pg_sites
    has "$n.out" "gis"
    expect 0 "sites" "$CLI" sites --no-default-data --data "$conn"
    has "$n.out" pg-port-1
    expect 0 "info" "$CLI" info pg-port-1 --no-default-data --data "$conn"
    has "$n.out" "Harbour One"
    expect 0 "export" "$CLI" export pg_sites --out "$W/out/sites-$f.geojson" --no-default-data --data "$conn"
    grep -q "Quay Two" "$W/out/sites-$f.geojson" || fail "export of form $f wrote no sites"
done
base="${forms[0]}"

# Errors quote the source (and libpq's message): a wrong password, a wrong database, a
# table that is not there, a usage error.
expect 3 "wrong password" "$CLI" layers --no-default-data --data "${base/password=$SECRET/password=${SECRET}WRONG}"
has "$n.err" "password"
expect 3 "no such database" "$CLI" layers --no-default-data --data "${base/dbname=gis/dbname=nope}"
expect 3 "no such layer" "$CLI" export nope --out "$W/out/nope.geojson" --no-default-data --data "$base"
expect 2 "usage error" "$CLI" layers --no-default-data --data "$base" --bogus "$base"
# A plugin run in process and isolated, a connection string as a parameter value.
for mode in --in-process --isolated; do
    expect 0 "run echo $mode" "$CLI" run echo "$mode" --plugin-dir "$PLUGINS" --no-default-data --data "$base" \
        -p site=pg-port-1 -p layer=pg_sites -p "title=$base" --out "$W/out/echo$mode.geojson"
    has "$n.err" "layer pg_sites has 2 features"
done

# --- the GUI: a saved scenario, its autosave, its view dump -----------------------------
if [ -n "$GUI" ] && [ -x "$GUI" ] && command -v xvfb-run >/dev/null; then
    scen="$W/saved.scenario.json"
    expect 0 "gui save" xvfb-run -a "$GUI" --no-default-data --data "$base" --plugin-dir "$PLUGINS" \
        --run echo -p site=pg-port-1 -p layer=pg_sites -p "title=$base" --frames 2 \
        --screenshot "$W/out/gui.png" --save-scenario "$scen" --dump-view "$W/out/view.json"
    [ -f "$scen" ] || fail "the GUI saved no scenario"
    [ "$(stat -c %a "$scen")" = 600 ] || fail "scenario mode $(stat -c %a "$scen"), expected 600"
    grep -q "dbname=gis" "$scen" || fail "the scenario lost the connection: $(head -c 600 "$scen")"
    grep -q "user=planner" "$scen" || fail "the scenario lost the user"

    # The autosave of an interactive session (written at once, then every 10 s).
    auto="$W/state/enablement/autosave.scenario.json"
    MP_GUI="$GUI" MP_CONN="$base" MP_PIDFILE="$tmp/gui.pid" xvfb-run -a sh -c \
        'echo $$ >"$MP_PIDFILE"; exec "$MP_GUI" --no-default-data --data "$MP_CONN"' \
        >"$W/gui-live.out" 2>"$W/gui-live.err" &
    xvfb_pid=$!
    for _ in $(seq 1 300); do
        [ -s "$auto" ] && grep -q pg_sites "$auto" 2>/dev/null && break
        sleep 0.2
    done
    gui_pid=$(cat "$tmp/gui.pid" 2>/dev/null)
    [ -z "$gui_pid" ] || kill "$gui_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    gui_pid=""
    if [ -f "$auto" ]; then
        [ "$(stat -c %a "$auto")" = 600 ] || fail "autosave mode $(stat -c %a "$auto"), expected 600"
        grep -q "user=planner" "$auto" || fail "the autosave lost the connection"
    else
        fail "the GUI wrote no autosave at $auto"
    fi

    expect 0 "scenario info" "$CLI" scenario info "$scen"
    has "$n.out" "user=planner"
    # Reopened without a password: refused, saying where the password should come from.
    expect 3 "scenario run without a password" "$CLI" scenario run "$scen" --plugin-dir "$PLUGINS" --out "$W/runs0"
    has "$n.err" "pgpass"
    has "$n.err" "PGPASSWORD"
    # With a password file (libpq reads it by itself), and with PGPASSWORD.
    printf '*:*:gis:planner:%s\n' "$SECRET" >"$tmp/secret/pgpass"
    chmod 600 "$tmp/secret/pgpass"
    expect 0 "scenario run with PGPASSFILE" env PGPASSFILE="$tmp/secret/pgpass" \
        "$CLI" scenario run "$scen" --plugin-dir "$PLUGINS" --out "$W/runs1"
    ls "$W"/runs1/*.geojson >/dev/null 2>&1 || fail "scenario run wrote no result"
    grep -q "pg-port-1\|Harbour One" "$W"/runs1/*.geojson || fail "the re-run did not see the PostGIS sites"
    expect 0 "scenario run with PGPASSWORD" env PGPASSWORD="$SECRET" \
        "$CLI" scenario run "$scen" --plugin-dir "$PLUGINS" --out "$W/runs2"
    expect 0 "autosave reopened with PGPASSFILE" env PGPASSFILE="$tmp/secret/pgpass" \
        "$CLI" layers --no-default-data --data "$(grep -o '"PG:[^"]*"' "$auto" | head -1 | tr -d '"')"
    has "$n.out" pg_sites
else
    echo "note: enablement-gui or xvfb-run missing: the scenario save/autosave part is not run"
fi

# --- the one assertion that matters -----------------------------------------------------
if grep -r -l -a -- "$SECRET" "$W" >"$tmp/leaks" 2>/dev/null; then
    while read -r f; do fail "the password is in $f: $(grep -a -o -- ".\{0,60\}$SECRET.\{0,20\}" "$f" | head -2)"; done \
        <"$tmp/leaks"
fi
echo "$n commands run, $failures failures"
[ "$failures" -eq 0 ]
