#!/usr/bin/env bash
# Import benchmark: `dossier import` of a customer CSV against the raw loaders
# (sqlite3 .import, psql \copy) on the same file, in the same run.
# Usage: bench/import.sh [ROWS] [PGURL]   (defaults: 100000, local postgres)
# CSV=FILE imports that file instead of exporting ROWS demo customers.
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
# The second reference: the file's columns as text, with the indexes the
# customers table has, on the columns the file holds (c1 is 客户名称, ...).
# Of customers' 16 indexes, the four on columns an import fills with a
# constant (score, updated_at, merged_into, hidden) are left out, (team,
# shared_with_team) becomes (team), which is there already, and the wide
# customers_analysis loses score: 11 indexes.
col() { head -1 "$dir/c.csv" | sed 's/^\xEF\xBB\xBF//' | tr ',' '\n' | grep -nx "$1" | cut -d: -f1 | sed 's/^/c/'; }
textcols() { head -1 "$dir/c.csv" | sed 's/^\xEF\xBB\xBF//' | awk -F, '{for (i=1;i<=NF;i++) printf "%sc%d text", (i>1?", ":""), i}'; }
indexes() {
  local i=0 cols
  while read -r cols; do
    i=$((i + 1))
    printf 'CREATE INDEX raw_%d ON raw (%s);\n' "$i" "$(for l in $cols; do col "$l"; done | paste -sd,)"
  done <<'LIST'
客户名称
统一社会信用代码
所属行业
省份 城市
合作阶段
客户等级
负责人
所属团队
跟进优先级
最近沟通时间
客户等级 合作阶段 跟进优先级 需求匹配度 合作可能性 所属行业 省份 城市 年营收 预估采购金额 员工人数 客户类型 需求类型 最近沟通时间 负责人 所属团队
LIST
}
t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" "$@"; }

if [ -n "${CSV:-}" ]; then
  echo "== data: $CSV"
  ln -s "$(realpath "$CSV")" "$dir/c.csv"
else
  echo "== data: $rows customers from the demo generator, exported to CSV"
  "$d" demo --customers "$rows" --seed 1 --as-of 2026-11-23 --db "$dir/src.db" >/dev/null
  "$d" export "$dir/c.csv" --db "$dir/src.db"
fi
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
echo "== SQLite: sqlite3 .import into a text table with the indexes of customers"
sqlite3 "$dir/rawidx.db" "CREATE TABLE raw ($(textcols)); $(indexes)"
t sqlite3 "$dir/rawidx.db" ".mode csv" ".import --skip 1 $dir/c.csv raw"

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
psql "$url" -qc "CREATE TABLE raw ($(textcols))"
t psql "$url" -qc "\\copy raw FROM '$dir/c.csv' CSV HEADER"
echo "== PostgreSQL: psql \\copy into a text table with the indexes of customers"
psql "$url" -qc "DROP TABLE raw" -c "CREATE TABLE raw ($(textcols))" -c "$(indexes)"
t psql "$url" -qc "\\copy raw FROM '$dir/c.csv' CSV HEADER"
psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)"
