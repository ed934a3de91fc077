#!/usr/bin/env bash
# The uWebSockets.js comparison server (benchmarks/uws/server.js; its protocol is in docs/benchmarks.md).
#   uws.sh install        installs uWebSockets.js from npm into $UWS_DIR (default /tmp/uws; about a minute)
#   uws.sh run [PORT]     runs the server in the foreground on 127.0.0.1:PORT (default 7001) until Ctrl-C
# The benchmark scripts start and stop it themselves (start_uws in env.sh).
set -euo pipefail
. "$(dirname "$0")/env.sh"
case ${1:-} in
  install)
    mkdir -p "$UWS_DIR"
    cp "$BENCH_ROOT/benchmarks/uws/package.json" "$UWS_DIR/"
    npm install --prefix "$UWS_DIR" --no-audit --no-fund --omit=dev >&2
    node -e "require('$UWS_DIR/node_modules/@trufflesuite/uws-js-unofficial')" \
      && echo "uWebSockets.js installed in $UWS_DIR" >&2 ;;
  run)
    [ -d "$UWS_DIR/node_modules/@trufflesuite/uws-js-unofficial" ] || "$0" install
    PORT=${2:-7001} NODE_PATH=$UWS_DIR/node_modules exec node "$BENCH_ROOT/benchmarks/uws/server.js" ;;
  *) echo "usage: uws.sh install | run [PORT]" >&2; exit 2 ;;
esac
