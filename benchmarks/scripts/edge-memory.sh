#!/usr/bin/env bash
# Where the edge's memory goes, per idle connection: one edge (launcher defaults plus native memory
# tracking, or EDGE_JAVA_OPTS), ROUNDS rounds of N connections each subscribed to channel i mod CHANNELS
# (loadgen --scenario rounds, CONC handshakes in flight), held HOLD. At start and while each round is
# held (no forced GC): RSS, the resident part of the Java heap (its mappings in /proc/PID/smaps), G1's
# committed heap, and NMT's committed memory by category. At the end of the last round a class histogram
# (a full GC) gives the live heap, and again once the connections closed: the difference per connection
# is the live heap a connection holds, with the classes that make it up; the difference from a histogram
# taken before the first round is printed too.
# Usage: edge-memory.sh [LABEL]
#   env: N=10000 CHANNELS=1000 CONC=100 ROUNDS=2 HOLD=20s EDGE_ARGS="--redis redis://127.0.0.1:6379"
#        EDGE_JAVA_OPTS= (added to the launcher's options) SB_ROOT=<checkout of the edge>
#        PORT=8280 API_PORT=8281 (another pair lets two runs share the machine)
#        ALLOC=1: also a flight recording from before the first round to the end (started with jcmd, which keeps
#        the AOT cache; alloc.jfc): what each kind of thread allocated per connection, and the GC pauses
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-mem}
PORT=${PORT:-8280}; API_PORT=${API_PORT:-8281}
N=${N:-10000}; CHANNELS=${CHANNELS:-1000}; CONC=${CONC:-100}; ROUNDS=${ROUNDS:-2}; HOLD=${HOLD:-20s}
OUT=$OUT_BASE/edge-memory-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
JCMD=$JAVA_HOME/bin/jcmd
PIDS=(); LG=""
cleanup() { [ -n "$LG" ] && kill "$LG" 2>/dev/null; for p in "${PIDS[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
"$LOADGEN" --help >/dev/null 2>&1
note_load | tee "$OUT/load.txt"

export SWITCHBOARD_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${EDGE_JAVA_OPTS:-}"
PID=$(start_edge "mem-edge-$PORT" "$PORT" "$API_PORT" ${EDGE_ARGS:-}) || exit 1; PIDS+=("$PID")
unset SWITCHBOARD_JAVA_OPTS
connections() { stats "$API_PORT" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }

# snapshot TAG: RSS, heap residency and NMT, no GC.
snapshot() {
  cp "/proc/$PID/smaps" "$OUT/smaps-$1.txt" 2>/dev/null
  "$JCMD" "$PID" GC.heap_info > "$OUT/heap-$1.txt"
  "$JCMD" "$PID" VM.native_memory summary > "$OUT/nmt-$1.txt"
  grep -E "^(VmRSS|RssAnon|RssFile|RssShmem)" "/proc/$PID/status" > "$OUT/status-$1.txt"
  echo "$1 connections=$(connections) rss_kib=$(rss_kib "$PID")" | tee -a "$OUT/points.txt"
}
sleep 5
snapshot start
# A full GC before the first round too: the live heap per connection is also taken against this (state that a
# round leaves behind after its connections closed, such as last-seen entries, is then not subtracted).
"$JCMD" "$PID" GC.class_histogram > "$OUT/histo-start.txt"

[ "${ALLOC:-0}" = 1 ] && "$JCMD" "$PID" JFR.start name=alloc settings="$(dirname "$0")/alloc.jfc" > /dev/null
"$LOADGEN" loadgen --scenario rounds --connections "$N" --channels "$CHANNELS" --connect-concurrency "$CONC" \
    --rounds "$ROUNDS" --duration "$HOLD" --drain 5s --timeout 10m --handshake-timeout 30s \
    --target switchboard="ws://127.0.0.1:$PORT/ws" --server-pid "switchboard=$PID" --api-url "http://127.0.0.1:$API_PORT" \
    --api-key "$API_KEY" --jwt-secret "$SECRET" --source-addresses 127.0.0.2-127.0.0.5 --out "$OUT/lg" \
    > "$OUT/loadgen.txt" 2>&1 &
LG=$!
for r in $(seq 1 "$ROUNDS"); do
  for _ in $(seq 1 1500); do [ "$(connections)" -ge "$N" ] 2>/dev/null && break; sleep 0.2; done
  sleep 3
  snapshot "round$r"
  if [ "$r" = "$ROUNDS" ]; then
    "$JCMD" "$PID" GC.class_histogram > "$OUT/histo-held.txt"
  fi
  for _ in $(seq 1 1500); do [ "$(connections)" -eq 0 ] 2>/dev/null && break; sleep 0.2; done
  sleep 2
  snapshot "closed$r"
done
"$JCMD" "$PID" GC.class_histogram > "$OUT/histo-closed.txt"
[ "${ALLOC:-0}" = 1 ] && "$JCMD" "$PID" JFR.stop name=alloc filename="$OUT/alloc.jfr" > /dev/null
wait "$LG"; LG=""
note_load | tee -a "$OUT/load.txt"
python3 "$(dirname "$0")/memory_breakdown.py" "$OUT" "$N" "$ROUNDS" | tee "$OUT/summary.txt"
if [ "${ALLOC:-0}" = 1 ]; then
  python3 "$(dirname "$0")/alloc_report.py" "$OUT/alloc.jfr" "$N" "$ROUNDS" | tee -a "$OUT/summary.txt"
fi
