#!/usr/bin/env bash
# Fan-out on one node: SUBS subscribers over CHANNELS channels, RATE publications/s for DURATION.
# Usage: fanout.sh LABEL SUBS CHANNELS RATE [extra loadgen args]   env: HEAP=512m DURATION=20s PUBLISHERS=4
#   PORT=8080 API_PORT=8081 (another pair lets two runs share the machine) EXTRA_JAVA_OPTS= EDGE_ARGS=
# Examples: fanout.sh f400k 2000 1 200     (400k deliveries/s offered)
#           fanout.sh c500 5000 500 2000   (20k deliveries/s over 500 channels)
set -euo pipefail
. "$(dirname "$0")/env.sh"
LABEL=$1 SUBS=$2 CHANNELS=$3 RATE=$4; shift 4
# WARMUP (default 10s) covers the JIT of both JVMs; latency is recorded after it.
PORT=${PORT:-8080}; API_PORT=${API_PORT:-8081}; HEAP=${HEAP:-512m}; DURATION=${DURATION:-20s}; PUBLISHERS=${PUBLISHERS:-4}
NODE=bench-fan-$LABEL; OUT=$OUT_BASE/fan-$LABEL; mkdir -p "$OUT"
# The edge refuses more than --command-rate (200/s by default) commands per connection, silently for
# fire-and-forget publishes: more publications per publisher would be rate-limited, not measured.
if [ $((RATE / PUBLISHERS)) -gt 200 ] && [[ "${EDGE_ARGS:-}" != *--command-rate* ]]; then
  echo "RATE/PUBLISHERS is over the edge's default --command-rate (200/s per connection): raise PUBLISHERS," >&2
  echo "or set EDGE_ARGS=\"--command-rate 5000 --command-burst 10000\" (publishers stand in for backends here)" >&2
  exit 2
fi
trap 'stop_edge $NODE' EXIT
note_load | tee "$OUT/load.txt"
export SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch -XX:MetaspaceSize=96m -Xlog:gc:file=$OUT/gc.log ${EXTRA_JAVA_OPTS:-}"
PID=$(start_edge "$NODE" "$PORT" "$API_PORT" ${EDGE_ARGS:-})
unset SWITCHBOARD_JAVA_OPTS
c0=$(awk '{print $14+$15}' /proc/$PID/stat)
/usr/bin/time -f "loadgen cpu: %U s user, %S s sys, %e s wall" -o "$OUT/loadgen-cpu.txt" \
"$SB" loadgen --scenario fanout --connections "$SUBS" --channels "$CHANNELS" --publishers "$PUBLISHERS" \
  --rate "$RATE" --duration "$DURATION" --warmup "${WARMUP:-10s}" --ramp-rate 2000 --target "switchboard=ws://127.0.0.1:$PORT/ws" --api-url "http://127.0.0.1:$API_PORT" --jwt-secret "$SECRET" --api-key "$API_KEY" \
  --source-addresses 127.0.0.2-127.0.0.5 --out "$OUT" "$@" > "$OUT/loadgen.txt" 2>&1 || true
c1=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "publishes refused by the command budget: $(stats_metric "$API_PORT" switchboard_edge_commands_rate_limited_total)" | tee -a "$OUT/load.txt"
echo "server cpu: $(( (c1-c0) ))e-2 s; $(cat "$OUT/loadgen-cpu.txt")" | tee -a "$OUT/load.txt"
grep -E "^(sent|delivered|expected_deliveries|latency p50|latency p90|latency p99 |latency p99.9 |latency max|handshake p50|errors)" "$OUT/loadgen.txt"
echo "gc pauses: $(grep -c Pause "$OUT/gc.log" || true), max $(grep -o '[0-9.]*ms' "$OUT/gc.log" | sort -n | tail -1)"
note_load | tee -a "$OUT/load.txt"
