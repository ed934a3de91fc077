#!/usr/bin/env bash
# What a connection costs: the edge and the uWebSockets.js comparison server side by side, one loadgen
# run (docs/benchmarks.md, "Connection cost"). For each server a freshly started process: milliseconds
# from launch to listening, RSS at start, then ROUNDS rounds of N connections (connection i subscribed to
# channel i mod CHANNELS, CONC handshakes in flight; loadgen --scenario rounds): seconds to open them all
# (TCP connect to subscribed), RSS growth per connection while they are held, close them all, next round.
# Nothing forces a GC. loadgen first warms up against throwaway servers of both kinds, so that the
# measured servers are fresh and the load generator is not. The edge runs with the launcher's defaults
# (no memory flags) unless EDGE_JAVA_OPTS says otherwise.
# Usage: conn-cost.sh [LABEL]
#   env: N=10000 CHANNELS=1000 CONC=100 ROUNDS=2 HOLD=3s SETTLE=3s ORDER="switchboard uws"
#        EDGE_ARGS="--redis redis://127.0.0.1:6379" EDGE_JAVA_OPTS= SB_ROOT=<checkout of the edge> UWS_DIR=/tmp/uws
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-cc}
N=${N:-10000}; CHANNELS=${CHANNELS:-1000}; CONC=${CONC:-100}; ROUNDS=${ROUNDS:-2}; HOLD=${HOLD:-3s}; SETTLE=${SETTLE:-3s}
ORDER=${ORDER:-switchboard uws}
OUT=$OUT_BASE/conn-cost-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
"$LOADGEN" --help >/dev/null 2>&1  # builds this checkout's loadgen if needed
note_load | tee "$OUT/load.txt"

# The measured servers first, each alone on the machine while it starts (start-up time is measured).
export SWITCHBOARD_JAVA_OPTS=${EDGE_JAVA_OPTS:-}
EDGE=$(start_edge cc-edge 8180 8181 ${EDGE_ARGS:-}) || exit 1; PIDS+=("$EDGE")
UWS=$(start_uws cc-uws 7101) || exit 1; PIDS+=("$UWS")
# Throwaway servers for loadgen's warm-up pass.
WEDGE=$(start_edge cc-warm-edge 8190 8191 ${EDGE_ARGS:-}) || exit 1; PIDS+=("$WEDGE")
WUWS=$(start_uws cc-warm-uws 7102) || exit 1; PIDS+=("$WUWS")
unset SWITCHBOARD_JAVA_OPTS

TARGETS=()
for t in $ORDER; do
  case $t in
    switchboard) TARGETS+=(--target switchboard=ws://127.0.0.1:8180/ws) ;;
    uws) TARGETS+=(--target uws=ws://127.0.0.1:7101/) ;;
  esac
done
"$LOADGEN" loadgen --scenario rounds --connections "$N" --channels "$CHANNELS" --connect-concurrency "$CONC" \
    --rounds "$ROUNDS" --duration "$HOLD" --drain "$SETTLE" --timeout 10m --handshake-timeout 30s \
    "${TARGETS[@]}" --warm-passes 1 --warm-target switchboard=ws://127.0.0.1:8190/ws --warm-target uws=ws://127.0.0.1:7102/ \
    --server-pid "switchboard=$EDGE" --server-pid "uws=$UWS" --api-url http://127.0.0.1:8181 --api-key "$API_KEY" \
    --jwt-secret "$SECRET" --source-addresses 127.0.0.2-127.0.0.5 --out "$OUT/lg" > "$OUT/loadgen.txt" 2>&1
echo "loadgen exit $? (log: $OUT/loadgen.txt)"
grep -E "WARN|ERROR" "$OUT/loadgen.txt" | head -5
note_load | tee -a "$OUT/load.txt"
python3 "$(dirname "$0")/conn_cost_report.py" "$OUT" | tee "$OUT/summary.txt"
