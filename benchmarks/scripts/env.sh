# Common settings for the benchmark scripts (sourced). Bounded, loopback only.
# SB_ROOT: the checkout whose bin/switchboard runs (default: this repository).
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SB_ROOT=${SB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SB=$SB_ROOT/bin/switchboard
# The load generator and the uWS server come from this checkout (or BENCH_ROOT, a frozen copy), whatever SB_ROOT runs.
BENCH_ROOT=${BENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOADGEN=$BENCH_ROOT/bin/switchboard
SECRET=${SECRET:-bench-secret-0123456789abcdef0123456789}
API_KEY=${API_KEY:-bench-api-key-0123456789}
# What start_edge passes as --api-key: a platform key. An edge built before scoped keys (main before 2bfca91,
# 2026-12-02) takes the bare key: EDGE_API_KEY=$API_KEY.
EDGE_API_KEY=${EDGE_API_KEY:-platform:$API_KEY}
OUT_BASE=${OUT_BASE:-/tmp/sb-bench}
mkdir -p "$OUT_BASE"

# start_edge NODE_ID PORT API_PORT [extra edge args...]: starts a node in the background, waits for its
# port, prints its process id (bin/switchboard execs java, so it is the JVM's). Builds first if needed.
# The milliseconds from the launch to the first accepted TCP connection go to $OUT_BASE/NODE_ID.listen-ms.
start_edge() {
  local node=$1 port=$2 api=$3; shift 3
  # Builds first if the sources changed, and makes the edge's ahead-of-time cache (JDK 25+, unless
  # SWITCHBOARD_AOT=off), so that the timing below is the start alone.
  "$SB" aot-cache >/dev/null 2>&1
  local t0 pid
  t0=$(date +%s%N)
  "$SB" edge --host 127.0.0.1 --port "$port" --api-port "$api" --node-id "$node" \
      --jwt-secret "$SECRET" --api-key "$EDGE_API_KEY" "$@" >"$OUT_BASE/$node.log" 2>&1 &
  pid=$!
  wait_port "$port" 3000 "$pid" || { echo "edge $node did not start (see $OUT_BASE/$node.log)" >&2; return 1; }
  echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$OUT_BASE/$node.listen-ms"
  for _ in $(seq 1 150); do
    if curl -sf -H "X-Api-Key: $API_KEY" "http://127.0.0.1:$api/v1/stats" >/dev/null 2>&1; then
      echo "$pid"
      return 0
    fi
    sleep 0.2
  done
  echo "edge $node: no server API on $api" >&2; return 1
}

# wait_port PORT MAX_TRIES [PID]: until something accepts on 127.0.0.1:PORT (tries 5 ms apart), or PID died.
wait_port() {
  for _ in $(seq 1 "$2"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
    sleep 0.005
  done
  return 1
}

# start_uws NAME PORT: starts the uWebSockets.js comparison server (benchmarks/uws/server.js, installed by
# uws.sh into $UWS_DIR), prints its process id; launch-to-listening milliseconds go to $OUT_BASE/NAME.listen-ms.
UWS_DIR=${UWS_DIR:-/tmp/uws}
start_uws() {
  local name=$1 port=$2 t0 pid
  [ -d "$UWS_DIR/node_modules/@trufflesuite/uws-js-unofficial" ] || "$BENCH_ROOT/benchmarks/scripts/uws.sh" install >&2 || return 1
  t0=$(date +%s%N)
  PORT=$port NODE_PATH=$UWS_DIR/node_modules node "$BENCH_ROOT/benchmarks/uws/server.js" >"$OUT_BASE/$name.log" 2>&1 &
  pid=$!
  wait_port "$port" 2000 "$pid" || { echo "uws $name did not start (see $OUT_BASE/$name.log)" >&2; return 1; }
  echo $(( ($(date +%s%N) - t0) / 1000000 )) > "$OUT_BASE/$name.listen-ms"
  echo "$pid"
}

# stop_pid PID: TERM, then KILL after 30 s (only processes a script started, by id).
stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null
}

# rss_kib PID: VmRSS of a process in KiB.
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

# stop_edge NODE_ID: ends the node started with that unique id.
stop_edge() {
  pkill -f "node-id $1( |$)" || true
  for _ in $(seq 1 60); do pgrep -f "node-id $1( |$)" >/dev/null || return 0; sleep 0.5; done
  pkill -9 -f "node-id $1( |$)" || true; sleep 0.5
}

stats() { curl -s -H "X-Api-Key: $API_KEY" "http://127.0.0.1:${1:-8081}/v1/stats"; echo; }
# stats_metric API_PORT NAME: one Prometheus sample of a node, e.g. switchboard_edge_commands_rate_limited_total.
stats_metric() { curl -s -H "X-Api-Key: $API_KEY" "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n {print $2}'; }
note_load() { echo "load: $(uptime | sed 's/.*load average: //')  nproc=$(nproc) kernel=$(uname -r)"; }
