#!/usr/bin/env bash
# make bench: one command that generates a demo store and measures, in the
# same run and side by side with their references, what the issues set goals
# for. It prints a Markdown report and writes it to bench/results/DATE.md and
# bench/results/latest.md (never to BENCHMARKS.md, whose narrative is written
# by hand), so every figure in BENCHMARKS.md can be reproduced with its
# machine facts.
#
# Usage: bench/run.sh [CUSTOMERS] [PGURL]
#   CUSTOMERS  demo size (default 100000; the issues' goals are at 1000000)
#   PGURL      a PostgreSQL server for the PostgreSQL half (default local;
#              SKIP_PG=1 skips it)
#   LOAD_DURATION  how long the load benchmark runs per store (default 60s)
# Each step is one of the scripts or commands below; run them alone to dig in.
set -euo pipefail
n=${1:-100000}
pg=${2:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
cd "$(dirname "$0")/.."
root=$(pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%dT%H%M)-$n.md"
go build -o "$dir/dossier" ./cmd/dossier
d="$dir/dossier"
today=$(date -u +%Y-%m-%d)
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
load_for=${LOAD_DURATION:-60s}
clients=32

# bench_into_md MD REPORT: replaces what lies between the make-bench markers
# of MD with REPORT (the markers stay; nothing else in MD changes).
bench_into_md() {
	local md=$1 report=$2 tmp
	tmp=$(mktemp)
	awk -v report="$report" '
		/^<!-- make-bench:start -->$/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
		/^<!-- make-bench:end -->$/ { skip = 0 }
		!skip { print }
	' "$md" >"$tmp" && cat "$tmp" >"$md"
	rm -f "$tmp"
}

# timed CMD...: runs CMD, appends "wall s | CPU s | peak MB" to $row.
timed() {
	local f="$dir/time"
	/usr/bin/time -o "$f" -f "%e %U %S %M" "$@" >"$dir/last.out" 2>"$dir/last.err" || {
		echo "failed: $*" >&2
		cat "$dir/last.err" >&2
		return 1
	}
	read -r wall user sys kb <"$f"
	awk -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" 'BEGIN { printf "%s s | %.1f s | %d MB", w, u + s, k / 1024 }'
}

{
	echo "# make bench: $n customers, $(date -u +%Y-%m-%d)"
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; $(go version | cut -d' ' -f3); $(git rev-parse --short HEAD); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| step | store | wall | CPU | peak RSS |"
	echo "|---|---|---:|---:|---:|"
	echo "| \`dossier demo --customers $n --as-of $today\` | SQLite | $(timed "$d" demo --customers "$n" --seed 1 --as-of "$today" --db "$dir/b.db") |"
	echo "| \`dossier score\` (everything recomputed, same day) | SQLite | $(timed "$d" score --as-of "$today" --db "$dir/b.db") |"
	echo "| \`dossier score --as-of\` the next day (the nightly run) | SQLite | $(timed "$d" score --as-of "$tomorrow" --db "$dir/b.db") |"
	echo "| \`dossier score --as-of\` the next day again | SQLite | $(timed "$d" score --as-of "$tomorrow" --db "$dir/b.db") |"
	echo "| \`dossier dedupe\` (store, into the review queue) | SQLite | $(timed "$d" dedupe --db "$dir/b.db") |"
	echo "| \`dossier pivot --rows industry_top --cols grade\` | SQLite | $(timed "$d" pivot --rows industry_top --cols grade --json --db "$dir/b.db") |"
	echo "| \`dossier export --filter 'grade = 重点 AND need_match >= 4'\` | SQLite | $(timed "$d" export "$dir/seg.csv" --filter 'grade = 重点 AND need_match >= 4' --db "$dir/b.db") |"
	if [ -z "${SKIP_PG:-}" ]; then
		local_db="dossier_bench_$$"
		psql "$pg" -qc "CREATE DATABASE $local_db" >/dev/null
		pgdb="${pg/\/postgres\?//$local_db?}"
		echo "| \`dossier demo --customers $n\` | PostgreSQL | $(timed "$d" demo --customers "$n" --seed 1 --db "$pgdb") |"
		echo "| \`dossier score\` | PostgreSQL | $(timed "$d" score --db "$pgdb") |"
		echo "| \`dossier pivot --rows industry_top --cols grade\` | PostgreSQL | $(timed "$d" pivot --rows industry_top --cols grade --json --db "$pgdb") |"
		echo
		echo "## List, profile and pivot latency under $clients clients, PostgreSQL (bench/load.sh)"
		echo
		DOSSIER_BIN="$d" bench/load.sh "$pgdb" "$load_for" "$clients" 2>&1
		echo
		psql "$pg" -qc "DROP DATABASE $local_db" >/dev/null
	fi
	echo
	echo "## List, profile and pivot latency under $clients clients, SQLite (bench/load.sh)"
	echo
	DOSSIER_BIN="$d" bench/load.sh "$dir/b.db" "$load_for" "$clients" 2>&1
	echo
	echo "## Import against the raw loaders (bench/import.sh $n)"
	echo
	echo '```'
	if [ -n "${SKIP_PG:-}" ]; then
		echo "(PostgreSQL skipped)"
	fi
	bench/import.sh "$n" "$pg" 2>&1
	echo '```'
	echo
	echo "## Segment filters and pivots (Go benchmarks on the same store)"
	echo
	echo '```'
	DOSSIER_BENCH_DB="$dir/b.db" go test ./sqldb -run '^$' -bench 'SegmentFilter|Pivot' -benchtime 3x 2>&1 | grep -E '^(Benchmark|ok)'
	echo '```'
	echo
	echo "## Server time of the main HTML pages, one request at a time (http BenchmarkPages)"
	echo
	echo '```'
	DOSSIER_BENCH_DB="$dir/b.db" go test ./http -run '^$' -bench Pages -benchtime 10x 2>&1 | grep -E '^(Benchmark|ok)'
	echo '```'
	echo
	echo "## Serve memory at rest and after a burst of requests (bench/memory.sh)"
	echo
	echo '```'
	SKIP_EXPORT=1 bench/memory.sh "$dir/b.db" 1000 2>&1
	echo '```'
	echo
	echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg). Medians and ratios belong in BENCHMARKS.md; this file is the raw run."
} | tee "$root/$out"
cp "$root/$out" "$root/bench/results/latest.md"
# BENCHMARKS.md keeps the tables of the last run between two markers, so the
# figures it quotes can be checked against a reproducible run; the narrative
# around them is written by hand.
bench_into_md "$root/BENCHMARKS.md" "$root/$out"
echo "written to $out, bench/results/latest.md and BENCHMARKS.md's last-run block" >&2
