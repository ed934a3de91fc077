// The shared client scenarios (docs/clients.md, "Scenarios"), against the in-memory
// edge of test/support. The Java SDK's *ScenariosTest classes run the same list.
import { afterEach, describe, expect, it, vi } from "vitest";
import { SwitchboardClient, chatMessage, type Publication, type ClientOptions } from "../../src/index.js";
import { FakeServer } from "../support/fake-server.js";

const CH = "acme/chat/7";
const clients: SwitchboardClient[] = [];

function client(server: FakeServer, opts: Partial<ClientOptions> = {}): { c: SwitchboardClient; got: Publication[]; events: string[] } {
  const c = new SwitchboardClient({
    url: "ws://edge-1/ws",
    token: "t0",
    WebSocket: server.WebSocket,
    random: () => 0,
    backoff: { baseMs: 1, maxMs: 5 },
    ...opts,
  });
  clients.push(c);
  const got: Publication[] = [];
  const events: string[] = [];
  c.on("publication", (p) => got.push(p));
  c.on("state", (e) => events.push(e.state));
  return { c, got, events };
}

const texts = (got: Publication[]) => got.map((p) => chatMessage(p).text);
const seqs = (got: Publication[]) => got.map((p) => p.seq);
const until = (cond: () => boolean) => vi.waitFor(() => expect(cond()).toBe(true), { timeout: 3000, interval: 2 });

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

describe("S1 connect", () => {
  it("connects, reports the session and the server's channels, and sends its name and version", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, events } = client(server);
    const s = await c.connect();
    expect(s).toMatchObject({ userId: "alice", orgId: "acme", nodeId: "fake-1", connection: 1, url: "ws://edge-1/ws" });
    expect(s.channels).toContain(CH);
    expect(events).toEqual(["connecting", "connected"]);
    expect(server.current!.url).toBe("ws://edge-1/ws?token=t0");
    const hello = server.current!.commands("connect")[0].command!.value as { clientName: string; clientVersion: string };
    expect(hello).toMatchObject({ clientName: "switchboard-js", clientVersion: "0.2.0" });
    expect(c.positions()).toEqual({ [CH]: 0 });
  });

  it("tries the next URL when one cannot be reached", async () => {
    const server = new FakeServer();
    server.unreachable.add("ws://dead/ws");
    const { c } = client(server, { url: ["ws://dead/ws", "ws://edge-1/ws"] });
    expect((await c.connect()).url).toBe("ws://edge-1/ws");
  });
});

describe("S2 publish", () => {
  it("publishes with a client_msg_id and gets its own message back once", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    await c.connect();
    const r = await c.sendMessage(CH, "hello", { clientMsgId: "m-1" });
    expect(r).toMatchObject({ seq: 1, clientMsgId: "m-1" });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ channel: CH, seq: 1, clientMsgId: "m-1", senderId: "alice" });
    expect(chatMessage(got[0]).text).toContain("hello");
  });

  it("generates a client_msg_id when none is given", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c } = client(server);
    await c.connect();
    const r = await c.publish(CH, "x");
    expect(r.clientMsgId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("S3 gap in live traffic", () => {
  it("fills a sequence gap from history and delivers in order, once", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    await c.connect();
    server.commit(CH, "one");
    server.dropLive.add(2).add(3);
    server.commit(CH, "two");
    server.commit(CH, "three");
    server.commit(CH, "four");
    await until(() => got.length === 4);
    expect(seqs(got)).toEqual([1, 2, 3, 4]);
    expect(server.current!.commands("history").length).toBeGreaterThan(0);
  });
});

describe("S4 duplicates", () => {
  it("drops a publication it already delivered, by (channel, seq)", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    await c.connect();
    const p = server.commit(CH, "one");
    server.fanOut(p);
    server.fanOut(p);
    server.commit(CH, "two");
    await until(() => got.length === 2);
    expect(seqs(got)).toEqual([1, 2]);
  });
});

