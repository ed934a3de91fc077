// The realtime client: one logical session over as many WebSockets as it takes.
// It connects through an endpoint (fixed URLs or the balancer), reconnects with
// backoff that follows the server's advice, resumes every chat channel from the
// last sequence it delivered, fills gaps from history, drops duplicates, queues
// publishes while disconnected, and refreshes its token before it expires.
import { Backoff } from "./backoff.js";
import { Connection, redact, type CommandName, type CommandOf, type Push, type ReplyOf, type WebSocketConstructor } from "./connection.js";
import { Emitter } from "./emitter.js";
import { balancerEndpoint, fixedEndpoint, type Endpoint } from "./endpoint.js";
import { mayReconnect, SwitchboardError } from "./errors.js";
import type { ClientOptions, HistoryOptions, HistoryPage } from "./options.js";
import type { ConnectResult, Disconnect } from "./gen/switchboard.js";
import { newClientMsgId } from "./ids.js";
import { Outbox, type OutboxOptions } from "./outbox.js";
import { ChannelView } from "./channel.js";
import { Keepalive } from "./keepalive.js";
import { ChannelTracker } from "./tracker.js";
import {
  toPublication,
  type ChannelEvents,
  type ClientEvents,
  type ConnectedEvent,
  type ConnectionState,
  type Publication,
  type PublishResult,
} from "./types.js";

export const SDK_VERSION = "0.2.0";

interface Waiter {
  resolve(e: ConnectedEvent): void;
  reject(e: Error): void;
}

export class SwitchboardClient {
  private readonly events: Emitter<ClientEvents>;
  private readonly views = new Map<string, ChannelView>();
  private readonly endpoint: Endpoint;
  private readonly WS: WebSocketConstructor;
  private readonly backoff: Backoff;
  private readonly channels: ChannelTracker;
  private keepalive: Keepalive | null = null;
  private readonly outbox: Outbox;
  private waiters: Waiter[] = [];
  private conn: Connection | null = null;
  private advice: Disconnect | null = null;
  private currentState: ConnectionState = "idle";
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private connections = 0;
  private session: ConnectedEvent | null = null;
  private readonly opts: Required<Pick<ClientOptions, "connectTimeoutMs" | "requestTimeoutMs" | "historyPageSize" | "clientName" | "clientVersion">> & ClientOptions;

