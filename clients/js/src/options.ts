// The settings of a SwitchboardClient and the shapes of history queries.
import type { Endpoint } from "./endpoint.js";
import type { WebSocketConstructor } from "./connection.js";
import type { OutboxOptions } from "./outbox.js";
import type { Publication } from "./types.js";

export interface ClientOptions {
  /** The edge's WebSocket URL (`ws://host:8080/ws`), or several, tried in order. */
  url?: string | string[];
  /** The balancer's base URL (`http://host:8070`): asked for a node on every connect. */
  balancer?: string;
  /** Any other way to find nodes. Exactly one of url, balancer, endpoint. */
  endpoint?: Endpoint;
  /** The connection token (a JWT), or a function that returns a fresh one: called on every connect and before expiry. */
  token: string | (() => string | Promise<string>);
  /** A WebSocket implementation; default `globalThis.WebSocket` (browsers, Node 22+). On Node 18/20 pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** `fetch` for the balancer; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  clientName?: string;
  clientVersion?: string;
  /** Reconnect backoff: attempt n waits a random time up to min(maxMs, baseMs × 2^n). Default 500 ms, 20 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** Opening a WebSocket may take this long. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * The answer to `connect` may take this long. Default 60 s, on purpose: a node under
   * load may take a while to load a session's memberships, and clients that give up
   * early make it start over (all of them: a storm).
   */
  connectReplyTimeoutMs?: number;
  /** A command may wait this long for its reply (and for a connection). Default 15 s. */
  requestTimeoutMs?: number;
  /** Application pings (browsers cannot see WebSocket pings): default the server's heartbeat interval; 0 turns them off. */
  pingIntervalMs?: number;
  outbox?: Partial<OutboxOptions>;
  /** Gap fills read history in pages of this size (at most 200). */
  historyPageSize?: number;
  /** Where listener exceptions go; default console.error. */
  onListenerError?: (err: unknown) => void;
  /** The jitter source (tests). */
  random?: () => number;
}

export interface HistoryPage {
  publications: Publication[];
  /** The sequence to pass as the next `before` (or `after`); 0 at the end. */
  nextCursor: number;
}

export interface HistoryOptions {
  /** "backward": newest first (default); "forward": oldest first. */
  direction?: "backward" | "forward";
  /** Start before this sequence (backward; default: from the newest) or after it (forward; default 0). */
  from?: number;
  /** Page size (at most 200). */
  pageSize?: number;
}
