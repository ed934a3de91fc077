#!/usr/bin/env bash
# JVM options and transports side by side, one edge process per variant (ADR 0015, docs/benchmarks.md "Memory
# defaults measured"): for each VARIANT a fresh `bin/switchboard edge` with the launcher's defaults plus the
# variant's JVM options and edge arguments, then loadgen --scenario rounds (ROUNDS rounds of N connections,
# connection i subscribed to channel i mod CHANNELS, CONC handshakes in flight, nothing forces a GC), as
# conn-cost.sh does for the edge alone. One line per variant: RSS at start (anonymous / file-backed), RSS
# growth per connection in each round, seconds to open each round, and the server's CPU per connection over
# all rounds (user + system, from /proc; a shared machine inflates wall time far more than CPU time).
# Ports are chosen free on loopback, so runs of other checkouts on the usual ports do not collide.
# Usage: mem-matrix.sh LABEL 'NAME|JAVA OPTIONS|EDGE ARGS' ...
#   e.g. mem-matrix.sh m1 'defaults||' 'serial|-XX:+UseSerialGC|' 'epoll||--transport epoll'
# Each variant's CPU split by thread kind (event loops, JIT, GC, ...) and by phase of each round (open, held,
# close, idle; thread_cpu.py) goes to OUT/threads-NAME.md. PERF=1 also records the edge with
# `perf record -g` (OUT/perf-NAME.data; add -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions
# -XX:+DumpPerfMapAtExit to the variant's options for Java frames; thread_cpu.py perf cuts it by phase).
#   env: N=10000 CHANNELS=1000 CONC=100 ROUNDS=2 HOLD=3s SETTLE=3s SB_ROOT=<checkout of the edge>
set -uo pipefail
. "$(dirname "$0")/env.sh"
. "$SB_ROOT/bin/lib/aot.sh"
LABEL=${1:?usage: mem-matrix.sh LABEL VARIANT...}; shift
N=${N:-10000}; CHANNELS=${CHANNELS:-1000}; CONC=${CONC:-100}; ROUNDS=${ROUNDS:-2}; HOLD=${HOLD:-3s}; SETTLE=${SETTLE:-3s}
OUT=$OUT_BASE/mem-matrix-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
PID=""
trap 'stop_pid "$PID"' EXIT
"$LOADGEN" --help >/dev/null 2>&1
status_mib() { awk -v k="$2:" '$1 == k {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hdr="| variant | RSS at start MB (anon / file) |"
for r in $(seq 1 "$ROUNDS"); do hdr+=" round $r KB/conn | round $r s |"; done
echo "$hdr server CPU ms/conn | load |" | tee "$OUT/table.md"
for v in "$@"; do
  IFS='|' read -r name opts args <<< "$v"
  port=$(_sb_free_port) && api=$(_sb_free_port) || { echo "no free port" >&2; exit 1; }
  load0=$(uptime | sed 's/.*load average: //; s/,.*//')
  export SWITCHBOARD_JAVA_OPTS="$opts"
  # shellcheck disable=SC2086
  PID=$(start_edge "mm-$LABEL-$name" "$port" "$api" $args) || { echo "| $name | did not start |"; continue; }
  unset SWITCHBOARD_JAVA_OPTS
  sleep 5
  start="$(awk '/VmRSS/{printf "%.1f", $2 / 1024}' "/proc/$PID/status") ($(status_mib "$PID" RssAnon) / $(status_mib "$PID" RssFile))"
  c0=$(cpu_ticks "$PID")
  python3 "$(dirname "$0")/thread_cpu.py" sample "$PID" "$OUT/threads-$name.txt" & SAMPLER=$!
  PERFPID=""
  if [ "${PERF:-0}" = 1 ]; then
    perf record -q -F 499 -g -k CLOCK_REALTIME -p "$PID" -o "$OUT/perf-$name.data" >/dev/null 2>&1 & PERFPID=$!
  fi
  "$LOADGEN" loadgen --scenario rounds --connections "$N" --channels "$CHANNELS" --connect-concurrency "$CONC" \
      --rounds "$ROUNDS" --duration "$HOLD" --drain "$SETTLE" --timeout 10m --handshake-timeout 30s \
      --target "switchboard=ws://127.0.0.1:$port/ws" --server-pid "switchboard=$PID" --api-url "http://127.0.0.1:$api" \
      --api-key "$API_KEY" --jwt-secret "$SECRET" --source-addresses 127.0.0.2-127.0.0.5 --out "$OUT/lg-$name" \
      > "$OUT/loadgen-$name.txt" 2>&1 || echo "$name: loadgen failed (see $OUT/loadgen-$name.txt)" >&2
  c1=$(cpu_ticks "$PID")
  kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null
  [ -n "$PERFPID" ] && { kill -INT "$PERFPID" 2>/dev/null; wait "$PERFPID" 2>/dev/null; }
  stop_pid "$PID"; PID=""
  python3 "$(dirname "$0")/thread_cpu.py" report "$OUT/threads-$name.txt" "$N" > "$OUT/threads-$name.md"
  load1=$(uptime | sed 's/.*load average: //; s/,.*//')
  python3 - "$OUT/lg-$name/summary.json" "$name" "$start" "$ROUNDS" "$N" "$((c1 - c0))" "$load0-$load1" <<'EOF' | tee -a "$OUT/table.md"
import json, sys
path, name, start, rounds, n, ticks, load = sys.argv[1:]
r = json.load(open(path))["targets"][0]["results"]
row = f"| {name} | {start} |"
for i in range(1, int(rounds) + 1):
    row += f" {r.get(f'round{i}_rss_per_connection_bytes', float('nan')) / 1e3:.2f} | {r.get(f'round{i}_seconds', float('nan')):.2f} |"
row += f" {int(ticks) * 10 / (int(n) * int(rounds)):.3f} | {load} |"
print(row)
EOF
done
