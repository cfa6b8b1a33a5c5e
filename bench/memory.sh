#!/usr/bin/env bash
# Memory benchmark: `dossier serve` RSS at rest and after a burst of requests
# on a demo store, and the peak RSS of exporting it (which must stay flat in
# the number of customers).
# Usage: bench/memory.sh DB [REQUESTS]   (SKIP_EXPORT=1 skips the export)
#   DB is a store made with `dossier demo --customers N --db DB` (SQLite file
#   or postgres:// URL); it gains a user "membench" if it has none.
set -euo pipefail
db=${1:?usage: bench/memory.sh DB [REQUESTS]}
requests=${2:-2000}
dir=$(mktemp -d)
cd "$(dirname "$0")/.."
go build -o "$dir/dossier" ./cmd/dossier
d="$dir/dossier"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

rss() { awk '/^VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

"$d" user add membench --role admin --password membench-password --db "$db" >/dev/null 2>&1 || true
tok=$("$d" token membench --db "$db" | tail -1 | awk '{print $NF}')

port=$((20000 + RANDOM % 20000))
"$d" serve --db "$db" --addr "127.0.0.1:$port" --metrics-token membench >"$dir/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
sleep 5
echo "serve at rest (5 s after start): RSS $(rss $pid)"

total=$(curl -sf -H "Authorization: Bearer $tok" "http://127.0.0.1:$port/api/v1/customers?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "customers: $total"
# A burst: list pages at random offsets and profiles of random customers,
# 8 at a time.
t0=$(date +%s.%N)
seq "$requests" | xargs -P 8 -I{} sh -c '
  i=$(( ( $(od -An -N4 -tu4 /dev/urandom) % '"$total"' ) + 1 ))
  if [ $((i % 2)) -eq 0 ]; then u="customers?limit=50&offset=$((i % ('"$total"' - 50)))"; else u="customers/$i"; fi
  curl -sf -o /dev/null -H "Authorization: Bearer '"$tok"'" "http://127.0.0.1:'"$port"'/api/v1/$u"'
t1=$(date +%s.%N)
echo "serve after $requests API requests (list pages and profiles, $(echo "$t1 - $t0" | bc) s): RSS $(rss $pid), peak $(hwm $pid)"
gomem() { curl -sf -H "Authorization: Bearer membench" "http://127.0.0.1:$port/metrics" |
  awk '/^go_memstats_heap_inuse_bytes/ {h=$2} /^go_memstats_sys_bytes/ {s=$2} END {printf "Go heap in use %.0f MB, Go runtime total %.0f MB", h/1048576, s/1048576}'; }
case "$db" in
  postgres*) echo "  of which $(gomem)" ;;
  *) echo "  of which $(gomem); the rest is mostly SQLite's page caches (up to 64 MiB per connection) and malloc arenas" ;;
esac
sleep 10
echo "serve at rest 10 s later: RSS $(rss $pid); $(gomem)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

[ -n "${SKIP_EXPORT:-}" ] && exit 0
/usr/bin/time -f "%e s wall, %M KB peak RSS" "$d" export "$dir/all.csv" --db "$db" 2>&1 | tail -2
ls -la "$dir/all.csv" | awk '{print "export file: " $5 " bytes"}'
