#!/usr/bin/env bash
# Snapshot benchmarks (R32) on a copy of a 1,000,000-customer SQLite store:
# taking a snapshot writes to it, so the source stays untouched.
# Usage: bench/snapshot.sh SOURCE.db [SCRATCH_DIR]
set -euo pipefail
src=${1:?usage: bench/snapshot.sh SOURCE.db [SCRATCH_DIR]}
dir=${2:-$(mktemp -d /tmp/dossier-snapshot-bench.XXXXXX)}
mkdir -p "$dir"
cd "$(dirname "$0")/.."
cp "$src" "$dir/bench.db"
for ext in -wal -shm; do [ -f "$src$ext" ] && cp "$src$ext" "$dir/bench.db$ext"; done
trap 'rm -rf "$dir"' EXIT
uptime
DOSSIER_BENCH_DB="$dir/bench.db" go test ./sqldb -run '^$' -bench 'SnapshotTake' -benchtime 1x -count 3 -timeout 60m
DOSSIER_BENCH_DB="$dir/bench.db" go test ./sqldb -run '^$' -bench 'SnapshotCompare' -benchtime 3x -count 3 -timeout 60m
ls -l "$dir"
