#!/usr/bin/env bash
# Switchboard and Soketi (installed into /tmp/soketi from benchmarks/soketi/package.json, docs/benchmarks.md) side by side:
# the same loadgen scenario against both targets, one after the other in one loadgen run.
# Usage: soketi-compare.sh idle|fanout|c500   env: SOKETI_DIR=/tmp/soketi HEAP=512m RAMP=2000 (idle) RATE=200 (fanout)
#   WARM_PASSES=N: loadgen --warm-passes N, unmeasured passes against each target before its measured one
#   (JIT warm-up of the JVM, of Node's V8 and of loadgen itself alike: a long-running server is warm, a
#   freshly started one is not, and without them the first target also pays the load generator's JIT).
set -uo pipefail
. "$(dirname "$0")/env.sh"
SCEN=${1:-idle}; SOKETI_DIR=${SOKETI_DIR:-/tmp/soketi}; HEAP=${HEAP:-512m}
NODE=bench-soketi-cmp; OUT=$OUT_BASE/soketi-$SCEN; mkdir -p "$OUT"
cleanup() { [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null; stop_edge $NODE; }
trap cleanup EXIT
note_load | tee "$OUT/load.txt"
SOKETI_HOST=127.0.0.1 SOKETI_PORT=6001 \
SOKETI_DEFAULT_APP_ID=app-id SOKETI_DEFAULT_APP_KEY=app-key SOKETI_DEFAULT_APP_SECRET=app-secret \
SOKETI_CLUSTER_UNICAST_ADDRESSES=127.0.0.1 SOKETI_CLUSTER_BROADCAST_ADDRESS=127.255.255.255 \
SOKETI_CLUSTER_HOST=127.0.0.1 SOKETI_CLUSTER_PORT=6003 \
SOKETI_METRICS_HOST=127.0.0.1 SOKETI_METRICS_SERVER_PORT=6002 \
  node "$SOKETI_DIR/node_modules/@soketi/soketi/bin/server.js" start > "$OUT/soketi.log" 2>&1 &
SPID=$!
export SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"
PID=$(start_edge $NODE 8080 8081)
unset SWITCHBOARD_JAVA_OPTS
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:6001/ && break; sleep 0.5; done
COMMON=(--warm-passes "${WARM_PASSES:-0}" --target switchboard=ws://127.0.0.1:8080/ws --target pusher=ws://127.0.0.1:6001/app/app-key
        --jwt-secret "$SECRET" --api-key "$API_KEY" --pusher-app-id app-id --pusher-secret app-secret
        --server-pid "pusher=$SPID" --source-addresses 127.0.0.2-127.0.0.9 --out "$OUT")
case $SCEN in
  idle)   ARGS=(--scenario idle --connections 10000 --ramp-rate ${RAMP:-2000} --duration 20s) ;;
  fanout) ARGS=(--scenario fanout --connections 2000 --channels 1 --publishers 4 --rate ${RATE:-200} --warmup 10s --duration 20s) ;;
  c500)   ARGS=(--scenario fanout --connections 5000 --channels 500 --publishers 10 --rate 2000 --warmup 10s --duration 20s) ;;
esac
"$SB" loadgen "${ARGS[@]}" "${COMMON[@]}" > "$OUT/loadgen.txt" 2>&1
sed -n '/^  *switchboard/,$p' "$OUT/loadgen.txt" | grep -vE "^\[" | head -60
note_load | tee -a "$OUT/load.txt"
