// The SDK against a real `switchboard dev` (edge + message-service in one process).
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChatActions, RestClient, SwitchboardClient, chatMessage, type Publication, type WebSocketConstructor } from "../../src/index.js";
import { API_KEY, startDev, stopAll, token, type DevServer } from "./servers.js";

let dev: DevServer;
const clients: SwitchboardClient[] = [];
const until = (cond: () => boolean, timeout = 15_000) => vi.waitFor(() => expect(cond()).toBe(true), { timeout, interval: 20 });

function connectAs(user: string): { c: SwitchboardClient; got: Publication[] } {
  const c = new SwitchboardClient({ url: dev.ws, token: () => token(user, "demo"), WebSocket: WebSocket as unknown as WebSocketConstructor });
  clients.push(c);
  const got: Publication[] = [];
  c.on("publication", (p) => got.push(p));
  return { c, got };
}

beforeAll(async () => {
  dev = await startDev();
}, 120_000);

afterAll(() => {
  for (const c of clients) c.close();
  stopAll();
});

describe("against switchboard dev", () => {
  it("alice and bob chat in #general: each message once, in order, with its sender's client_msg_id", async () => {
    const alice = connectAs("alice");
    const bob = connectAs("bob");
    const [a, b] = await Promise.all([alice.c.connect(), bob.c.connect()]);
    const general = a.channels.find((ch) => ch.includes("/chat/"))!;
    expect(b.channels).toContain(general);
    const before = alice.c.positions()[general];
    const sent = await alice.c.sendMessage(general, "hello bob", { clientMsgId: "it-a-1" });
    expect(sent.seq).toBe(before + 1);
    await bob.c.channel(general).sendMessage("hi alice");
    for (const who of [alice, bob]) {
      await until(() => who.got.filter((p) => p.channel === general).length === 2);
      const mine = who.got.filter((p) => p.channel === general);
      expect(mine.map((p) => chatMessage(p).text)).toEqual(["hello bob", "hi alice"]);
      expect(mine.map((p) => p.seq)).toEqual([before + 1, before + 2]);
    }
    expect(bob.got[0]).toMatchObject({ senderId: "alice", clientMsgId: "it-a-1" });
  });

  it("pages history, reports presence and typing, and moves the read checkpoint", async () => {
    const alice = connectAs("alice");
    const bob = connectAs("bob");
    const a = await alice.c.connect();
    await bob.c.connect();
    const general = a.channels.find((ch) => ch.includes("/chat/"))!;
    for (let i = 0; i < 5; i++) await alice.c.sendMessage(general, `page ${i}`);
    const seqs: number[] = [];
    for await (const p of alice.c.history(general, { pageSize: 2 })) {
      seqs.push(p.seq);
      if (seqs.length === 5) break;
    }
    const last = alice.c.positions()[general];
    expect(seqs).toEqual([last, last - 1, last - 2, last - 3, last - 4]);
    expect(await alice.c.presence(general)).toEqual(expect.arrayContaining(["alice", "bob"]));
    const typing: string[] = [];
    bob.c.channel(general).on("typing", (e) => typing.push(e.userId));
    alice.c.typing(general);
    await until(() => typing.includes("alice"));
    const reads: number[] = [];
    alice.c.channel(general).on("read", (e) => e.userId === "bob" && reads.push(e.seq));
    expect(await bob.c.markRead(general, last)).toBe(last);
    await until(() => reads.includes(last));
  });

  it("recovers what was sent while it was disconnected by the server, once", async () => {
    const alice = connectAs("alice");
    const a = await alice.c.connect();
    const general = a.channels.find((ch) => ch.includes("/chat/"))!;
    const rest = new RestClient({ baseUrl: dev.http, token: token("bob", "demo") });
    const id = Number(general.split("/").at(-1));
    await rest.sendMessage(id, "before");
    await until(() => alice.got.some((p) => chatMessage(p).text === "before"));
    const down = new Promise((r) => alice.c.on("disconnected", r));
    // A backend asks every session of alice to reconnect (server API, 4006).
    const api = await fetch(`http://127.0.0.1:${dev.port + 1}/v1/disconnect`, {
      method: "POST",
      headers: { "X-Api-Key": API_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ org: "demo", user_id: "alice", code: 4006, reason: "test" }),
    });
    expect(api.status).toBeLessThan(300);
    await down;
    const queued = alice.c.sendMessage(general, "queued while away", { clientMsgId: "it-q-1" });
    await rest.sendMessage(id, "while away");
    await queued;
    await until(() => alice.c.connectedAs!.connection === 2);
    await until(() => alice.got.some((p) => chatMessage(p).text === "queued while away") && alice.got.some((p) => chatMessage(p).text === "while away"));
    const texts = alice.got.filter((p) => p.channel === general).map((p) => chatMessage(p).text);
    expect(texts.filter((t) => t === "queued while away").length).toBe(1);
    expect(texts.filter((t) => t === "while away").length).toBe(1);
    const seqs = alice.got.filter((p) => p.channel === general).map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("uses the REST API: channels, a DM, members, sends, history, read checkpoint, media", async () => {
    const alice = new RestClient({ baseUrl: dev.http, token: token("alice", "demo") });
    const admin = new RestClient({ baseUrl: dev.http, apiKey: API_KEY });
    await admin.createUser({ org: "demo", id: "carol", name: "Carol" });
    const mine = await alice.myChannels();
    expect(mine.groups.map((g) => g.name)).toContain("general");
    const dm = await alice.openDm("bob");
    expect(dm.type).toBe("DM");
    expect(dm.members.sort()).toEqual(["alice", "bob"]);
    const group = await alice.createChannel("sdk-team", ["bob"]);
    await alice.addMember(group.id, "carol");
    expect((await alice.channel(group.id)).members.sort()).toEqual(["alice", "bob", "carol"]);
    const first = await alice.sendMessage(group.id, "one", { clientMsgId: "r-1" });
    const again = await alice.sendMessage(group.id, "one", { clientMsgId: "r-1" });
    expect(again.id).toBe(first.id);
    for (let i = 2; i <= 5; i++) await alice.sendMessage(group.id, `m${i}`);
    const newestFirst = [];
    for await (const m of alice.history(group.id, { pageSize: 2 })) newestFirst.push(m.text);
    expect(newestFirst).toEqual(["m5", "m4", "m3", "m2", "one"]);
    const bob = new RestClient({ baseUrl: dev.http, token: token("bob", "demo") });
    expect((await bob.markRead(group.id, 3)).last_read_seq).toBe(3);
    expect((await alice.markRead(group.id, 3)).last_read_seq).toBe(5); // a sender's checkpoint follows its messages, never back
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const media = await alice.uploadMedia(png, "image/png");
    await alice.sendMessage(group.id, "a picture", { attachments: [{ media_id: media.id }] });
    const carol = new RestClient({ baseUrl: dev.http, token: token("carol", "demo") });
    const got = await carol.downloadMedia(media.id);
    expect(got.contentType).toBe("image/png");
    expect([...got.bytes]).toEqual([...png]);
    await alice.removeMember(group.id, "carol");
    await expect(carol.channel(group.id)).rejects.toMatchObject({ status: 403 });
  });

  it("lives a message's life with ChatActions and the REST helpers: edits, reactions, a thread page, the log, members", async () => {
    const alice = connectAs("alice");
    const bob = connectAs("bob");
    const a = await alice.c.connect();
    await bob.c.connect();
    const general = a.channels.find((ch) => ch.includes("/chat/"))!;
    const id = Number(general.split("/").at(-1));
    const anas = new ChatActions(alice.c);
    const bobs = new ChatActions(bob.c);
    const root = await alice.c.sendMessage(general, "root");
    const r1 = await bobs.reply(general, root.messageId, "first");
    const r2 = await bobs.reply(general, root.messageId, "second", { alsoToChannel: true });
    const edit = await anas.edit(general, root.messageId, "root, edited");
    const added = await bobs.react(general, root.messageId, "🚀");
    expect((await bobs.react(general, root.messageId, "🚀")).seq).toBe(root.seq); // already there: nothing new
    const removed = await bobs.unreact(general, root.messageId, "🚀");
    expect([r1.seq, r2.seq, edit.seq, added.seq, removed.seq]).toEqual([1, 2, 3, 4, 5].map((i) => root.seq + i));
    const first = await anas.threadPage(general, root.messageId, { limit: 1 });
    expect(first.publications.map((p) => chatMessage(p).text)).toEqual(["first"]);
    const rest = await anas.threadPage(general, root.messageId, { after: first.nextCursor, limit: 10 });
    expect(rest.publications.map((p) => chatMessage(p).text)).toEqual(["second"]);
    expect(rest.nextCursor).toBe(0);
    const log = await anas.eventsAfter(general, r2.seq);
    expect(log.publications.map((p) => (chatMessage(p) as { event?: { kind: string } }).event?.kind))
      .toEqual(["edit", "reaction_added", "reaction_removed"]);
    await expect(bobs.edit(general, root.messageId, "not mine")).rejects.toMatchObject({ code: 103 });
    const rest2 = new RestClient({ baseUrl: dev.http, token: token("bob", "demo") });
    expect((await rest2.replies(id, root.messageId)).replies.map((m) => m.text)).toEqual(["first", "second"]);
    expect((await rest2.react(id, root.messageId, "+1")).id).toBe(root.messageId);
    expect((await rest2.events(id, { after: removed.seq })).events.length).toBe(1);
    const members = (await rest2.members(id)).members;
    expect(members.find((m) => m.id === "alice")).toMatchObject({ online: true });
    const summary = (await rest2.myChannels()).groups.find((g) => g.id === id)!;
    expect(summary.affinity_score).toBeGreaterThan(0); // bob sent here
  });

  it("says when a member who left was last seen: the presence reply and the members list", async () => {
    const admin = new RestClient({ baseUrl: dev.http, apiKey: API_KEY });
    await admin.createUser({ org: "demo", id: "dave", name: "Dave" });
    const rest = new RestClient({ baseUrl: dev.http, token: token("alice", "demo") });
    const group = await rest.createChannel("last-seen", ["dave"]);
    const alice = connectAs("alice");
    await alice.c.connect();
    const dave = new SwitchboardClient({ url: dev.ws, token: token("dave", "demo"), WebSocket: WebSocket as unknown as WebSocketConstructor });
    await dave.connect();
    await vi.waitFor(async () => expect(await alice.c.presence(group.realtime_channel)).toContain("dave"), { timeout: 15_000, interval: 50 });
    expect(await alice.c.lastSeen(group.realtime_channel)).toEqual({}); // never offline yet
    const before = Date.now();
    dave.close();
    let seen: Record<string, number> = {};
    await vi.waitFor(async () => {
      seen = await alice.c.lastSeen(group.realtime_channel);
      expect(seen.dave).toBeGreaterThanOrEqual(before - 1000);
    }, { timeout: 15_000, interval: 50 });
    const members = (await rest.members(group.id)).members;
    const gone = members.find((m) => m.id === "dave")!;
    expect(gone.online).toBe(false);
    expect(Date.parse(gone.last_seen_at!)).toBe(seen.dave);
    expect(members.find((m) => m.id === "alice")).toMatchObject({ online: true });
    expect(gone).not.toHaveProperty("email");
  });

  it("does not reconnect after a terminal close, and says why", async () => {
    const c = new SwitchboardClient({ url: dev.ws, token: token("alice", "demo"), WebSocket: WebSocket as unknown as WebSocketConstructor });
    clients.push(c);
    await c.connect();
    const closed = new Promise<{ code: number; reconnect: boolean }>((r) => c.on("disconnected", r));
    await fetch(`http://127.0.0.1:${dev.port + 1}/v1/disconnect`, {
      method: "POST",
      headers: { "X-Api-Key": API_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ org: "demo", user_id: "alice", code: 4503, reason: "banned" }),
    });
    expect(await closed).toMatchObject({ code: 4503, reconnect: false });
    expect(c.state).toBe("closed");
  });
});