describe("S5 may_have_missed", () => {
  it("reads history after its last sequence without the app's help", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    await c.connect();
    server.commit(CH, "one");
    server.dropLive.add(2).add(3);
    server.commit(CH, "lost-2");
    server.commit(CH, "lost-3");
    await until(() => got.length === 1);
    const told: string[] = [];
    c.channel(CH).on("mayHaveMissed", (e) => told.push(e.reason));
    server.current!.deliver([0, { $case: "mayHaveMissed", value: { channel: CH, sinceSeq: 0, reason: "broker lost" } }]);
    await until(() => got.length === 3);
    expect(told).toEqual(["broker lost"]);
    expect(seqs(got)).toEqual([1, 2, 3]);
  });
  it("keeps filling while a page cut short by the server says there is more (next_cursor)", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    server.historyPageCap = 2;
    const { c, got } = client(server, { historyPageSize: 50 });
    await c.connect();
    server.commit(CH, "one");
    await until(() => got.length === 1);
    for (let s = 2; s <= 7; s++) server.dropLive.add(s);
    for (let s = 2; s <= 7; s++) server.commit(CH, `lost-${s}`);
    server.current!.deliver([0, { $case: "mayHaveMissed", value: { channel: CH, sinceSeq: 1, reason: "shed" } }]);
    await until(() => got.length === 7);
    expect(seqs(got)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("S6 reconnect and recovery", () => {
  it("reconnects after a reconnect code, honours the advised delay, and resumes from its positions", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    const disconnects: { code: number; reconnect: boolean; delayMs: number }[] = [];
    c.on("disconnected", (d) => disconnects.push(d));
    await c.connect();
    server.commit(CH, "one");
    await until(() => got.length === 1);
    server.current!.drop(4000, { reconnect: true, reconnectAfterMs: 40, reason: "shutting down" });
    server.commit(CH, "while away");
    await until(() => got.length === 2);
    expect(disconnects[0]).toMatchObject({ code: 4000, reconnect: true });
    expect(disconnects[0].delayMs).toBeGreaterThanOrEqual(40);
    const hello = server.current!.commands("connect")[0].command!.value as { positions: { channel: string; seq: number }[] };
    expect(hello.positions).toEqual([{ channel: CH, seq: 1 }]);
    expect(texts(got)).toEqual(["one", "while away"]);
    expect(c.connectedAs!.connection).toBe(2);
  });

  it("reconnects after the socket drops without a close code", async () => {
    const server = new FakeServer();
    const { c } = client(server);
    await c.connect();
    server.current!.close(1006);
    await until(() => c.state === "connected" && c.connectedAs!.connection === 2);
  });
});

describe("S7 terminal codes", () => {
  it("does not reconnect after a 45xx code, and fails what waits", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, events } = client(server);
    await c.connect();
    server.current!.drop(4503, { reconnect: false, reason: "kicked" });
    await until(() => c.state === "closed");
    expect(events.at(-1)).toBe("closed");
    await expect(c.publish(CH, "x")).rejects.toMatchObject({ code: "client_closed" });
    expect(server.opened.length).toBe(1);
  });

  it("does not reconnect when the Disconnect push says reconnect: false, even with a 40xx code", async () => {
    const server = new FakeServer();
    const { c } = client(server);
    await c.connect();
    server.current!.drop(4006, { reconnect: false });
    await until(() => c.state === "closed");
    expect(server.opened.length).toBe(1);
  });
});

describe("S8 outbox", () => {
  it("queues publishes made while disconnected and sends each once after the reconnect, in order", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    server.unreachable.add("ws://edge-1/ws");
    const { c, got } = client(server, { backoff: { baseMs: 20, maxMs: 20 }, random: () => 1 });
    void c.connect();
    const sends = [c.sendMessage(CH, "a"), c.sendMessage(CH, "b"), c.sendMessage(CH, "c")];
    await until(() => server.opened.length >= 2);
    server.unreachable.clear();
    const results = await Promise.all(sends);
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3]);
    await until(() => got.length === 3);
    expect(texts(got).map((t) => JSON.parse(t).text)).toEqual(["a", "b", "c"]);
    expect(server.log(CH).length).toBe(3);
  });
});

describe("S9 in-flight chat publish", () => {
  it("sends it again with the same client_msg_id after the reconnect: stored once, delivered once", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c, got } = client(server);
    await c.connect();
    server.swallowPublishReplies = true;
    const sent = c.sendMessage(CH, "once", { clientMsgId: "k-1" });
    await until(() => server.log(CH).length === 1);
    server.swallowPublishReplies = false;
    server.current!.drop(4006, { reconnect: true });
    const r = await sent;
    expect(r.seq).toBe(1);
    await until(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(got.length).toBe(1);
    expect(server.log(CH).length).toBe(1);
    const publishes = server.opened.flatMap((s) => s.commands("publish"));
    expect(publishes.map((f) => (f.command!.value as { clientMsgId: string }).clientMsgId)).toEqual(["k-1", "k-1"]);
  });
});

