// A two-edge fleet on Redis with the message-service on PostgreSQL and the
// balancer, all real processes. The edge that alice and bob are on is SIGKILLed
// mid-conversation and later restarted: the clients reconnect to the other edge
// through the balancer, and every message of the conversation reaches each of them
// once, in order; what they sent while away is stored once.
import type { ChildProcess } from "node:child_process";
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { RestClient, SwitchboardClient, chatMessage, type Publication, type WebSocketConstructor } from "../../src/index.js";
import { API_KEY, startFleet, stop, stopAll, tails, token, type Fleet } from "./servers.js";

let fleet: Fleet;
const clients: SwitchboardClient[] = [];
const members = new Map<string, { c: SwitchboardClient; got: Publication[] }>();
const killed: ChildProcess[] = [];

/** Waits for `cond`; if it does not come, fails with what the clients and the servers were doing. */
async function until(what: string, cond: () => boolean, timeout = 30_000): Promise<void> {
  try {
    await vi.waitFor(() => expect(cond()).toBe(true), { timeout, interval: 25 });
  } catch (e) {
    const who = [...members].map(([user, m]) =>
      `${user}: ${m.c.state}, connected as ${JSON.stringify(m.c.connectedAs ?? null)}, ${m.got.length} publications`);
    throw new Error(`${what}: not within ${timeout} ms\n${who.join("\n")}\n${tails()}\n${tails(killed)}`, { cause: e });
  }
}

beforeAll(async () => {
  fleet = await startFleet(2);
}, 180_000);

afterAll(() => {
  for (const c of clients) c.close();
  stopAll();
});

function member(user: string, opts: { url?: string } = {}) {
  const c = new SwitchboardClient({
    ...(opts.url ? { url: opts.url } : { balancer: fleet.balancer }),
    token: () => token(user, "acme"),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    backoff: { baseMs: 100, maxMs: 1000 },
  });
  clients.push(c);
  const got: Publication[] = [];
  c.on("publication", (p) => got.push(p));
  members.set(user + (members.has(user) ? `#${members.size}` : ""), { c, got });
  return { c, got };
}

it("an edge killed mid-conversation: its clients move to the other edge, nothing lost, nothing twice", async () => {
  const admin = new RestClient({ baseUrl: fleet.rest, apiKey: API_KEY });
  for (const id of ["alice", "bob", "carol"]) await admin.createUser({ org: "acme", id, name: id });
  const carolRest = new RestClient({ baseUrl: fleet.rest, token: token("carol", "acme") });
  const room = await carolRest.createChannel("incident", ["alice", "bob"]);
  const channel = room.realtime_channel;

  const alice = member("alice");
  const bob = member("bob");
  const [a, b] = await Promise.all([alice.c.connect(), bob.c.connect()]);
  expect(a.channels).toContain(channel);
  const victim = fleet.edges.findIndex((e) => e.nodeId === a.nodeId);
  expect(victim).toBeGreaterThanOrEqual(0);
  expect(b.nodeId).toBe(a.nodeId); // the balancer keeps an organisation together

  // The conversation: carol posts through REST all along; alice and bob through the SDK.
  let carolSent = 0;
  let talking = true;
  const carol = (async () => {
    while (talking) {
      await carolRest.sendMessage(room.id, `carol ${carolSent}`, { clientMsgId: `carol-${carolSent}` });
      carolSent++;
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < 10; i++) {
    sends.push(alice.c.sendMessage(channel, `alice ${i}`, { clientMsgId: `alice-${i}` }));
    sends.push(bob.c.sendMessage(channel, `bob ${i}`, { clientMsgId: `bob-${i}` }));
  }
  await Promise.all(sends);
  await until("alice and bob got the first 20 messages", () => alice.got.length >= 20 && bob.got.length >= 20);

  // SIGKILL: no drain, no close frame; the balancer still names the dead node for up to its registry TTL.
  killed.push(fleet.edges[victim].proc);
  await stop(fleet.edges[victim].proc, "SIGKILL");
  for (let i = 10; i < 20; i++) {
    sends.push(alice.c.sendMessage(channel, `alice ${i}`, { clientMsgId: `alice-${i}` }));
    sends.push(bob.c.sendMessage(channel, `bob ${i}`, { clientMsgId: `bob-${i}` }));
  }
  await until("alice and bob reconnected once, to the other edge",
    () => alice.c.state === "connected" && bob.c.state === "connected" && alice.c.connectedAs!.connection === 2);
  const survivor = fleet.edges[1 - victim].nodeId;
  expect(alice.c.connectedAs!.nodeId).toBe(survivor);
  expect(bob.c.connectedAs!.nodeId).toBe(survivor);
  await Promise.all(sends);

  // The killed edge comes back; a newcomer connects to it directly and joins the conversation.
  await fleet.startEdge(victim);
  const dave = member("carol", { url: fleet.edges[victim].url });
  expect((await dave.c.connect()).nodeId).toBe(fleet.edges[victim].nodeId);
  await dave.c.sendMessage(channel, "carol from the restarted edge", { clientMsgId: "carol-restarted" });
  talking = false;
  await carol;

  const stored: { seq: number; text: string; client_msg_id: string | null }[] = [];
  for await (const m of carolRest.history(room.id, { direction: "forward", pageSize: 200 })) stored.push(m);
  expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
  const keys = stored.map((m) => m.client_msg_id);
  expect(new Set(keys).size).toBe(keys.length); // each send stored once
  for (let i = 0; i < 20; i++) expect(keys).toContain(`alice-${i}`);
  for (let i = 0; i < 20; i++) expect(keys).toContain(`bob-${i}`);
  expect(stored.length).toBe(40 + carolSent + 1);

  for (const who of [alice, bob]) {
    await until("every stored message reached alice and bob", () => who.got.filter((p) => p.channel === channel).length >= stored.length);
    const seen = who.got.filter((p) => p.channel === channel);
    expect(seen.map((p) => p.seq)).toEqual(stored.map((m) => m.seq)); // every message once, in order
    expect(seen.map((p) => chatMessage(p).text)).toEqual(stored.map((m) => m.text));
  }
  console.log(`fleet: ${stored.length} messages (${carolSent} by REST during the kill), alice and bob moved ${a.nodeId} -> ${survivor}`);
}, 120_000);
