#!/usr/bin/env bash
# Cross-node latency added by Redis (issue 4): two edge nodes on one private redis-server, subscribers on
# node B; publishers on node B (same node: local-first delivery, no Redis hop) and on node A (every
# publication crosses Redis), alternating, same offered rate. Prints p50/p99 of both and their difference.
# Usage: cross-node.sh [LABEL]   env: SUBS=1000 CHANNELS=10 RATE=200 PUBLISHERS=4 DURATION=20s WARMUP=10s
#        ROUNDS=3 HEAP=512m SB_ROOT=<checkout whose bin/switchboard runs> (a private build, see docs/benchmarks.md)
# Bounded: loadgen --timeout and `timeout` around each run; loopback only; everything it starts
# (redis-server, both nodes) is stopped by process id on exit. The shared Redis on 6379 is never touched.
set -euo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-x$(date +%H%M%S)}
SUBS=${SUBS:-1000} CHANNELS=${CHANNELS:-10} RATE=${RATE:-200} PUBLISHERS=${PUBLISHERS:-4}
DURATION=${DURATION:-20s} WARMUP=${WARMUP:-10s} ROUNDS=${ROUNDS:-3} HEAP=${HEAP:-512m}
OUT=$OUT_BASE/cross-$LABEL; mkdir -p "$OUT"
# The edge refuses more than --command-rate (200/s) commands per connection: more publications per
# publisher would be rate-limited, not measured.
if [ $((RATE / PUBLISHERS)) -gt 200 ]; then
  echo "RATE/PUBLISHERS must be at most 200 per publisher (the edge's --command-rate): raise PUBLISHERS" >&2; exit 2
fi
PIDS=()

# A free loopback TCP port from $1 upwards (ports in use by anyone are skipped).
free_port() {
  local p=$1
  while ss -ltnH "sport = :$p" | grep -q .; do p=$((p + 1)); done
  echo "$p"
}

