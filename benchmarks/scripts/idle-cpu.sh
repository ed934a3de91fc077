#!/usr/bin/env bash
# What idle connections cost in CPU: the edge and the uWebSockets.js comparison server side by side. For each
# server a freshly started process, N idle connections from one loadgen `idle` process (127.0.0.6-127.0.0.9;
# each subscribed to one channel, nothing published), SETTLE for the handshakes' work to end, then the
# server's CPU (user + system, /proc/PID/stat) over WINDOW, and the threads that used it (/proc/PID/task,
# by name). What each server does for an idle connection is its own protocol's: the edge pings every
# --heartbeat (25 s) and sweeps its sessions for timeouts; the uWS server pings near its 120 s idle timeout.
# Usage: idle-cpu.sh [LABEL]
#   env: N=19000 SETTLE=20s WINDOW=60s ORDER="switchboard uws" EDGE_ARGS= EDGE_JAVA_OPTS= SB_ROOT=<checkout>
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-idle-cpu}
N=${N:-19000}; SETTLE=${SETTLE:-20s}; WINDOW=${WINDOW:-60s}; ORDER=${ORDER:-switchboard uws}
OUT=$OUT_BASE/idle-cpu-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
PIDS=(); IDLER=""
cleanup() { [ -n "$IDLER" ] && stop_pid "$IDLER"; for p in "${PIDS[@]}"; do stop_pid "$p"; done; IDLER=""; PIDS=(); }
trap cleanup EXIT
"$LOADGEN" --help >/dev/null 2>&1  # builds this checkout's loadgen if needed
note_load | tee "$OUT/load.txt"

# threads PID: one line per thread: id, name (spaces as _), utime+stime in ticks.
threads() {
  local f
  for f in /proc/"$1"/task/*/stat; do
    sed -E 's/^([0-9]+) \((.*)\) (.*)$/\1 \2\t\3/' "$f" 2>/dev/null \
      | awk -F'\t' '{ split($1, a, " "); name = substr($1, length(a[1]) + 2); gsub(/ /, "_", name); split($2, f, " "); print a[1], name, f[12] + f[13] }'
  done
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

for t in $ORDER; do
  case $t in
    switchboard) export SWITCHBOARD_JAVA_OPTS=${EDGE_JAVA_OPTS:-}
                 PID=$(start_edge ic-edge 8380 8381 ${EDGE_ARGS:-}) || exit 1; URL=ws://127.0.0.1:8380/ws
                 unset SWITCHBOARD_JAVA_OPTS ;;
    uws) PID=$(start_uws ic-uws 7301) || exit 1; URL=ws://127.0.0.1:7301/ ;;
    *) echo "unknown server $t" >&2; exit 2 ;;
  esac
  PIDS+=("$PID")
  "$LOADGEN" loadgen --scenario idle --connections "$N" --ramp-rate 5000 --duration 30m --timeout 40m \
      --target "$t=$URL" --jwt-secret "$SECRET" --source-addresses 127.0.0.6-127.0.0.9 --out "$OUT/lg-$t" \
      > "$OUT/idle-$t.txt" 2>&1 &
  IDLER=$!
  ok=1
  for _ in $(seq 1 900); do grep -q "ready=$N " "$OUT/idle-$t.txt" 2>/dev/null && { ok=0; break; }; sleep 0.2; done
  [ "$ok" = 0 ] || { echo "$t: the idle connections did not open (see $OUT/idle-$t.txt)" >&2; exit 1; }
  sleep "$SETTLE"
  threads "$PID" > "$OUT/threads0-$t.txt"
  c0=$(ticks "$PID"); t0=$(date +%s%N)
  sleep "$WINDOW"
  c1=$(ticks "$PID"); t1=$(date +%s%N)
  threads "$PID" > "$OUT/threads1-$t.txt"
  echo "$t $N $c0 $c1 $t0 $t1 $HZ $(rss_kib "$PID")" | awk '{
      cpu_ms = ($4 - $3) * 1000 / $7; wall_s = ($6 - $5) / 1e9;
      printf "%-11s %6d idle connections: %7.1f ms CPU over %.1f s = %.2f%% of a core, %.3f ms per connection per minute; RSS %.1f MB\n",
             $1, $2, cpu_ms, wall_s, cpu_ms / wall_s / 10, cpu_ms / $2 * 60 / wall_s, $8 / 1024 }' | tee -a "$OUT/summary.txt"
  # Per thread name (numbers folded: edge-node-1-1 and edge-node-1-2 are one kind), ms of CPU in the window.
  awk -v hz="$HZ" 'FNR == NR { before[$1] = $3; next } { d = $3 - before[$1]; if (d > 0) { k = $2; gsub(/[0-9]+/, "N", k); ms[k] += d * 1000 / hz } }
      END { for (k in ms) printf "    %-24s %8.1f ms\n", k, ms[k] }' "$OUT/threads0-$t.txt" "$OUT/threads1-$t.txt" \
      | sort -k2 -rn | head -8 | tee -a "$OUT/summary.txt"
  cleanup
done
