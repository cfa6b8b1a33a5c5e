#!/usr/bin/env bash
# Segment filter and pivot benchmarks on a 1,000,000-customer SQLite store.
# Usage: bench/analytics.sh [DB]   (default /tmp/dossier-1m.db, generated
# with `dossier demo --customers 1000000` when missing: about 12 minutes)
set -euo pipefail
db=${1:-/tmp/dossier-1m.db}
cd "$(dirname "$0")/.."
if [ ! -f "$db" ]; then
  go run ./cmd/dossier demo --customers 1000000 --db "$db"
fi
uptime
DOSSIER_BENCH_DB="$db" go test ./sqldb -run '^$' -bench 'SegmentFilter|Pivot' -benchtime 5x -count 3
