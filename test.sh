#!/usr/bin/env bash
# Linli's one test command: installs what the tests need when it is missing (PostgreSQL, chromium, a CJK font,
# LibreOffice to read exported spreadsheets),
# starts a private PostgreSQL, runs the integration tests on SQLite and on PostgreSQL (they include Redocly CLI's lint of
# the served OpenAPI document, tools/openapi-lint, which the build installs from npm) and the browser tests,
# and ends with one line "N passed, N failed, N skipped" summed over every run. Exits non-zero when anything
# failed or when no test ran.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

log() { printf '\n==> %s\n' "$*"; }

# --- 1. What the tests need from Debian ----------------------------------------------------------------
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|noto serif cjk' || need+=(fonts-wqy-microhei)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)   # the independent reader of exported xlsx
if [ ${#need[@]} -gt 0 ]; then
  log "Installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "apt-get install ${need[*]} failed"; exit 1; }
fi

# --- 2. A private PostgreSQL, gone when the script ends -----------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGROOT=$(mktemp -d /tmp/linli-pg.XXXXXX)
PGPORT=${LINLI_PG_PORT:-$(( 55432 + RANDOM % 1000 ))}
PGUSER_OS=postgres
id postgres >/dev/null 2>&1 || PGUSER_OS=$(id -un)
chown "$PGUSER_OS" "$PGROOT"
echo postgres > "$PGROOT/pw"; chown "$PGUSER_OS" "$PGROOT/pw"
as_pg() { if [ "$(id -un)" = "$PGUSER_OS" ]; then bash -c "$1"; else su "$PGUSER_OS" -s /bin/bash -c "$1"; fi; }
stop_pg() { as_pg "$PGBIN/pg_ctl -D $PGROOT/data -m immediate stop" >/dev/null 2>&1; rm -rf "$PGROOT"; }
trap stop_pg EXIT
log "Starting a private PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "$PGBIN/initdb -D $PGROOT/data -U postgres --pwfile=$PGROOT/pw -A scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync" >/dev/null \
  || { echo "initdb failed"; exit 1; }
as_pg "$PGBIN/pg_ctl -D $PGROOT/data -l $PGROOT/pg.log -w -o '-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >/dev/null \
  || { echo "PostgreSQL did not start:"; cat "$PGROOT/pg.log"; exit 1; }
export LINLI_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=postgres"

# --- 3. Build once, then the three runs -----------------------------------------------------------------
log "Building (the .NET analyzers and the code style are errors)"
dotnet build Linli.slnx -c Debug -nologo -v quiet || { echo "0 passed, 1 failed, 0 skipped"; echo "The build failed."; exit 1; }

status=0
# The layout the code promises (.editorconfig): whitespace and style, as `dotnet format` would leave them. The analyzers'
# rules already broke the build above if any was broken, so they are not run a second time here.
log "Formatting (dotnet format --verify-no-changes)"
format_failed=0
dotnet format whitespace Linli.slnx --verify-no-changes -v quiet || format_failed=1
dotnet format style Linli.slnx --verify-no-changes --no-restore -v quiet || format_failed=1
[ "$format_failed" -eq 1 ] && { echo "Run: dotnet format Linli.slnx"; status=1; }

run() { # name, project, extra env...
  local name=$1 project=$2; shift 2
  log "Tests: $name"
  env "$@" dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" || status=1
}
run sqlite tests/Linli.Tests LINLI_TEST_PROVIDER=Sqlite
run postgres tests/Linli.Tests LINLI_TEST_PROVIDER=Postgres
run browser tests/Linli.BrowserTests LINLI_TEST_PROVIDER=Sqlite LINLI_SCREENSHOTS="$RESULTS/screenshots"

# --- 4. One closing line, summed over every run ---------------------------------------------------------
passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
[ "$files" -lt 3 ] && { echo "Expected 3 test runs, found $files result files."; status=1; failed=$((failed + 3 - files)); }
[ "$passed" -eq 0 ] && { echo "No test ran."; status=1; }
[ "$failed" -gt 0 ] && status=1
[ "$format_failed" -eq 1 ] && { failed=$((failed + 1)); echo "The code is not formatted as .editorconfig says."; }
echo
echo "Screenshots and results: $RESULTS"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
