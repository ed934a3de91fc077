#!/usr/bin/env bash
# Before/after in one run: the same scenarios against two builds, alternating, so that both see the same
# machine load. Usage: compare.sh BEFORE_ROOT AFTER_ROOT [ROUNDS]   (roots built with sync-build.sh)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BEFORE=$1 AFTER=$2 ROUNDS=${3:-1}
OUT=${OUT_BASE:-/tmp/sb-bench}/compare-$(date +%H%M); mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for v in before after; do
    root=$BEFORE; [ $v = after ] && root=$AFTER
    echo "=== round $r $v ($root)"
    SB_ROOT=$root OUT_BASE=$OUT/$v-$r timeout 400 "$HERE/idle-memory.sh" $v 2>&1 | grep -E "load|slope|^(low|high)"
    SB_ROOT=$root OUT_BASE=$OUT/$v-$r timeout 200 "$HERE/fanout.sh" f400k 2000 1 200 2>&1 | grep -E "load|cpu|^delivered|expected|latency p50|latency p99 |latency max|gc|handshake p50"
    PUBLISHERS=10 SB_ROOT=$root OUT_BASE=$OUT/$v-$r timeout 200 "$HERE/fanout.sh" c500 5000 500 2000 2>&1 | grep -E "load|cpu|^delivered|expected|latency p50|latency p99 |latency max|gc|handshake p50"
  done
done
echo "reports in $OUT"