# Newest first: the nodes before their Redis, so that they do not log a lost broker on the way out.
stop_all() {
  local i p
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    p=${PIDS[i]}
    kill "$p" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap stop_all EXIT

REDIS_PORT=$(free_port 16390)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode yes \
    >"$OUT/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
REDIS=redis://127.0.0.1:$REDIS_PORT

# start_node NAME PORT API_PORT: one edge node on the private Redis; prints its pid once its API answers.
start_node() {
  SWITCHBOARD_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch -XX:MetaspaceSize=96m" \
  "$SB" edge --host 127.0.0.1 --port "$2" --api-port "$3" --node-id "bench-$LABEL-$1" --redis "$REDIS" \
      --jwt-secret "$SECRET" --api-key "platform:$API_KEY" >"$OUT/node-$1.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do
    if curl -sf -H "X-Api-Key: $API_KEY" "http://127.0.0.1:$3/v1/stats" >/dev/null 2>&1; then echo "$pid"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$pid"; echo "node $1 did not start (see $OUT/node-$1.log)" >&2; return 1
}

A_PORT=$(free_port 18180); A_API=$(free_port $((A_PORT + 1)))
A_PID=$(start_node a "$A_PORT" "$A_API") || { PIDS+=("$A_PID"); exit 1; }
PIDS+=("$A_PID")
B_PORT=$(free_port $((A_API + 1))); B_API=$(free_port $((B_PORT + 1)))
B_PID=$(start_node b "$B_PORT" "$B_API") || { PIDS+=("$B_PID"); exit 1; }
PIDS+=("$B_PID")
note_load | tee "$OUT/load.txt"
echo "redis $REDIS (pid ${PIDS[0]}), node a :$A_PORT (pid $A_PID), node b :$B_PORT (pid $B_PID)" | tee -a "$OUT/load.txt"

# run NAME PUBLISH_PORT [WARMUP DURATION]: subscribers on node B, publishers on the node at PUBLISH_PORT.
run() {
  local dir=$OUT/$1; mkdir -p "$dir"
  redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | grep -E '^total_commands_processed:' > "$dir/redis-before.txt"
  echo "$1: load $(uptime | sed 's/.*load average: //')" | tee -a "$OUT/load.txt"
  timeout 240 "$SB" loadgen --scenario fanout --connections "$SUBS" --channels "$CHANNELS" --publishers "$PUBLISHERS" \
      --rate "$RATE" --duration "${4:-$DURATION}" --warmup "${3:-$WARMUP}" --ramp-rate 1000 --timeout 3m \
      --target "switchboard=ws://127.0.0.1:$B_PORT/ws" --publish-target "ws://127.0.0.1:$2/ws" \
      --api-url "http://127.0.0.1:$B_API" --jwt-secret "$SECRET" --api-key "$API_KEY" \
      --source-addresses 127.0.0.2-127.0.0.5 --out "$dir" > "$dir/loadgen.txt" 2>&1 || true
  redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | grep -E '^total_commands_processed:' > "$dir/redis-after.txt"
}

# Not reported: both nodes' JITs see both paths (local-first on B, Redis out on A and in on B) first.
run warm-same "$B_PORT" 2s 5s; run warm-cross "$A_PORT" 2s 5s
for r in $(seq 1 "$ROUNDS"); do
  # Alternate the order so that neither case always runs on the warmer JVMs.
  if [ $((r % 2)) -eq 1 ]; then run "same-$r" "$B_PORT"; run "cross-$r" "$A_PORT"
  else run "cross-$r" "$A_PORT"; run "same-$r" "$B_PORT"; fi
done
note_load | tee -a "$OUT/load.txt"
# A bare round trip to this Redis under the same machine load, for scale: min max avg (ms) samples
# (with --raw, redis-cli samples for one second, a PING every 10 ms, then prints one line).
echo "redis-cli --latency (PING round trip, 1 s): $(timeout 10 redis-cli -p "$REDIS_PORT" --latency --raw || true)" \
    | tee -a "$OUT/load.txt"

python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, sys, os
out, rounds = sys.argv[1], int(sys.argv[2])
def load(name):
    t = json.load(open(os.path.join(out, name, "summary.json")))["targets"][0]
    c, l = t["counters"], t["latency_us"]
    return dict(name=name, sent=c["sent"], delivered=c["delivered"], expected=t["results"].get("expected_deliveries", 0),
                dps=c["delivered_per_s"], p50=l["p50"] / 1000, p90=l["p90"] / 1000, p99=l["p99"] / 1000,
                p999=l["p99.9"] / 1000, max=l["max"] / 1000, errors=sum(t["errors"].values()))
diffs = []
print(f"{'run':10} {'sent':>8} {'delivered/expected':>22} {'deliv/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'max ms':>8} {'errors':>6}")
for r in range(1, rounds + 1):
    pair = [load(f"same-{r}"), load(f"cross-{r}")]
    for x in pair:
        print(f"{x['name']:10} {x['sent']:>8} {str(x['delivered']) + ' / ' + str(int(x['expected'])):>22} {x['dps']:>9.0f} "
              f"{x['p50']:>8.2f} {x['p90']:>8.2f} {x['p99']:>8.2f} {x['p999']:>9.2f} {x['max']:>8.2f} {x['errors']:>6}")
    s, c = pair
    print(f"round {r}: Redis hop adds p50 {c['p50'] - s['p50']:+.2f} ms (x{c['p50'] / max(s['p50'], 1e-9):.2f}), "
          f"p99 {c['p99'] - s['p99']:+.2f} ms (x{c['p99'] / max(s['p99'], 1e-9):.2f}); "
          f"through the bridge {c['dps']:.0f} deliveries/s")
    diffs.append((c['p50'] - s['p50'], c['p99'] - s['p99']))
med = lambda v: sorted(v)[len(v) // 2]
print(f"median over {rounds} rounds: Redis hop adds p50 {med([d[0] for d in diffs]):+.2f} ms, "
      f"p99 {med([d[1] for d in diffs]):+.2f} ms")
EOF
for d in "$OUT"/cross-* "$OUT"/same-*; do
  b=$(cut -d: -f2 "$d/redis-before.txt"); a=$(cut -d: -f2 "$d/redis-after.txt")
  echo "$(basename "$d"): redis commands during the run: $((a - b))"
done
