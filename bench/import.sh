#!/usr/bin/env bash
# Import benchmark: `dossier import` of a customer CSV against the raw loaders
# (sqlite3 .import, psql \copy) on the same file, in the same run.
# Usage: bench/import.sh [ROWS] [PGURL]   (defaults: 100000, local postgres)
# BASELINE=REV also times the importer of an earlier revision (git archive)
# on the same file in the same run, so a change is measured under one load.
set -euo pipefail
rows=${1:-100000}
pg=${2:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/.."
go build -o "$dir/dossier" ./cmd/dossier
d="$dir/dossier"
t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" "$@"; }

echo "== data: $rows customers from the demo generator, exported to CSV"
"$d" demo --customers "$rows" --seed 1 --as-of 2026-11-23 --db "$dir/src.db" >/dev/null
"$d" export "$dir/c.csv" --db "$dir/src.db"
ls -la "$dir/c.csv" | awk '{print $5 " bytes"}'

echo "== SQLite: dossier import"
t "$d" import "$dir/c.csv" --db "$dir/imp.db" | tail -2
if [ -n "${BASELINE:-}" ]; then
  mkdir "$dir/base"
  git archive "$BASELINE" | tar -x -C "$dir/base"
  (cd "$dir/base" && go build -o "$dir/dossier-base" ./cmd/dossier)
  echo "== SQLite: dossier import at $BASELINE"
  t "$dir/dossier-base" import "$dir/c.csv" --db "$dir/base.db" | tail -2
fi
echo "== SQLite: sqlite3 .import (raw text table, no validation)"
t sqlite3 "$dir/raw.db" ".mode csv" ".import $dir/c.csv raw"

db="dossier_importbench_$$"
psql "$pg" -qc "CREATE DATABASE $db"
url=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/$db').geturl())" "$pg")
echo "== PostgreSQL: dossier import"
t "$d" import "$dir/c.csv" --db "$url" | tail -2
if [ -n "${BASELINE:-}" ]; then
  psql "$pg" -qc "CREATE DATABASE ${db}_base"
  burl=$(python3 -c "import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path='/${db}_base').geturl())" "$pg")
  echo "== PostgreSQL: dossier import at $BASELINE"
  t "$dir/dossier-base" import "$dir/c.csv" --db "$burl" | tail -2
  psql "$pg" -qc "DROP DATABASE ${db}_base WITH (FORCE)"
fi
echo "== PostgreSQL: psql \\copy (raw text table, no validation)"
cols=$(head -1 "$dir/c.csv" | sed 's/^\xEF\xBB\xBF//' | awk -F, '{for (i=1;i<=NF;i++) printf "%sc%d text", (i>1?", ":""), i}')
psql "$url" -qc "CREATE TABLE raw ($cols)"
t psql "$url" -qc "\\copy raw FROM '$dir/c.csv' CSV HEADER"
psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)"
