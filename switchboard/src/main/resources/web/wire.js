// The WebSocket side of the protocol (docs/protocol.md): binary messages holding
// varint-length-delimited ClientFrame / ServerFrame protobufs, replies matched to
// commands by request id, pushes handed to the app, and reconnects with backoff
// that resume every chat channel from the last sequence the app saw.
//
// The protobuf types come from vendor/switchboard-proto.js (generated from
// wire-protocol's switchboard.proto), loaded as a classic script before this module.

const pb = globalThis.protobuf.roots.default.switchboard.v1;
const Reader = globalThis.protobuf.Reader;

const REQUEST_TIMEOUT_MS = 15000;
const MAX_BACKOFF_MS = 30000;

/** A command the server refused (Error reply), or one that never got an answer. */
export class WireError extends Error {
  constructor(code, message, temporary) {
    super(message || `error ${code}`);
    this.code = code;          // ErrorCode number, or "closed" / "timeout"
    this.temporary = temporary;
  }
}

export class Wire {
  /**
   * url: ws://host/ws?token=...
   * handlers.positions(): [{channel, seq}] to resume from on (re)connect
   * handlers.onConnected(ConnectResult), handlers.onPush(kind, body), handlers.onState(state, detail)
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.nextId = 1;
    this.pending = new Map();      // request id -> {resolve, reject, timer}
    this.attempts = 0;             // failed connects since the last good one
    this.advice = null;            // the last Disconnect push: the server's word on reconnecting
    this.ws = null;
    this.connected = false;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (sign out). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
  }

  /** Sends a command and resolves with the reply body (e.g. PublishResult); rejects with a WireError. */
  request(command, body) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (!this.connected && command !== "connect")) {
      return Promise.reject(new WireError("closed", "not connected", true));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new WireError("timeout", `${command} timed out`, true));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.write(id, command, body);
    });
  }

  /** Fire and forget (request id 0: the server sends no reply). */
  send(command, body) {
    if (this.connected && this.ws.readyState === WebSocket.OPEN) this.write(0, command, body);
  }

  write(id, command, body) {
    this.ws.send(pb.ClientFrame.encodeDelimited({ id, [command]: body }).finish());
  }

  open() {
    this.handlers.onState(this.attempts === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.advice = null;
    ws.onopen = () => this.handshake();
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closed(ws, ev);
  }

  async handshake() {
    try {
      const result = await this.request("connect", {
        clientName: "switchboard-web",
        clientVersion: "1",
        positions: this.handlers.positions(),
      });
      this.connected = true;
      this.attempts = 0;
      this.handlers.onState("connected");
      this.watchLiveness(result.heartbeatIntervalMs || 25000);
      this.handlers.onConnected(result);
    } catch (e) {
      // A refused or unanswered connect: start over through the backoff.
      this.ws.close(4000, "connect failed");
    }
  }

  /**
   * The server's pings keep it sure of us, but a browser cannot see them: after a
   * laptop sleeps the socket may look open while it is dead. An application ping
   * once per heartbeat interval finds that out and reconnects.
   */
  watchLiveness(intervalMs) {
    clearInterval(this.livenessTimer);
    const ws = this.ws;
    this.livenessTimer = setInterval(() => {
      if (ws !== this.ws) return;
      this.request("ping", { nonce: Date.now() }).catch(() => ws.close(4002, "no pong"));
    }, intervalMs);
  }

  receive(data) {
    const reader = Reader.create(new Uint8Array(data));
    while (reader.pos < reader.len) {
      const frame = pb.ServerFrame.decodeDelimited(reader);
      const kind = frame.body;
      if (frame.id) {
        const p = this.pending.get(frame.id);
        if (!p) continue;
        this.pending.delete(frame.id);
        clearTimeout(p.timer);
        if (kind === "error") p.reject(new WireError(frame.error.code, frame.error.message, frame.error.temporary));
        else p.resolve(frame[kind]);
      } else if (kind) {
        if (kind === "disconnect") this.advice = frame.disconnect;
        this.handlers.onPush(kind, frame[kind]);
      }
      // A body this client does not know decodes to no kind: ignored, as the protocol asks.
    }
  }

  closed(ws, ev) {
    if (ws !== this.ws) return;
    clearInterval(this.livenessTimer);
    this.connected = false;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new WireError("closed", "connection closed", true));
    }
    this.pending.clear();
    if (this.stopped) {
      this.handlers.onState("stopped");
      return;
    }
    const advice = this.advice;
    // 4500-4999: the server says do not reconnect until the cause is fixed.
    if ((ev.code >= 4500 && ev.code <= 4999) || (advice && !advice.reconnect)) {
      this.handlers.onState("failed", (advice && advice.reason) || ev.reason || `closed with code ${ev.code}`);
      return;
    }
    const base = advice && advice.reconnectAfterMs
      ? advice.reconnectAfterMs
      : Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts);
    // Jitter, so that the clients of a restarted node do not all come back at once.
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempts++;
    this.handlers.onState("waiting", delay);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }
}
