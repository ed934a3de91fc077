#!/usr/bin/env bash
# Idle connections across several edge processes on this machine (a process may open 20,000 files).
# PROCS edge nodes (ports 8100+i, API 8200+i), one loadgen per node with its own source addresses,
# TOTAL connections in all. The loadgens start one after the other (each once the previous one's
# connections are up: twelve JVMs warming up at once starve two cores) and hold until all are counted,
# then everything is stopped.
# Usage: max-connections.sh [TOTAL] [PROCS]   env: RAMP=600 (per loadgen) HEAP=160m
set -uo pipefail
. "$(dirname "$0")/env.sh"
TOTAL=${1:-100000}; PROCS=${2:-6}; RAMP=${RAMP:-600}; HEAP=${HEAP:-160m}; HOLD=600s
PER=$(( (TOTAL + PROCS - 1) / PROCS ))
OUT=$OUT_BASE/max-$TOTAL; mkdir -p "$OUT"
LG=()
cleanup() {
  for p in "${LG[@]}"; do kill "$p" 2>/dev/null || true; done
  for i in $(seq 0 $((PROCS-1))); do stop_edge "bench-max-$i"; done
}
trap cleanup EXIT
note_load | tee "$OUT/load.txt"
export SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"
PIDS=()
for i in $(seq 0 $((PROCS-1))); do PIDS+=("$(start_edge "bench-max-$i" $((8100+i)) $((8200+i)) --connect-timeout 60s)"); done
unset SWITCHBOARD_JAVA_OPTS
start=$(date +%s.%N)
for i in $(seq 0 $((PROCS-1))); do
  n=$PER; [ $(( (i+1)*PER )) -gt "$TOTAL" ] && n=$(( TOTAL - i*PER ))
  "$SB" loadgen --scenario idle --connections "$n" --ramp-rate "$RAMP" --duration "$HOLD" --timeout 10m \
     --handshake-timeout 60s --io-threads 1 --target "switchboard=ws://127.0.0.1:$((8100+i))/ws" \
     --source-addresses "127.0.$((1+i)).2-127.0.$((1+i)).5" --jwt-secret "$SECRET" \
     --api-url "http://127.0.0.1:$((8200+i))" --api-key "$API_KEY" > "$OUT/lg-$i.txt" 2>&1 &
  LG+=($!)
  # Next loadgen once this node's connections stop rising (or after 150 s).
  last=-1; still=0
  for _ in $(seq 1 150); do
    c=$(stats $((8200+i)) | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'); c=${c:-0}
    [ "$c" -ge "$n" ] && break
    if [ "$c" -eq "$last" ] && [ "$c" -gt 0 ]; then still=$((still+1)); [ $still -ge 5 ] && break; else still=0; fi
    last=$c; sleep 1
  done
  total=0
  for j in $(seq 0 "$i"); do
    c=$(stats $((8200+j)) | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'); total=$((total + ${c:-0}))
  done
  echo "$(printf %.1f "$(echo "$(date +%s.%N) - $start" | bc)") s: node $i up, $total connections in all" | tee -a "$OUT/progress.txt"
done
sleep 3
peak=0
for i in $(seq 0 $((PROCS-1))); do
  c=$(stats $((8200+i)) | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'); peak=$((peak + ${c:-0}))
done
rss=0; for p in "${PIDS[@]}"; do r=$(awk '/VmRSS/{print $2}' /proc/$p/status); rss=$((rss + r)); done
echo "peak $peak connections over $PROCS processes; total edge RSS $((rss/1024)) MiB; $(grep -E '^TCP:|^sockets' /proc/net/sockstat | tr '\n' ' ')" | tee -a "$OUT/load.txt"
for p in "${LG[@]}"; do kill "$p" 2>/dev/null; done; sleep 3
grep -hE "connect_rate|handshake p50|handshake p99 |^connections ready|errors (connect|handshake)" "$OUT"/lg-*.txt | sort | uniq -c | head -40
note_load | tee -a "$OUT/load.txt"
