// An in-memory edge for unit tests: a WebSocket constructor whose sockets talk to a
// small model of the server (chat channels with sequenced logs, client_msg_id
// dedupe, history, recovery from connect positions, subscriptions), with knobs to
// inject the faults the SDK must survive: lost publications, dropped connections,
// may_have_missed, disconnect advice, refused connects.
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { ClientFrame, ServerFrame, type Publication } from "../../src/gen/switchboard.js";
import type { WebSocketLike } from "../../src/connection.js";

type Body = NonNullable<ServerFrame["body"]>;

export class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly frames: ClientFrame[] = [];
  /** Live channels of this session. */
  readonly subscribed = new Set<string>();
  connected = false;

  constructor(
    readonly server: FakeServer,
    readonly url: string,
  ) {}

  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    const r = new BinaryReader(data);
    while (r.pos < r.len) {
      const f = ClientFrame.decode(r, r.uint32());
      this.frames.push(f);
      this.server.handle(this, f);
    }
  }

  close(code = 1000, reason = ""): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.server.sockets.delete(this);
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  /** The server's side: frames in one binary message. */
  deliver(...bodies: [number, Body][]): void {
    if (this.readyState !== 1) return;
    const w = new BinaryWriter();
    for (const [id, body] of bodies) w.bytes(ServerFrame.encode({ id, body }).finish());
    const bytes = w.finish();
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }

  /** The server closes the connection, with a Disconnect push first when `advice` is given. */
  drop(code: number, advice?: { reconnect: boolean; reconnectAfterMs?: number; reason?: string }): void {
    if (advice) {
      this.deliver([0, { $case: "disconnect", value: { code, reason: advice.reason ?? "", reconnect: advice.reconnect, reconnectAfterMs: advice.reconnectAfterMs ?? 0, sessionId: "" } }]);
    }
    this.close(code, advice?.reason ?? "");
  }

  commands(kind: string): ClientFrame[] {
    return this.frames.filter((f) => f.command?.$case === kind);
  }
}

interface StoredPub extends Publication {}

export class FakeServer {
  readonly sockets = new Set<FakeSocket>();
  readonly opened: FakeSocket[] = [];
  readonly logs = new Map<string, StoredPub[]>();
  /** Channels every session of the user is subscribed to at connect (chat channels). */
  readonly memberOf = new Set<string>();
  /** Connects to these URLs fail (closed before open). */
  readonly unreachable = new Set<string>();
  /** Replays at most this many publications per channel at connect; more: recovered = false. */
  maxReplay = 1000;
  /** Publications not fanned out live (a lost broker message): sequences here are skipped live. */
  readonly dropLive = new Set<number>();
  /** Publishes are committed but their replies never sent (the connection drops first) while true. */
  swallowPublishReplies = false;
  /** Cuts every history page to this many publications, as the edge does when a reply would pass a session's outbound budget. */
  historyPageCap = Infinity;
  /** Next publishes answer this error instead. */
  readonly publishErrors: { code: number; temporary: boolean }[] = [];
  tokenExpiresAtMs = 0;
  heartbeatMs = 0;
  userId = "alice";
  private session = 0;

  /** The WebSocket constructor to give the client. */
  readonly WebSocket = ((server: FakeServer) =>
    class {
      constructor(url: string) {
        const s = new FakeSocket(server, url);
        server.opened.push(s);
        const base = url.split("?")[0];
        queueMicrotask(() => {
          if (server.unreachable.has(base)) {
            s.readyState = 3;
            s.onclose?.({ code: 1006, reason: "" });
            return;
          }
          s.readyState = 1;
          server.sockets.add(s);
          s.onopen?.({});
        });
        return s as unknown as object;
      }
    })(this) as unknown as new (url: string) => WebSocketLike;

  get current(): FakeSocket | undefined {
    return [...this.sockets].at(-1);
  }

  log(channel: string): StoredPub[] {
    let l = this.logs.get(channel);
    if (!l) this.logs.set(channel, (l = []));
    return l;
  }

  /** Commits a message to a chat channel (as another user or a backend) and fans it out. */
  commit(channel: string, text: string, opts: { sender?: string; clientMsgId?: string } = {}): StoredPub {
    const l = this.log(channel);
    const pub: StoredPub = {
      channel,
      seq: l.length + 1,
      senderId: opts.sender ?? "bob",
      timestampMs: 1_700_000_000_000 + l.length,
      payload: new TextEncoder().encode(JSON.stringify({ id: 1000 + l.length, seq: l.length + 1, text })),
      messageId: 1000 + l.length,
      clientMsgId: opts.clientMsgId ?? "",
    };
    l.push(pub);
    if (!this.dropLive.has(pub.seq)) this.fanOut(pub);
    return pub;
  }

  fanOut(pub: Publication): void {
    for (const s of this.sockets) if (s.connected && s.subscribed.has(pub.channel)) s.deliver([0, { $case: "publication", value: pub }]);
  }

