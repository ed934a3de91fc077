#!/usr/bin/env bash
# Presence leases across a Redis that restarts empty (docs/benchmarks.md, "Presence renewal as a script"): an
# edge with --redis on a redis-server of this script's own (REDIS_PORT), holding N connections (loadgen rounds,
# one round of HOLD); once they are all open, that Redis is shut down for DOWN and started again with no data.
# SETTLE later every lease must be back, written by the node's renewals: one hash per user and one index entry
# per session, and every hash with an expiry (a hash without one outlives its sessions). Prints the counts, how
# often the node logged a failed renewal, and the load generator's verdict; exits 1 if a lease or an expiry is
# missing. Nothing else uses the Redis it kills.
# Usage: presence-outage.sh [LABEL]
#   env: N=2000 HOLD=75s DOWN=25 SETTLE=22 REDIS_PORT=6390 PORT=8580 API_PORT=8581 SB_ROOT=<checkout of the edge>
set -uo pipefail
. "$(dirname "$0")/env.sh"
LABEL=${1:-outage}
N=${N:-2000}; HOLD=${HOLD:-75s}; DOWN=${DOWN:-25}; SETTLE=${SETTLE:-22}
REDIS_PORT=${REDIS_PORT:-6390}; PORT=${PORT:-8580}; API_PORT=${API_PORT:-8581}
OUT=$OUT_BASE/presence-outage-$LABEL; rm -rf "$OUT"; mkdir -p "$OUT"; OUT_BASE=$OUT
PID=""; LG=""
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$OUT" --logfile "$OUT/redis.log" || exit 1
  for _ in $(seq 1 50); do rcli ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server on $REDIS_PORT did not start (see $OUT/redis.log)" >&2; exit 1
}
cleanup() { [ -n "$LG" ] && kill "$LG" 2>/dev/null; stop_pid "$PID"; rcli shutdown nosave >/dev/null 2>&1; }
trap cleanup EXIT
if rcli ping >/dev/null 2>&1; then echo "something already answers on $REDIS_PORT; choose REDIS_PORT" >&2; exit 1; fi
note_load | tee "$OUT/load.txt"
start_redis
PID=$(start_edge "outage-$PORT" "$PORT" "$API_PORT" --redis "redis://127.0.0.1:$REDIS_PORT") || exit 1
"$LOADGEN" loadgen --scenario rounds --connections "$N" --channels 100 --connect-concurrency 100 --rounds 1 \
    --duration "$HOLD" --drain 2s --timeout 5m --handshake-timeout 30s --target "switchboard=ws://127.0.0.1:$PORT/ws" \
    --api-url "http://127.0.0.1:$API_PORT" --api-key "$API_KEY" --jwt-secret "$SECRET" --out "$OUT/lg" \
    > "$OUT/loadgen.txt" 2>&1 &
LG=$!
for _ in $(seq 1 600); do
  [ "$(stats "$API_PORT" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p')" -ge "$N" ] 2>/dev/null && break; sleep 0.2
done
sleep 2
# leases KEY-KIND: the users' hashes ("hashes"), those of them without an expiry ("no-expiry"), the index entries.
leases() {
  local n=0 none=0 k
  while read -r k; do
    case $k in *":leases" | *"seen|"*) continue ;; esac
    n=$((n + 1)); [ "$(rcli pttl "$k")" -lt 0 ] && none=$((none + 1))
  done < <(rcli --scan --pattern 'sb:presence:*')
  echo "hashes=$n without_expiry=$none index_entries=$(rcli zcard sb:presence:leases)"
}
echo "held, before the outage: $(leases)" | tee "$OUT/summary.txt"
before=$(rcli --scan --pattern 'sb:presence:*' | grep -vc -e ':leases$' -e 'seen|')
rcli shutdown nosave >/dev/null 2>&1
echo "Redis down for ${DOWN} s" | tee -a "$OUT/summary.txt"
sleep "$DOWN"
start_redis
sleep "$SETTLE"
after=$(leases)
echo "${SETTLE} s after Redis came back empty: $after" | tee -a "$OUT/summary.txt"
wait "$LG"; lg=$?; LG=""
echo "node logged 'presence leases not renewed' $(grep -c 'presence leases not renewed' "$OUT/outage-$PORT.log") times; loadgen exit $lg" \
  | tee -a "$OUT/summary.txt"
note_load >> "$OUT/load.txt"
case $after in
  "hashes=$before without_expiry=0 index_entries=$N") echo "every lease back, each with its expiry" ;;
  *) echo "FAILED: expected hashes=$before without_expiry=0 index_entries=$N" >&2; exit 1 ;;
esac
