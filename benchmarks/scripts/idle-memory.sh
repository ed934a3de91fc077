#!/usr/bin/env bash
# Memory per idle authenticated connection: live heap after a full GC and process RSS,
# at LOW then HIGH idle connections on one node (slope = per-connection cost).
# Two loadgen processes: LOW connections first, then HIGH-LOW more while the first still holds.
# Heap sized tightly and pre-touched so that RSS follows live data (docs/performance.md #4).
# Usage: idle-memory.sh [LABEL]   env: LOW=1000 HIGH=11000 HEAP=128m PORT=8080 API=8081 EDGE_ARGS="--transport epoll"
set -euo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-idle}
LOW=${LOW:-1000}; HIGH=${HIGH:-11000}; HEAP=${HEAP:-128m}; PORT=${PORT:-8080}; API=${API:-8081}
NODE=bench-mem-$LABEL
OUT=$OUT_BASE/mem-$LABEL; mkdir -p "$OUT"
LG_PIDS=()
cleanup() { for p in "${LG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; stop_edge "$NODE"; }
trap cleanup EXIT
note_load | tee "$OUT/load.txt"
export SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch ${EXTRA_JAVA_OPTS:-}"
PID=$(start_edge "$NODE" "$PORT" "$API" ${EDGE_ARGS:-})
unset SWITCHBOARD_JAVA_OPTS
JCMD=$JAVA_HOME/bin/jcmd

sessions() { stats "$API" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
wait_sessions() {  # until N sessions, or the count stops rising for 10 s (a few handshakes may time out)
  local last=-1 still=0 n
  for _ in $(seq 1 480); do
    n=$(sessions); n=${n:-0}
    [ "$n" -ge "$1" ] && return 0
    if [ "$n" -eq "$last" ]; then still=$((still+1)); [ $still -ge 20 ] && { echo "settled at $n sessions (wanted $1)" >&2; return 0; }; else still=0; fi
    last=$n; sleep 0.5
  done
  echo "only $(sessions) sessions (wanted $1)" >&2; return 1
}
measure() {  # measure TAG: full GC (histogram), then live heap and RSS
  "$JCMD" "$PID" GC.class_histogram > "$OUT/histo-$1.txt"
  "$JCMD" "$PID" GC.heap_info > "$OUT/heap-$1.txt"
  local live rss
  live=$(tail -1 "$OUT/histo-$1.txt" | awk '{print $3}')
  rss=$(awk '/VmRSS/{print $2*1024}' /proc/$PID/status)
  echo "$1 sessions=$(sessions) live_heap=$live rss=$rss" | tee -a "$OUT/points.txt"
}
: > "$OUT/points.txt"
measure base
"$SB" loadgen --scenario idle --connections "$LOW" --ramp-rate 2000 --duration 600s --timeout 12m \
   --source-addresses 127.0.0.2-127.0.0.5 --jwt-secret "$SECRET" > "$OUT/lg-low.txt" 2>&1 & LG_PIDS+=($!)
wait_sessions "$LOW"; sleep 2; measure low
"$SB" loadgen --scenario idle --connections $((HIGH-LOW)) --ramp-rate 2000 --duration 600s --timeout 12m \
   --source-addresses 127.0.0.6-127.0.0.9 --jwt-secret "$SECRET" > "$OUT/lg-high.txt" 2>&1 & LG_PIDS+=($!)
wait_sessions "$HIGH"; sleep 2; measure high
grep -E "handshake p50|connect_rate" "$OUT/lg-low.txt" "$OUT/lg-high.txt" || true
python3 - "$OUT" <<'PY'
import sys, re
out = sys.argv[1]
pts = {}
for line in open(out + "/points.txt"):
    tag, *kv = line.split()
    pts[tag] = {k: int(v) for k, v in (x.split("=") for x in kv)}
lo, hi = pts["low"], pts["high"]
n = hi["sessions"] - lo["sessions"]
print(f"slope over {n} connections: live heap {(hi['live_heap']-lo['live_heap'])/n:.0f} B/conn, RSS {(hi['rss']-lo['rss'])/n:.0f} B/conn")
def histo(tag):
    d = {}
    for line in open(f"{out}/histo-{tag}.txt"):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m: d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return d
a, b = histo("low"), histo("high")
rows = sorted(((b.get(k, (0, 0))[1] - a.get(k, (0, 0))[1], b.get(k, (0, 0))[0] - a.get(k, (0, 0))[0], k) for k in set(a) | set(b)), reverse=True)
print("top per-connection classes (bytes/conn, instances/conn):")
for d, c, k in rows[:25]:
    print(f"  {d/n:7.1f} B  {c/n:5.2f}  {k}")
PY
note_load | tee -a "$OUT/load.txt"
