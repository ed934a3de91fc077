#!/usr/bin/env bash
# Every figure of the connection-cost comparison (docs/benchmarks.md, "Connection cost beside uWebSockets.js") in
# one run: this checkout's edge, the uWS comparison server and, when BEFORE_ROOT names another built checkout, that
# checkout's edge too, each script's runs alternating between the two edges, then one table with the ratios.
#   conn-cost.sh        launch to listening, RSS at start, two rounds of 10k connections (seconds to open, RSS
#                       growth per connection), handshake p50/p99                         (edge, uWS)
#   edge-memory.sh      live heap per connection (class histograms, 10k held against none) (edge)
#   fanout-compare.sh   c500 and f400k: CPU per delivery, p99, delivered                   (edge, uWS)
#   reconnect-storm.sh  19,000 clients to one --redis node: errors, recovery                 (edge; STORM=0 skips it)
# The load generator and uWS always come from this checkout. Nothing else should run on the machine meanwhile.
# Each script runs the edge as it always does: launcher memory defaults everywhere; fanout-compare raises the command
# budget (its publishers stand in for backends), the storm runs --io-threads 1 --connect-timeout 60s.
# Usage: connection-cost-report.sh [LABEL]
#   env: BEFORE_ROOT=<checkout, built with its own `package`> STORM=1
#        OUT_BASE=/tmp/sb-bench (results in OUT_BASE/report-LABEL, the table in its report.md)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LABEL=${1:-report}
BASE=${OUT_BASE:-/tmp/sb-bench}/report-$LABEL; rm -rf "$BASE"; mkdir -p "$BASE"
STORM=${STORM:-1}
EDGES=(after)
[ -n "${BEFORE_ROOT:-}" ] && EDGES=(before after)
root_of() { if [ "$1" = before ]; then echo "$BEFORE_ROOT"; else echo "$ROOT"; fi; }
# run NAME EDGE SCRIPT ARGS...: one script against one edge, its output kept in BASE/NAME-EDGE.txt.
run() {
  local name=$1 edge=$2; shift 2
  echo "== $name, $edge edge ($(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
  local key=platform:bench-api-key-0123456789
  [ "$edge" = before ] && [ "$BEFORE_SCOPED" = 0 ] && key=bench-api-key-0123456789
  OUT_BASE=$BASE/$edge SB_ROOT=$(root_of "$edge") BENCH_ROOT=$ROOT EDGE_API_KEY=$key "$@" > "$BASE/$name-$edge.txt" 2>&1
  echo "   exit $?; $(tail -1 "$BASE/$name-$edge.txt")"
}
mkdir -p "$BASE/before" "$BASE/after"
# An edge from before scoped server API keys takes the bare key (env.sh, EDGE_API_KEY).
BEFORE_SCOPED=1
[ -n "${BEFORE_ROOT:-}" ] && { "$BEFORE_ROOT/bin/switchboard" edge --help 2>&1 | grep -q "platform:SECRET" || BEFORE_SCOPED=0; }
echo "$(date -u '+%F %H:%M') UTC; $(nproc) vCPU; $(uname -r); this checkout $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" \
    "${BEFORE_ROOT:+; before: $BEFORE_ROOT}" | tee "$BASE/machine.txt"
for e in "${EDGES[@]}"; do
  order="switchboard"; [ "$e" = after ] && order="switchboard uws"
  ORDER=$order run conn-cost "$e" "$HERE/conn-cost.sh" cc
done
for e in "${EDGES[@]}"; do ROUNDS=1 HOLD=8s run edge-memory "$e" "$HERE/edge-memory.sh" mem; done
for e in "${EDGES[@]}"; do
  order="switchboard"; [ "$e" = after ] && order="switchboard uws"
  ORDER=$order run fanout "$e" "$HERE/fanout-compare.sh" fc
done
if [ "$STORM" = 1 ]; then
  for e in "${EDGES[@]}"; do HEAP= run storm "$e" "$HERE/reconnect-storm.sh" 19000 1; done
fi
python3 "$HERE/connection_cost_report.py" "$BASE" | tee "$BASE/report.md"