describe("S10 in-flight ephemeral publish", () => {
  it("fails with an unknown outcome instead of risking a second delivery", async () => {
    const server = new FakeServer();
    const { c } = client(server);
    await c.connect();
    server.current!.onmessage = null; // the server stops answering
    const sent = c.publish("acme/room", "x");
    server.current!.close(1006);
    await expect(sent).rejects.toMatchObject({ code: "closed" });
    await until(() => c.state === "connected");
    expect(server.opened.flatMap((s) => s.commands("publish")).length).toBe(1);
  });

  it("retries a temporary error and gives up on a permanent one", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c } = client(server, { outbox: { retryDelayMs: 1 } });
    await c.connect();
    server.publishErrors.push({ code: 115, temporary: true });
    expect((await c.sendMessage(CH, "after retry")).seq).toBe(1);
    server.publishErrors.push({ code: 103, temporary: false });
    await expect(c.sendMessage(CH, "denied")).rejects.toMatchObject({ code: 103 });
  });
});

describe("S11 unrecoverable position", () => {
  it("reads what the server could not replay from history", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    server.maxReplay = 2;
    const { c, got } = client(server, { historyPageSize: 3 });
    await c.connect();
    server.commit(CH, "m1");
    await until(() => got.length === 1);
    server.unreachable.add("ws://edge-1/ws");
    server.current!.close(1006);
    await until(() => server.opened.length >= 3); // away: attempts fail
    for (let i = 2; i <= 9; i++) server.commit(CH, `m${i}`);
    server.unreachable.clear();
    await until(() => got.length === 9);
    const last = server.current!;
    expect((last.commands("connect")[0].command!.value as { positions: unknown[] }).positions).toEqual([{ channel: CH, seq: 1 }]);
    expect(last.commands("history").length).toBeGreaterThanOrEqual(3);
    expect(seqs(got)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("S12 membership pushes", () => {
  it("tracks a channel it is added to and forgets one it is removed from", async () => {
    const server = new FakeServer();
    const { c, got } = client(server);
    const seen: string[] = [];
    c.on("subscribed", (e) => seen.push(`+${e.channel}@${e.lastSeq}`));
    c.on("unsubscribed", (e) => seen.push(`-${e.channel}:${e.code}`));
    await c.connect();
    server.commit("acme/chat/9", "before I joined");
    server.current!.subscribed.add("acme/chat/9");
    server.current!.deliver([0, { $case: "subscribed", value: { channel: "acme/chat/9", lastSeq: 1 } }]);
    server.commit("acme/chat/9", "after");
    await until(() => got.length === 1);
    expect(got[0].seq).toBe(2);
    server.current!.deliver([0, { $case: "unsubscribed", value: { channel: "acme/chat/9", code: 103 } }]);
    expect(seen).toEqual(["+acme/chat/9@1", "-acme/chat/9:103"]);
    expect(c.positions()).toEqual({});
  });

  it("subscribes again after a reconnect to what the app subscribed, recovering from its position", async () => {
    const server = new FakeServer();
    const { c, got } = client(server);
    await c.connect();
    const room = c.channel("acme/room");
    const mine: Publication[] = [];
    room.on("publication", (p) => mine.push(p));
    await room.subscribe();
    await c.publish("acme/room", "hi");
    await until(() => mine.length === 1 && got.length === 1);
    server.current!.close(1006);
    await until(() => c.connectedAs?.connection === 2);
    await until(() => server.current!.commands("subscribe").length === 1);
    expect(server.current!.subscribed.has("acme/room")).toBe(true);
  });
});

describe("S13 token refresh", () => {
  it("asks the provider for a new token before expiry and sends refresh", async () => {
    const server = new FakeServer();
    server.tokenExpiresAtMs = Date.now() + 100;
    let n = 0;
    const { c } = client(server, { token: () => `t${n++}` });
    await c.connect();
    await until(() => server.current!.commands("refresh").length === 1);
    expect((server.current!.commands("refresh")[0].command!.value as { token: string }).token).toBe("t1");
    await until(() => c.connectedAs!.tokenExpiresAtMs > Date.now() + 1_000_000);
  });

  it("takes a fresh token from the provider on every reconnect", async () => {
    const server = new FakeServer();
    let n = 0;
    const { c } = client(server, { token: async () => `t${n++}` });
    await c.connect();
    server.current!.drop(4007, { reconnect: true, reason: "token expired" });
    await until(() => c.connectedAs?.connection === 2);
    expect(server.current!.url).toBe("ws://edge-1/ws?token=t1");
  });
});

describe("S14 balancer", () => {
  it("asks the balancer on every connect and falls back in its order", async () => {
    const server = new FakeServer();
    server.unreachable.add("ws://edge-dead/ws");
    const asked: string[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      asked.push(`${url} ${(init.headers as Record<string, string>).Authorization}`);
      return new Response(JSON.stringify({ node_id: "edge-dead", url: "ws://edge-dead/ws", fallbacks: [{ node_id: "edge-2", url: "ws://edge-2/ws" }] }));
    }) as unknown as typeof fetch;
    const { c } = client(server, { url: undefined, balancer: "http://lb:8070", fetch: fetchImpl });
    expect((await c.connect()).url).toBe("ws://edge-2/ws");
    server.current!.drop(4004, { reconnect: true, reason: "drain" });
    await until(() => c.connectedAs?.connection === 2);
    expect(asked).toEqual(["http://lb:8070/v1/connect Bearer t0", "http://lb:8070/v1/connect Bearer t0"]);
  });
});

describe("S15 history paging", () => {
  it("iterates a channel's history newest first, page by page", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    for (let i = 1; i <= 7; i++) server.commit(CH, `m${i}`);
    const { c } = client(server);
    await c.connect();
    const all: number[] = [];
    for await (const p of c.channel(CH).history({ pageSize: 3 })) all.push(p.seq);
    expect(all).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(server.current!.commands("history").length).toBe(3);
    const forward: number[] = [];
    for await (const p of c.history(CH, { direction: "forward", from: 4, pageSize: 2 })) forward.push(p.seq);
    expect(forward).toEqual([5, 6, 7]);
  });
});

describe("S16 presence, typing, read receipts", () => {
  it("turns pushes into typed events on the client and on the channel's view", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const { c } = client(server);
    await c.connect();
    const view: string[] = [];
    const ch = c.channel(CH);
    ch.on("presence", (e) => view.push(`presence ${e.changes.map((x) => `${x.userId}:${x.online}`).join(",")}`));
    ch.on("typing", (e) => view.push(`typing ${e.userId}`));
    ch.on("read", (e) => view.push(`read ${e.userId}@${e.seq}`));
    const s = server.current!;
    s.deliver(
      [0, { $case: "presenceChanges", value: { channel: CH, changes: [{ userId: "bob", online: true, channel: CH }] } }],
      [0, { $case: "typingEvent", value: { channel: CH, userId: "bob" } }],
      [0, { $case: "readReceipt", value: { channel: CH, userId: "bob", seq: 4 } }],
      [0, { $case: "typingEvent", value: { channel: "acme/chat/other", userId: "cy" } }],
    );
    expect(view).toEqual(["presence bob:true", "typing bob", "read bob@4"]);
    expect(await ch.presence()).toEqual(["alice", "bob"]);
    expect(await ch.markRead(4)).toBe(4);
    ch.typing();
    expect(s.commands("typing")[0].id).toBe(0);
  });

  it("keeps going when a listener throws", async () => {
    const server = new FakeServer();
    server.memberOf.add(CH);
    const errors: unknown[] = [];
    const { c, got } = client(server, { onListenerError: (e) => errors.push(e) });
    c.on("publication", () => {
      throw new Error("app bug");
    });
    await c.connect();
    server.commit(CH, "one");
    server.commit(CH, "two");
    await until(() => got.length === 2);
    expect(errors.length).toBe(2);
  });
});

describe("liveness", () => {
  it("reconnects when an application ping goes unanswered", async () => {
    const server = new FakeServer();
    const { c } = client(server, { pingIntervalMs: 20 });
    await c.connect();
    server.current!.onmessage = null;
    const stale = server.current!;
    stale.send = () => {}; // a dead socket: nothing goes out or comes back
    await until(() => c.connectedAs?.connection === 2);
  });
});
