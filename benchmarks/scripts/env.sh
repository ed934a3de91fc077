# Common settings for the benchmark scripts (sourced). Bounded, loopback only.
# SB_ROOT: the checkout whose bin/switchboard runs (default: this repository).
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SB_ROOT=${SB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SB=$SB_ROOT/bin/switchboard
SECRET=${SECRET:-bench-secret-0123456789abcdef0123456789}
API_KEY=${API_KEY:-bench-api-key-0123456789}
OUT_BASE=${OUT_BASE:-/tmp/sb-bench}
mkdir -p "$OUT_BASE"

# start_edge NODE_ID PORT API_PORT [extra edge args...]: starts a node in the background, waits for its port.
start_edge() {
  local node=$1 port=$2 api=$3; shift 3
  "$SB" edge --host 127.0.0.1 --port "$port" --api-port "$api" --node-id "$node" \
      --jwt-secret "$SECRET" --api-key "$API_KEY" "$@" >"$OUT_BASE/$node.log" 2>&1 &
  for _ in $(seq 1 150); do
    if curl -sf -H "X-Api-Key: $API_KEY" "http://127.0.0.1:$api/v1/stats" >/dev/null 2>&1; then
      pgrep -f "node-id $node( |$)" | head -1
      return 0
    fi
    sleep 0.2
  done
  echo "edge $node did not start" >&2; return 1
}

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
