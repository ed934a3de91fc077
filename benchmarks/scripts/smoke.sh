#!/usr/bin/env bash
# The first smoke run: 500 subscribers on 5 channels, 1,000 publications/s (~100k deliveries/s offered), 20 s.
set -euo pipefail
. "$(dirname "$0")/env.sh"
NODE=${NODE:-bench-smoke}
trap 'stop_edge $NODE' EXIT
note_load
start_edge $NODE 8080 8081 >/dev/null
"$SB" loadgen --scenario fanout --connections 500 --channels 5 --publishers 5 --rate 1000 --duration 20s \
  --jwt-secret "$SECRET" --api-key "$API_KEY" --out "$OUT_BASE/smoke" "$@"
note_load
