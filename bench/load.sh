#!/usr/bin/env bash
# Load benchmark: `dossier serve` on a store under concurrent clients
# (bench/load: list pages, profiles and pivots with a bearer token), then
# the server's RSS right after and at rest 10 s later.
# Usage: bench/load.sh DB [DURATION] [CLIENTS]
#   DB is a store made with `dossier demo` (SQLite file or postgres:// URL);
#   it gains a user "loadbench" if it has none. SERVE_ARGS adds flags to
#   serve (e.g. SERVE_ARGS="--sqlite-memory 0"); DOSSIER_BIN uses a built
#   binary instead of building this checkout's. LOAD_MIX sets the weights
#   of the request kinds (default list=45,profile=45,pivot=10; "write"
#   records an interaction, emptying every cached total and pivot).
set -euo pipefail
db=${1:?usage: bench/load.sh DB [DURATION] [CLIENTS]}
duration=${2:-60s}
clients=${3:-32}
case $db in postgres*) ;; *) db=$(realpath -m "$db") ;; esac # before the cd below
dir=$(mktemp -d)
cd "$(dirname "$0")/.."
d=${DOSSIER_BIN:-$dir/dossier}
[ -n "${DOSSIER_BIN:-}" ] || go build -o "$d" ./cmd/dossier
go build -o "$dir/load" ./bench/load
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
rss() { awk '/^VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }
# cpu PID: the process's user + system time in seconds.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

"$d" user add loadbench --role admin --password loadbench-password --db "$db" >/dev/null 2>&1 || true
tok=$("$d" token loadbench --db "$db" | tail -1 | awk '{print $NF}')
port=$((20000 + RANDOM % 20000))
# shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
"$d" serve --db "$db" --addr "127.0.0.1:$port" ${SERVE_ARGS:-} >"$dir/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
sleep 2
at_start=$(rss $pid)
cpu0=$(cpu $pid)
"$dir/load" -url "http://127.0.0.1:$port" -token "$tok" -clients "$clients" -duration "$duration" -mix "${LOAD_MIX:-list=45,profile=45,pivot=10}" \
	-title "Store: $db (${SERVE_ARGS:-default flags}); load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$dir/load.out"
after=$(rss $pid)
# The server's own CPU per request: on a shared machine, the steadier figure.
requests=$(awk -F'|' '$2 ~ /^ all / {print $3}' "$dir/load.out")
echo
echo "serve CPU during the load (warm-up included): $(awk -v a="$cpu0" -v b="$(cpu $pid)" -v n="$requests" 'BEGIN {printf "%.1f s, %.1f ms per measured request", b - a, 1000 * (b - a) / n}')"
sleep 35 # serve hands freed memory back every 30 s
echo
echo "serve RSS: $at_start after start, $after right after the load, $(rss $pid) at rest 35 s later; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
