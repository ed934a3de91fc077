#!/usr/bin/env bash
# Soak run (not in CI): one edge node under a moderate, steady fan-out load for a bounded time,
# with the node's memory and the clients' end-to-end latency over time.
# Every 30 s the node's /v1/stats (connections, RSS, heap used and committed) goes into a CSV;
# at the end each row gets the p50/p99/max latency of the deliveries in its 30 s window (from
# loadgen's HdrHistogram interval log), and a summary compares the first and last windows.
# Everything this script started is stopped on exit.
# Usage: soak.sh [--minutes N]    (default 30)
#   env: CONNECTIONS=1000 CHANNELS=10 PUBLISHERS=4 RATE=200 (publications/s; deliveries/s = RATE x CONNECTIONS/CHANNELS)
#        PAYLOAD=200 HEAP=256m PORT=8350 API_PORT=8450 EDGE_ARGS="" (e.g. "--redis redis://127.0.0.1:6391")
#        OUT_BASE=/tmp/sb-bench SB_ROOT=<checkout whose bin/switchboard runs>
set -uo pipefail
. "$(dirname "$0")/env.sh"
MINUTES=30
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    *) echo "usage: soak.sh [--minutes N]" >&2; exit 2 ;;
  esac
done
CONNECTIONS=${CONNECTIONS:-1000}; CHANNELS=${CHANNELS:-10}; PUBLISHERS=${PUBLISHERS:-4}; RATE=${RATE:-200}
PAYLOAD=${PAYLOAD:-200}; HEAP=${HEAP:-256m}; PORT=${PORT:-8350}; API_PORT=${API_PORT:-8450}; EDGE_ARGS=${EDGE_ARGS:-}
INTERVAL=30
OUT=$OUT_BASE/soak-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
EDGE=""; LG=""

cleanup() {
  for p in $LG $EDGE; do
    kill "$p" 2>/dev/null || continue
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null
  done
}
trap cleanup EXIT
field() { echo "$2" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
heap_after_gc() { "$JAVA_HOME/bin/jcmd" "$EDGE" GC.run >/dev/null 2>&1; echo $(( $(field heap_used_bytes "$(stats "$API_PORT")") / 1048576 )); }

note_load | tee "$OUT/load.txt"
export SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"
# shellcheck disable=SC2086 # EDGE_ARGS is a list of options
EDGE=$(start_edge "soak-$$" "$PORT" "$API_PORT" $EDGE_ARGS) || exit 1
unset SWITCHBOARD_JAVA_OPTS
HEAP_BEFORE=$(heap_after_gc)

"$SB" loadgen --scenario fanout --connections "$CONNECTIONS" --channels "$CHANNELS" --publishers "$PUBLISHERS" \
    --rate "$RATE" --payload-size "$PAYLOAD" --warmup 10s --duration "${MINUTES}m" --timeout "$((MINUTES + 10))m" \
    --target "switchboard=ws://127.0.0.1:$PORT/ws" --jwt-secret "$SECRET" \
    --api-url "http://127.0.0.1:$API_PORT" --api-key "$API_KEY" --out "$OUT/loadgen" > "$OUT/loadgen.txt" 2>&1 &
LG=$!

echo "epoch_s,elapsed_s,connections,rss_mib,heap_used_mib,heap_committed_mib" > "$OUT/server.csv"
start=$(date +%s)
while kill -0 "$LG" 2>/dev/null; do
  sleep "$INTERVAL"
  s=$(stats "$API_PORT")
  [ -z "$(field connections "$s")" ] && continue
  now=$(date +%s)
  echo "$now,$((now - start)),$(field connections "$s"),$(( $(field rss_bytes "$s") / 1048576 )),$(( $(field heap_used_bytes "$s") / 1048576 )),$(( $(field heap_committed_bytes "$s") / 1048576 ))" \
      | tee -a "$OUT/server.csv"
done
wait "$LG"; rc=$?; LG=""
HEAP_AFTER=$(heap_after_gc)
note_load | tee -a "$OUT/load.txt"

"$JAVA_HOME/bin/java" -cp "$SB_ROOT/switchboard/target/lib/*" "$(dirname "$0")/HlogWindows.java" \
    "$OUT/loadgen/latency.hlog" "$OUT/server.csv" > "$OUT/soak.csv"
{
  echo "== soak: $MINUTES min, $CONNECTIONS subscribers on $CHANNELS channels, $RATE publications/s of $PAYLOAD B (loadgen exit $rc)"
  python3 - "$OUT/soak.csv" "$OUT/loadgen/summary.json" "$HEAP_BEFORE" "$HEAP_AFTER" <<'EOF'
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["p99_ms"]]
s = json.load(open(sys.argv[2]))["targets"][0]
c, lat = s["counters"], s["latency_us"]
print(f"sent {c['sent']}, delivered {c['delivered']} ({c['delivered_per_s']:.0f}/s), errors {sum(s['errors'].values())}; "
      f"whole run p50 {lat['p50']/1000:.2f} ms, p99 {lat['p99']/1000:.2f} ms, max {lat['max']/1000:.1f} ms")
if rows:
    f, l = rows[0], rows[-1]
    p99 = [float(r["p99_ms"]) for r in rows]
    rss = [int(r["rss_mib"]) for r in rows]
    heap = [int(r["heap_used_mib"]) for r in rows]
    print(f"{len(rows)} windows of 30 s: RSS {f['rss_mib']} -> {l['rss_mib']} MiB (max {max(rss)}), "
          f"heap used {f['heap_used_mib']} -> {l['heap_used_mib']} MiB (max {max(heap)}), "
          f"window p99 {f['p99_ms']} -> {l['p99_ms']} ms (median {sorted(p99)[len(p99)//2]:.2f}, worst {max(p99):.2f})")
print(f"heap after GC: {sys.argv[3]} MiB before the run, {sys.argv[4]} MiB after it (clients gone)")
EOF
} | tee "$OUT/summary.txt"
echo "outputs in $OUT (soak.csv: one row per 30 s)"
