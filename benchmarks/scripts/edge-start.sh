#!/usr/bin/env bash
# Start-up of an edge with and without the JDK's ahead-of-time cache (ADR 0015): for each mode, REPEAT
# fresh processes of `bin/switchboard edge` (launcher defaults, in-memory broker), alternating the modes;
# milliseconds from the launch to the first accepted TCP connection, and RSS once it has settled for
# SETTLE seconds (no connection), with its anonymous and file-backed parts (the cache is a mapped file). The cache is made first if missing (bin/switchboard aot-cache), so the
# timing is the start alone.
# Usage: edge-start.sh [LABEL]     env: REPEAT=3 SETTLE=5 SB_ROOT=<checkout of the edge>
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-start}
REPEAT=${REPEAT:-3}; SETTLE=${SETTLE:-5}
OUT=$OUT_BASE/edge-start-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
PID=""
cleanup() { stop_pid "$PID"; }
trap cleanup EXIT
"$SB" aot-cache >/dev/null 2>&1
note_load | tee "$OUT/load.txt"
echo "| mode | run | launch to listening (ms) | RSS after ${SETTLE} s (MiB) | of which anonymous | of which files |" | tee "$OUT/summary.txt"
echo "|---|---|---|---|---|---|" | tee -a "$OUT/summary.txt"
for i in $(seq 1 "$REPEAT"); do
  for mode in off on; do
    PID=$(SWITCHBOARD_AOT=$mode start_edge "start-$mode-$i" 8380 8381) || exit 1
    sleep "$SETTLE"
    mib() { awk -v k="$1" '$1 == k":" {printf "%.1f", $2/1024}' "/proc/$PID/status"; }
    echo "| aot $mode | $i | $(cat "$OUT/start-$mode-$i.listen-ms") | $(mib VmRSS) | $(mib RssAnon) | $(mib RssFile) |" \
      | tee -a "$OUT/summary.txt"
    stop_pid "$PID"; PID=""
  done
done
note_load | tee -a "$OUT/load.txt"