  handle(s: FakeSocket, f: ClientFrame): void {
    const c = f.command;
    if (!c) return;
    const reply = (body: Body): void => {
      if (f.id) s.deliver([f.id, body]);
    };
    const error = (code: number, temporary = false) => reply({ $case: "error", value: { code, message: `error ${code}`, temporary } });
    switch (c.$case) {
      case "connect": {
        s.connected = true;
        const recovered = [];
        const replay: Publication[] = [];
        for (const p of c.value.positions) {
          const l = this.log(p.channel);
          const missed = l.filter((x) => x.seq > p.seq);
          const ok = missed.length <= this.maxReplay;
          recovered.push({ channel: p.channel, recovered: ok, lastSeq: l.length });
          if (ok) replay.push(...missed);
        }
        for (const ch of this.memberOf) s.subscribed.add(ch);
        s.subscribed.add(`acme/#${this.userId}`);
        reply({
          $case: "connect",
          value: {
            sessionId: `s-${++this.session}`,
            nodeId: "fake-1",
            userId: this.userId,
            orgId: "acme",
            heartbeatIntervalMs: this.heartbeatMs,
            idleTimeoutMs: 60_000,
            tokenExpiresAtMs: this.tokenExpiresAtMs,
            channels: [`acme/#${this.userId}`, ...this.memberOf],
            recovered,
            channelPositions: [...this.memberOf].map((ch) => ({ channel: ch, seq: this.log(ch).length })),
          },
        });
        for (const p of replay) s.deliver([0, { $case: "publication", value: p }]);
        break;
      }
      case "subscribe": {
        const ch = c.value.channel;
        if (s.subscribed.has(ch)) return error(105);
        s.subscribed.add(ch);
        const l = this.log(ch);
        reply({ $case: "subscribe", value: { recovered: c.value.recover, lastSeq: l.length } });
        if (c.value.recover) for (const p of l.filter((x) => x.seq > c.value.sinceSeq)) s.deliver([0, { $case: "publication", value: p }]);
        break;
      }
      case "unsubscribe":
        s.subscribed.delete(c.value.channel);
        reply({ $case: "unsubscribe", value: {} });
        break;
      case "publish": {
        const { channel, payload, clientMsgId } = c.value;
        const err = this.publishErrors.shift();
        if (err) return error(err.code, err.temporary);
        if (!channel.includes("/chat/")) {
          reply({ $case: "publish", value: { seq: 0, messageId: 0, timestampMs: 1 } });
          this.fanOut({ channel, seq: 0, senderId: this.userId, timestampMs: 1, payload, messageId: 0, clientMsgId });
          return;
        }
        const l = this.log(channel);
        const existing = l.find((p) => p.clientMsgId === clientMsgId && p.senderId === this.userId);
        const stored = existing ?? this.commit(channel, new TextDecoder().decode(payload), { sender: this.userId, clientMsgId });
        if (this.swallowPublishReplies) return;
        reply({ $case: "publish", value: { seq: stored.seq, messageId: stored.messageId, timestampMs: stored.timestampMs } });
        break;
      }
      case "history": {
        const { channel, limit, beforeSeq, afterSeq, forward, threadId } = c.value;
        const n = Math.min(limit || 50, 200, this.historyPageCap);
        if (threadId) {
          // A thread's replies: what was published with this parent_id (the stored text is the publish payload).
          const replies = this.log(channel).filter((p) => p.seq > afterSeq && parentOf(p) === threadId);
          const page = replies.slice(0, n);
          reply({ $case: "history", value: { publications: page, nextCursor: replies.length > n ? page.at(-1)!.seq : 0 } });
          break;
        }
        const l = this.log(channel);
        let page: Publication[];
        if (forward) page = l.filter((p) => p.seq > afterSeq).slice(0, n);
        else page = l.filter((p) => beforeSeq === 0 || p.seq < beforeSeq).reverse().slice(0, n);
        const lastOfPage = page.at(-1);
        const more = lastOfPage !== undefined && (forward ? lastOfPage.seq < l.length : lastOfPage.seq > 1);
        reply({ $case: "history", value: { publications: page, nextCursor: more ? lastOfPage!.seq : 0 } });
        break;
      }
      case "ping":
        reply({ $case: "pong", value: { nonce: c.value.nonce } });
        break;
      case "presence":
        reply({ $case: "presence", value: { onlineUserIds: ["alice", "bob"], lastSeenMs: { carol: 1_700_000_000_000 } } });
        break;
      case "read":
        reply({ $case: "read", value: { seq: c.value.seq } });
        break;
      case "refresh":
        this.tokenExpiresAtMs = Date.now() + 3_600_000;
        reply({ $case: "refresh", value: { tokenExpiresAtMs: this.tokenExpiresAtMs } });
        break;
      case "typing":
        reply({ $case: "typing", value: {} });
        break;
    }
  }
}

/** The parent_id a fake-stored publication was published with, else 0. */
function parentOf(p: Publication): number {
  try {
    const stored = JSON.parse(new TextDecoder().decode(p.payload)) as { text: string };
    return (JSON.parse(stored.text) as { parent_id?: number }).parent_id ?? 0;
  } catch {
    return 0;
  }
}