  constructor(options: ClientOptions) {
    const given = [options.url, options.balancer, options.endpoint].filter((v) => v !== undefined).length;
    if (given !== 1) throw new TypeError("give exactly one of url, balancer, endpoint");
    if (!options.token) throw new TypeError("token is required");
    this.opts = {
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      historyPageSize: 200,
      clientName: "switchboard-js",
      clientVersion: SDK_VERSION,
      ...options,
    };
    this.events = new Emitter(options.onListenerError);
    this.endpoint =
      options.endpoint ??
      (options.balancer !== undefined
        ? balancerEndpoint(options.balancer, options.fetch)
        : fixedEndpoint(...([] as string[]).concat(options.url ?? [])));
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WS) throw new TypeError("no WebSocket here: pass the `ws` package as options.WebSocket");
    this.WS = WS;
    const b = options.backoff ?? { baseMs: 500, maxMs: 20_000 };
    this.backoff = new Backoff(b.baseMs, b.maxMs, options.random);
    this.channels = new ChannelTracker(this.opts.historyPageSize, (event, channel, e) => this.dispatch(event, channel, e), (e) => this.report(e));
    this.outbox = new Outbox({ maxQueued: 1000, maxAttempts: 5, retryDelayMs: 500, ...options.outbox });
  }

  // ------------------------------------------------------------ lifecycle

  get state(): ConnectionState {
    return this.currentState;
  }

  private get isClosed(): boolean {
    return this.currentState === "closed";
  }

  /** The session of the current (or last) connection. */
  get connectedAs(): ConnectedEvent | null {
    return this.session;
  }

  /** Starts connecting (and reconnecting); resolves with the first connected session. */
  connect(): Promise<ConnectedEvent> {
    if (this.isClosed) return Promise.reject(new SwitchboardError("client_closed", "client is closed", false));
    const ready = this.ready();
    if (this.currentState === "idle") void this.attempt();
    return ready;
  }

  /** Resolves when the client is connected (at once if it is). */
  ready(): Promise<ConnectedEvent> {
    if (this.currentState === "connected" && this.session) return Promise.resolve(this.session);
    if (this.isClosed) return Promise.reject(new SwitchboardError("client_closed", "client is closed", false));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Closes for good: no reconnect; queued publishes fail. */
  close(): void {
    if (this.isClosed) return;
    this.setState("closed");
    this.clearTimers();
    const err = new SwitchboardError("client_closed", "client closed", false);
    this.outbox.failAll(err);
    this.rejectWaiters(err);
    this.conn?.close(1000, "client closed");
    this.conn = null;
  }

  on<K extends keyof ClientEvents>(event: K, listener: (e: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (e: ClientEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /** A view of one channel: its events and commands. */
  channel(name: string): ChannelView {
    let v = this.views.get(name);
    if (!v) this.views.set(name, (v = new ChannelView(this, name, this.opts.onListenerError)));
    return v;
  }

  /** The last sequence delivered per chat channel (what the client resumes from). */
  positions(): Record<string, number> {
    return this.channels.positions();
  }

  // ------------------------------------------------------------ commands

  /** Subscribes now and after every reconnect (ephemeral channels; chat channels are subscribed by the server). */
  async subscribe(channel: string): Promise<void> {
    this.channels.keepSubscribed(channel);
    if (this.currentState === "connected" && this.conn) await this.channels.subscribe(this.conn, channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.channels.stopSubscribing(channel);
    if (this.conn?.open) await this.conn.request("unsubscribe", { channel });
  }

  /**
   * Publishes bytes or text. Queued while disconnected and sent once after the
   * reconnect; on chat channels a publish whose connection dropped is sent again
   * with the same `clientMsgId`, which the server stores once.
   */
  publish(channel: string, payload: Uint8Array | string, opts: { clientMsgId?: string } = {}): Promise<PublishResult> {
    if (this.isClosed) return Promise.reject(new SwitchboardError("client_closed", "client is closed", false));
    const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    return this.outbox.add(channel, bytes, opts.clientMsgId || newClientMsgId());
  }

  /** Sends a chat message (`{"text", "attachments"}`) to a chat channel. */
  sendMessage(channel: string, text: string, opts: { clientMsgId?: string; attachments?: unknown[] } = {}): Promise<PublishResult> {
    const body: Record<string, unknown> = { text };
    if (opts.attachments) body.attachments = opts.attachments;
    return this.publish(channel, JSON.stringify(body), opts);
  }

  /** One page of a chat channel's history: `before` (newest first; 0 = from the newest) or `after` (oldest first). */
  async historyPage(channel: string, q: { before?: number; after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const forward = q.after !== undefined;
    const r = await this.command("history", {
      channel,
      limit: q.limit ?? 50,
      beforeSeq: q.before ?? 0,
      afterSeq: q.after ?? 0,
      forward,
      threadId: 0,
    });
    return { publications: r.publications.map(toPublication), nextCursor: r.nextCursor };
  }

  /** Every publication of a chat channel's history, page by page as the loop asks for more. */
  async *history(channel: string, opts: HistoryOptions = {}): AsyncGenerator<Publication, void, undefined> {
    const forward = opts.direction === "forward";
    let cursor = opts.from ?? 0;
    const limit = opts.pageSize ?? 50;
    for (;;) {
      const page = await this.historyPage(channel, forward ? { after: cursor, limit } : { before: cursor, limit });
      yield* page.publications;
      if (page.nextCursor === 0 || page.publications.length === 0) return;
      cursor = page.nextCursor;
    }
  }

  /** Who is online in a channel. */
  async presence(channel: string): Promise<string[]> {
    return (await this.command("presence", { channel })).onlineUserIds;
  }

  /** When each offline member of a chat channel was last online (epoch ms); members never seen offline are absent. */
  async lastSeen(channel: string): Promise<Record<string, number>> {
    return (await this.command("presence", { channel })).lastSeenMs;
  }

  /** Tells the channel's subscribers this user is typing (fire and forget; dropped while disconnected). */
  typing(channel: string): void {
    if (this.currentState === "connected") this.conn?.send("typing", { channel });
  }

  /** Moves the read checkpoint (never backwards); resolves with the checkpoint after the call. */
  async markRead(channel: string, seq: number): Promise<number> {
    return (await this.command("read", { channel, seq })).seq;
  }

  /** Round trip to the node in milliseconds. */
  async ping(): Promise<number> {
    const t = Date.now();
    await this.command("ping", { nonce: t });
    return Date.now() - t;
  }

  /**
   * Any command of the protocol on the current connection (waiting for one up to
   * the request timeout). New commands of the protocol are usable here as soon
   * as the generated code has them.
   */
  async command<K extends CommandName>(name: K, value: CommandOf<K>): Promise<ReplyOf<K>> {
    const conn = await this.connection();
    return conn.request(name, value);
  }

  private async connection(): Promise<Connection> {
    if (this.currentState === "connected" && this.conn?.open) return this.conn;
    if (this.currentState === "idle") throw new SwitchboardError("closed", "call connect() first", false);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SwitchboardError("timeout", "not connected", true)), this.opts.requestTimeoutMs);
    });
    try {
      await Promise.race([this.ready(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    if (!this.conn?.open) throw new SwitchboardError("closed", "not connected", true);
    return this.conn;
  }

  // ------------------------------------------------------------ connecting

  private async attempt(): Promise<void> {
    if (this.isClosed) return;
    this.setState("connecting");
    let lastError: unknown;
    try {
      const token = typeof this.opts.token === "function" ? await this.opts.token() : this.opts.token;
      const urls = await this.endpoint(token);
      for (const url of urls) {
        if (this.isClosed) return;
        try {
          await this.open(url, token);
          return;
        } catch (err) {
          lastError = err;
        }
      }
    } catch (err) {
      lastError = err;
    }
    if (this.isClosed) return;
    this.report(lastError);
    this.scheduleReconnect(1006, lastError instanceof Error ? lastError.message : "connect failed");
  }

  private async open(url: string, token: string): Promise<void> {
    const sep = url.includes("?") ? "&" : "?";
    let conn: Connection | null = null;
    conn = await Connection.open(this.WS, `${url}${sep}token=${encodeURIComponent(token)}`, {
      onPush: (p) => this.onPush(p),
      onClose: (code, reason) => this.onClose(conn!, code, reason),
    }, { timeoutMs: this.opts.connectTimeoutMs, requestTimeoutMs: this.opts.requestTimeoutMs });
    if (this.isClosed) {
      conn.close();
      return;
    }
    this.conn = conn;
    this.advice = null;
    const positions = Object.entries(this.channels.positions()).map(([channel, seq]) => ({ channel, seq }));
    let hello: ConnectResult;
    try {
      hello = await conn.request("connect", { clientName: this.opts.clientName, clientVersion: this.opts.clientVersion, positions },
        this.opts.connectReplyTimeoutMs ?? 60_000);
    } catch (err) {
      // Refused or unanswered: the close handler reconnects through the backoff.
      this.report(err);
      conn.close(4000, "connect failed");
      return;
    }
    this.connected(conn, url, hello);
  }

  private connected(conn: Connection, url: string, hello: ConnectResult): void {
    this.backoff.reset();
    this.connections++;
    this.channels.connected(conn, hello);
    this.session = {
      sessionId: hello.sessionId,
      nodeId: hello.nodeId,
      userId: hello.userId,
      orgId: hello.orgId,
      url: redact(url),
      channels: hello.channels,
      tokenExpiresAtMs: hello.tokenExpiresAtMs,
      connection: this.connections,
    };
    this.keepalive = new Keepalive(conn, this.opts.token, (at) => this.session && (this.session.tokenExpiresAtMs = at), (e) => this.report(e));
    this.keepalive.pingEvery(this.opts.pingIntervalMs ?? hello.heartbeatIntervalMs);
    this.keepalive.refreshBefore(hello.tokenExpiresAtMs);
    this.setState("connected");
    this.events.emit("connected", this.session);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(this.session);
    this.outbox.attach(conn);
  }

  private onClose(conn: Connection, code: number, reason: string): void {
    if (conn !== this.conn) return;
    this.conn = null;
    this.clearTimers();
    this.outbox.detach();
    this.channels.disconnected();
    if (this.isClosed) return;
    const advice = this.advice;
    if (!mayReconnect(code) || (advice !== null && !advice.reconnect)) {
      const why = advice?.reason || reason || `closed with code ${code}`;
      this.setState("closed");
      this.events.emit("disconnected", { code, reason: why, reconnect: false, delayMs: 0 });
      const err = new SwitchboardError("closed", `the server closed the session (${code}: ${why}); not reconnecting`, false);
      this.outbox.failAll(err);
      this.rejectWaiters(err);
      return;
    }
    this.scheduleReconnect(code, advice?.reason || reason, advice?.reconnectAfterMs ?? 0);
  }

  private scheduleReconnect(code: number, reason: string, adviceMs = 0): void {
    const delayMs = this.backoff.next(adviceMs);
    this.setState("disconnected");
    this.events.emit("disconnected", { code, reason, reconnect: true, delayMs });
    this.later(() => void this.attempt(), delayMs);
  }

  // ------------------------------------------------------------ pushes

  private onPush(p: Push): void {
    if (p.$case === "disconnect") this.advice = p.value;
    else this.channels.push(p); // a push this version does not handle is ignored
  }

  private dispatch<K extends keyof ChannelEvents>(event: K, channel: string, e: ChannelEvents[K]): void {
    this.events.emit(event, e as ClientEvents[K]);
    this.views.get(channel)?.emitter.emit(event, e);
  }

  // ------------------------------------------------------------ helpers

  private setState(state: ConnectionState): void {
    const previous = this.currentState;
    if (previous === state) return;
    this.currentState = state;
    this.events.emit("state", { state, previous });
  }

  private report(err: unknown): void {
    this.events.emit("error", err instanceof Error ? err : new Error(String(err)));
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    this.keepalive?.stop();
    this.keepalive = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private rejectWaiters(err: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }
}

