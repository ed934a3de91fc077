'use strict';
// The uWebSockets.js comparison server of docs/benchmarks.md ("The uWS comparison server"): native topic
// pub/sub over a mini protocol of JSON text frames, no auth, no persistence: the floor of what a WebSocket
// server costs. Any path upgrades; {"t":"sub","ch":C} subscribes and is answered {"t":"ok","ch":C};
// {"t":"pub","ch":C,...} on any connection sends the same frame to every subscriber of C (uWS corks each
// socket's frames per loop iteration). Beyond 1 MiB of backpressure uWS skips a slow subscriber's messages.
// Run by benchmarks/scripts/uws.sh: PORT=7001 NODE_PATH=/tmp/uws/node_modules node server.js
const uWS = require('@trufflesuite/uws-js-unofficial');

const port = Number(process.env.PORT || 7001);
const host = process.env.HOST || '127.0.0.1';
const decoder = new TextDecoder();

const app = uWS.App().ws('/*', {
  compression: uWS.DISABLED,
  maxPayloadLength: 64 * 1024,
  idleTimeout: 120,
  maxBackpressure: 1024 * 1024,
  message: (ws, message, isBinary) => {
    let m;
    try {
      m = JSON.parse(decoder.decode(message));
    } catch {
      return;
    }
    if (m.t === 'pub' && typeof m.ch === 'string') {
      app.publish(m.ch, message, isBinary);
    } else if (m.t === 'sub' && typeof m.ch === 'string') {
      ws.subscribe(m.ch);
      ws.send(JSON.stringify({ t: 'ok', ch: m.ch }));
    }
  },
}).listen(host, port, (token) => {
  if (!token) {
    console.error(`uws: cannot listen on ${host}:${port}`);
    process.exit(1);
  }
  console.log(`uws listening on ${host}:${port}`);
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
