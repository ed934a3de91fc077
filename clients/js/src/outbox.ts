// Publishes that outlive connections. A publish made while disconnected waits
// here and is sent once after the next connect. One whose connection dropped
// before its reply (outcome unknown) is sent again with the same client_msg_id on
// a chat channel, where the server stores a client_msg_id once (so the message
// exists once); on an ephemeral channel, which has no such key, it fails instead
// of risking a second delivery. Publishes of one channel go one at a time, in order.
import type { Connection } from "./connection.js";
import { ErrorCodes, SwitchboardError } from "./errors.js";
import type { PublishResult } from "./types.js";

export interface OutboxOptions {
  /** Publishes waiting at most (queued and in flight); beyond, publish fails at once. */
  maxQueued: number;
  /** Attempts of a publish whose error is temporary (rate limited, unavailable) before it fails. */
  maxAttempts: number;
  /** Delay before retrying after a temporary error: attempt n waits n × this. */
  retryDelayMs: number;
}

interface Entry {
  channel: string;
  payload: Uint8Array;
  clientMsgId: string;
  attempts: number;
  inFlight: boolean;
  resolve(r: PublishResult): void;
  reject(e: Error): void;
}

/** Chat channels (`<org>/chat/<id>`) are persisted and deduplicate by client_msg_id. */
export function isChatChannel(channel: string): boolean {
  return /^[^/]+\/chat\/[^/]+$/.test(channel);
}

export class Outbox {
  private readonly queue: Entry[] = [];
  private conn: Connection | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: OutboxOptions) {}

  get size(): number {
    return this.queue.length;
  }

  add(channel: string, payload: Uint8Array, clientMsgId: string): Promise<PublishResult> {
    if (this.queue.length >= this.opts.maxQueued) {
      return Promise.reject(new SwitchboardError(ErrorCodes.LIMIT_EXCEEDED, "outbox full", true));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ channel, payload, clientMsgId, attempts: 0, inFlight: false, resolve, reject });
      this.pump();
    });
  }

  /** A connection is ready (connected and resubscribed): send what waits. */
  attach(conn: Connection): void {
    this.conn = conn;
    this.pump();
  }

  /** The connection is gone; in-flight entries are settled by their request's failure. */
  detach(): void {
    this.conn = null;
  }

  /** Fails every waiting publish (the client was closed, or may not reconnect). */
  failAll(err: Error): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const e of this.queue.splice(0)) e.reject(err);
  }

  private pump(): void {
    const conn = this.conn;
    if (!conn || !conn.open) return;
    const busy = new Set<string>();
    for (const e of this.queue) {
      if (busy.has(e.channel)) continue;
      busy.add(e.channel);
      if (!e.inFlight) this.send(conn, e);
    }
  }

  private send(conn: Connection, e: Entry): void {
    e.inFlight = true;
    e.attempts++;
    conn
      .request("publish", { channel: e.channel, payload: e.payload, clientMsgId: e.clientMsgId })
      .then(
        (r) => this.settle(e, () => e.resolve({ seq: r.seq, messageId: r.messageId, timestampMs: r.timestampMs, clientMsgId: e.clientMsgId })),
        (err: SwitchboardError) => this.failed(e, err),
      );
  }

  private failed(e: Entry, err: SwitchboardError): void {
    e.inFlight = false;
    const unknownOutcome = err.code === "closed" || err.code === "timeout";
    if (unknownOutcome) {
      if (isChatChannel(e.channel)) {
        // Sent again with the same key after the next connect: stored once.
        this.pump();
        return;
      }
      this.settle(e, () => e.reject(new SwitchboardError(err.code, `publish to ${e.channel}: outcome unknown (${err.message}); not retried on an ephemeral channel`, false)));
      return;
    }
    if (err.temporary && e.attempts < this.opts.maxAttempts) {
      // Keeps the channel's place in line (in flight) until the retry: nothing later on it goes first.
      e.inFlight = true;
      const retry = setTimeout(() => {
        this.timers.delete(retry);
        e.inFlight = false;
        this.pump();
      }, this.opts.retryDelayMs * e.attempts);
      this.timers.add(retry);
      return;
    }
    this.settle(e, () => e.reject(err));
  }

  private settle(e: Entry, done: () => void): void {
    const i = this.queue.indexOf(e);
    if (i >= 0) this.queue.splice(i, 1);
    done();
    this.pump();
  }
}
