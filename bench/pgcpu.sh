#!/usr/bin/env bash
# pgcpu.sh LABEL DB -- CMD...: runs CMD (which uses the PostgreSQL database
# DB on this machine) under /usr/bin/time and samples, every 0.5 s, the CPU
# (utime + stime from /proc) of every server backend connected to DB, so the
# server's share of the work is counted beside the client's. Needs to read
# the backends' /proc (same machine, root or the postgres user).
# Prints: LABEL wall user sys peak_rss_kb server_cpu_s rc | the summary line
set -u
label=$1 db=$2; shift 3
P=${PGADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
tck=$(getconf CLK_TCK)
out=$(mktemp); mon=$(mktemp)
( while :; do
    for pid in $(psql "$P" -Atc "select pid from pg_stat_activity where datname='$db'"); do
      s=$(cut -d' ' -f14,15 /proc/$pid/stat 2>/dev/null) && echo "$pid $s"
    done
    sleep 0.5
  done ) > "$mon" &
mp=$!
/usr/bin/time -o "$out" -f "%e %U %S %M" "$@" > "$out.stdout" 2> "$out.stderr"
rc=$?
kill $mp; wait $mp 2>/dev/null
srv=$(awk -v t=$tck '{u[$1]=$2+$3} END {s=0; for (p in u) s+=u[p]; printf "%.2f", s/t}' "$mon")
echo "$label $(tail -1 $out) $srv rc=$rc | $(grep -a 'imported' $out.stdout | tail -1)"
rm -f "$out" "$mon" "$out.stdout" "$out.stderr"
