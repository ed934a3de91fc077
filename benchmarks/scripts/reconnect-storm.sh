#!/usr/bin/env bash
# Reconnect storm (not in CI): TOTAL clients on NODES edge processes that fan out through a
# redis-server of this script's own; every client drops at once and reconnects (loadgen
# --scenario storm: one loadgen per node, each with WORKERS worker processes and eight loopback
# source addresses). Reports the time to recover (drop -> every client connected and
# resubscribed, from loadgen; and the nodes' own session counts sampled every second) and each
# node's memory before and after (heap after a forced GC, RSS), and the most Redis channels subscribed.
# Bounded: every loadgen has a hard --timeout; everything this script started is stopped on exit.
# Usage: reconnect-storm.sh [TOTAL] [NODES]
#   env: WORKERS=2 RAMP=5000 (reconnects/s per node) HOLD=15s CHANNELS=100 HEAP=512m (HEAP= : the launcher's
#        memory defaults) REDIS_PORT=6391
#        OUT_BASE=/tmp/sb-bench SB_ROOT=<checkout whose bin/switchboard runs>
set -uo pipefail
. "$(dirname "$0")/env.sh"
TOTAL=${1:-10000}; NODES=${2:-3}
WORKERS=${WORKERS:-2}; RAMP=${RAMP:-5000}; HOLD=${HOLD:-15s}; CHANNELS=${CHANNELS:-100}; HEAP=${HEAP-512m}
REDIS_PORT=${REDIS_PORT:-6391}
PER=$(( TOTAL / NODES ))
OUT=$OUT_BASE/storm-$TOTAL; rm -rf "$OUT"; mkdir -p "$OUT"
REDIS_PID=""; SAMPLER=""; LG=(); PIDS=()

cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  for p in "${LG[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT

if (exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT) 2>/dev/null; then
  echo "port $REDIS_PORT is taken; set REDIS_PORT" >&2; exit 1
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning \
    >"$OUT/redis.log" 2>&1 &
REDIS_PID=$!
note_load | tee "$OUT/load.txt"

export SWITCHBOARD_JAVA_OPTS="${HEAP:+-Xms$HEAP -Xmx$HEAP}"
for i in $(seq 0 $((NODES-1))); do
  PIDS+=("$(start_edge "storm-$i" $((8300+i)) $((8400+i)) --redis "redis://127.0.0.1:$REDIS_PORT" \
      --connect-timeout 60s --io-threads 1)") || exit 1
done
unset SWITCHBOARD_JAVA_OPTS

# memory LABEL: heap after a forced GC and RSS of every node.
memory() {
  for i in $(seq 0 $((NODES-1))); do
    "$JAVA_HOME/bin/jcmd" "${PIDS[$i]}" GC.run >/dev/null 2>&1
    s=$(stats $((8400+i)))
    echo "$1 node=$i connections=$(field connections "$s") heap_after_gc_mib=$(( $(field heap_used_bytes "$s") / 1048576 )) rss_mib=$(( $(field rss_bytes "$s") / 1048576 ))"
  done
}
field() { echo "$2" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

memory before | tee -a "$OUT/memory.txt"

# Session counts of every node once a second (the server's view of the drop and the recovery), and the
# Redis channels subscribed by all nodes (INFO's pubsub_channels: chat channels and personal buckets).
redis_channels() { redis-cli -p "$REDIS_PORT" INFO stats | tr -d '\r' | sed -n 's/^pubsub_channels://p'; }
(
  echo "t_s,node,connections,heap_used_mib,rss_mib,redis_channels" > "$OUT/nodes.csv"
  t0=$(date +%s.%N)
  while true; do
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    rc=$(redis_channels)
    for i in $(seq 0 $((NODES-1))); do
      s=$(stats $((8400+i)))
      echo "$(printf %.1f "$t"),$i,$(field connections "$s"),$(( $(field heap_used_bytes "$s") / 1048576 )),$(( $(field rss_bytes "$s") / 1048576 )),$rc"
    done >> "$OUT/nodes.csv"
    sleep 1
  done
) &
SAMPLER=$!

for i in $(seq 0 $((NODES-1))); do
  "$SB" loadgen --scenario storm --connections "$PER" --channels "$CHANNELS" --ramp-rate "$RAMP" \
      --duration "$HOLD" --timeout 5m --handshake-timeout 60s --workers "$WORKERS" \
      --target "switchboard=ws://127.0.0.1:$((8300+i))/ws" --source-addresses 127.0.0.2-127.0.0.9 \
      --jwt-secret "$SECRET" --api-url "http://127.0.0.1:$((8400+i))" --api-key "$API_KEY" \
      --out "$OUT/lg-$i" > "$OUT/lg-$i.txt" 2>&1 &
  LG+=($!)
done
for p in "${LG[@]}"; do wait "$p"; done
LG=()
kill "$SAMPLER" 2>/dev/null; SAMPLER=""
# Broker subscription counters of every node (a SUBSCRIBE that failed or timed out shows here).
for i in $(seq 0 $((NODES-1))); do
  curl -s -H "X-Api-Key: $API_KEY" "http://127.0.0.1:$((8400+i))/metrics" | grep -E "^switchboard_broker_" > "$OUT/metrics-$i.txt"
done
sleep 2
memory after | tee -a "$OUT/memory.txt"
note_load | tee -a "$OUT/load.txt"

echo "== per node (loadgen)"
for i in $(seq 0 $((NODES-1))); do
  python3 - "$OUT/lg-$i/summary.json" "$i" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["targets"][0]
r, e = s.get("results", {}), s["errors"]
print(f"node {sys.argv[2]}: connected={r.get('connected')} reconnected={r.get('reconnected')} "
      f"resubscribed={r.get('resubscribed')} recovery_s={r.get('recovery_seconds', 0):.2f} "
      f"recovered_processes={r.get('recovered_processes')} handshake_p99_ms={s['handshake_us']['p99']/1000:.1f} "
      f"errors={sum(e.values())} {e}")
EOF
done | tee "$OUT/summary.txt"
echo "== server view (nodes.csv, about one sample a second; a busy node answers late, and the drop and the reconnects"
echo "   often fall between two samples, so loadgen's recovery_seconds above is the figure to quote)"
python3 - "$OUT/nodes.csv" "$NODES" <<'EOF' | tee -a "$OUT/summary.txt"
import csv, sys
nodes = int(sys.argv[2])
by_t = {}
for row in csv.DictReader(open(sys.argv[1])):
    if row["connections"]:
        by_t.setdefault(float(row["t_s"]), {})[row["node"]] = row
times = sorted(t for t in by_t if len(by_t[t]) == nodes)
s = lambda t, k: sum(int(r[k]) for r in by_t[t].values())
peak = max(times, key=lambda t: s(t, "connections"))
later = [t for t in times if t > peak]
low = min(later, key=lambda t: s(t, "connections")) if later else peak
print(f"most sessions {s(peak, 'connections')} at {peak} s (heap used {s(peak, 'heap_used_mib')} MiB, RSS {s(peak, 'rss_mib')} MiB, all nodes); "
      f"fewest after that {s(low, 'connections')} at {low} s; peak RSS of all nodes {max(s(t, 'rss_mib') for t in times)} MiB; "
      f"Redis channels at most {max(int(next(iter(by_t[t].values()))['redis_channels'] or 0) for t in times)}")
EOF
echo "outputs in $OUT"
