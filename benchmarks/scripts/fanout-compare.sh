#!/usr/bin/env bash
# Fan-out beside uWebSockets.js (docs/benchmarks.md, "Connection cost beside uWebSockets.js"): the same loadgen
# fanout scenario against the edge and the uWS comparison server, one after the other in one loadgen run, on
# servers started for that scenario. Scenarios:
#   c500   5,000 subscribers over 500 channels (10 each), 2,000 publications/s: 20k deliveries/s, 10 publishers
#   f400k  2,000 subscribers on one channel, 200 publications/s: 400k deliveries/s offered, 4 publishers
# For each server: delivered/expected, latency p50/p99/p99.9 (after the warm-up), and its CPU (utime+stime of
# /proc/PID/stat, sampled 4 times a second) over loadgen's measured window, per delivery in that window; ratios.
# The edge runs with the launcher's defaults (no memory flags) unless EDGE_JAVA_OPTS says otherwise.
# Usage: fanout-compare.sh [LABEL] [SCENARIOS]     (SCENARIOS default: "c500 f400k")
#   env: WARMUP=10s DURATION=20s WARM_PASSES=0 ORDER="switchboard uws" EDGE_JAVA_OPTS= SB_ROOT= UWS_DIR=/tmp/uws
#        EDGE_ARGS="--command-rate 5000 --command-burst 10000" (the publishers stand in for backends: a budget of
#        200 commands/s per connection would drop some of c500's 200/s per publisher)
#        SCRAPE=1s: a Prometheus scrape of the edge's /metrics every SCRAPE while it runs (as a monitored node is;
#        OUT/SCENARIO/scrape.txt: epoch ms and seconds per scrape); unset, nothing scrapes
#        IDLE=14000: that many more connections held idle on each server while it fans out (one loadgen `idle`
#        process per server, from 127.0.0.6-127.0.0.9, opened before the scenario and closed after it), as a
#        node holds most of its connections idle; 0 by default
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-fc}; SCENARIOS=${2:-c500 f400k}
WARMUP=${WARMUP:-10s}; DURATION=${DURATION:-20s}; ORDER=${ORDER:-switchboard uws}
EDGE_ARGS=${EDGE_ARGS:---command-rate 5000 --command-burst 10000}
OUT=$OUT_BASE/fanout-compare-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"
PIDS=(); SAMPLER=""; SCRAPER=""; IDLERS=()
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null; [ -n "$SCRAPER" ] && kill "$SCRAPER" 2>/dev/null
  for p in "${IDLERS[@]}"; do stop_pid "$p"; done; IDLERS=()
  for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=(); SAMPLER=""; SCRAPER=""
}
IDLE=${IDLE:-0}
# hold_idle LABEL URL: IDLE idle connections to URL from a loadgen process of their own, until cleanup.
hold_idle() {
  "$LOADGEN" loadgen --scenario idle --connections "$IDLE" --ramp-rate 5000 --duration 30m --timeout 40m \
      --target "$1=$2" --jwt-secret "$SECRET" --source-addresses 127.0.0.6-127.0.0.9 --out "$D/idle-$1" \
      > "$D/idle-$1.txt" 2>&1 &
  IDLERS+=($!)
  for _ in $(seq 1 600); do
    grep -q "ready=$IDLE " "$D/idle-$1.txt" 2>/dev/null && { echo "$IDLE idle connections held on $1"; return 0; }
    sleep 0.2
  done
  echo "$1: the idle connections did not open (see $D/idle-$1.txt)" >&2; return 1
}
trap cleanup EXIT
"$LOADGEN" --help >/dev/null 2>&1  # builds this checkout's loadgen if needed
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo -1; }

for s in $SCENARIOS; do
  case $s in
    c500)  SUBS=5000 CH=500 RATE=2000 PUBS=10 ;;
    f400k) SUBS=2000 CH=1 RATE=200 PUBS=4 ;;
    *) echo "unknown scenario $s (c500 | f400k)" >&2; exit 2 ;;
  esac
  D=$OUT/$s; mkdir -p "$D"
  echo "== $s: $SUBS subscribers, $CH channels, $RATE publications/s, $PUBS publishers"
  note_load | tee "$D/load.txt"
  export SWITCHBOARD_JAVA_OPTS=${EDGE_JAVA_OPTS:-}
  EDGE=$(OUT_BASE=$D start_edge "fc-edge-$s" 8280 8281 $EDGE_ARGS) || exit 1; PIDS+=("$EDGE")
  unset SWITCHBOARD_JAVA_OPTS
  UWS=$(OUT_BASE=$D start_uws "fc-uws-$s" 7201) || exit 1; PIDS+=("$UWS")
  # Both servers' CPU ticks with the wall clock, for the measured window of each target (steady_*_epoch_ms).
  ( while :; do echo "$(date +%s%3N) $(ticks "$EDGE") $(ticks "$UWS")"; sleep 0.25; done ) > "$D/cpu.txt" &
  SAMPLER=$!
  if [ -n "${SCRAPE:-}" ]; then
    ( while :; do echo "$(date +%s%3N) $(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:8281/metrics)"; sleep "$SCRAPE"; done ) > "$D/scrape.txt" &
    SCRAPER=$!
  fi
  TARGETS=()
  for t in $ORDER; do
    case $t in
      switchboard) TARGETS+=(--target switchboard=ws://127.0.0.1:8280/ws) ;;
      uws) TARGETS+=(--target uws=ws://127.0.0.1:7201/) ;;
    esac
    if [ "$IDLE" -gt 0 ]; then
      case $t in
        switchboard) hold_idle switchboard ws://127.0.0.1:8280/ws || exit 1 ;;
        uws) hold_idle uws ws://127.0.0.1:7201/ || exit 1 ;;
      esac
    fi
  done
  "$LOADGEN" loadgen --scenario fanout --connections "$SUBS" --channels "$CH" --publishers "$PUBS" --rate "$RATE" \
      --warmup "$WARMUP" --duration "$DURATION" --ramp-rate 2000 --timeout 5m --warm-passes "${WARM_PASSES:-0}" \
      "${TARGETS[@]}" --server-pid "switchboard=$EDGE" --server-pid "uws=$UWS" \
      --api-url http://127.0.0.1:8281 --api-key "$API_KEY" --jwt-secret "$SECRET" \
      --source-addresses 127.0.0.2-127.0.0.5 --out "$D/lg" > "$D/loadgen.txt" 2>&1
  echo "loadgen exit $? (log: $D/loadgen.txt)"
  grep -E "WARN|ERROR" "$D/loadgen.txt" | head -5
  echo "edge: publishes refused by the command budget: $(stats_metric 8281 switchboard_edge_commands_rate_limited_total)"
  note_load | tee -a "$D/load.txt"
  cleanup
  python3 "$(dirname "$0")/fanout_compare_report.py" "$D" "$(getconf CLK_TCK)" | tee "$D/summary.txt"
  [ -s "$D/scrape.txt" ] && sort -k2 -n "$D/scrape.txt" | awk '{t[NR]=$2} END {printf "edge /metrics scrapes: %d, seconds each: median %s, max %s\n", NR, t[int((NR+1)/2)], t[NR]}' | tee -a "$D/summary.txt"
done
echo "outputs in $OUT"
