// ChatActions (ADR 0013) against the in-memory edge of test/support: the payloads it
// publishes, a thread page (history with thread_id), the log after a sequence, last seen.
import { afterEach, describe, expect, it } from "vitest";
import { ChatActions, SwitchboardClient, chatMessage } from "../../src/index.js";
import { FakeServer } from "../support/fake-server.js";

const CH = "acme/chat/7";
const clients: SwitchboardClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function connected(server: FakeServer): Promise<SwitchboardClient> {
  server.memberOf.add(CH);
  const c = new SwitchboardClient({ url: "ws://edge-1/ws", token: "t0", WebSocket: server.WebSocket, random: () => 0 });
  clients.push(c);
  await c.connect();
  return c;
}

describe("ChatActions", () => {
  it("publishes each change as its chat payload, each with a client_msg_id of its own", async () => {
    const server = new FakeServer();
    const client = await connected(server);
    const chat = new ChatActions(client);
    const root = await client.sendMessage(CH, "root");
    await chat.edit(CH, root.messageId, "root!");
    await chat.react(CH, root.messageId, ":+1:");
    await chat.unreact(CH, root.messageId, ":+1:");
    await chat.reply(CH, root.messageId, "in the thread", { alsoToChannel: true, mentions: ["bob"] });
    await chat.delete(CH, root.messageId);
    const frames = server.current!.commands("publish").map((f) => f.command!.value as { payload: Uint8Array; clientMsgId: string });
    expect(frames.map((f) => JSON.parse(new TextDecoder().decode(f.payload)))).toEqual([
      { text: "root" },
      { kind: "edit", message_id: root.messageId, text: "root!" },
      { kind: "reaction_added", message_id: root.messageId, emoji: ":+1:" },
      { kind: "reaction_removed", message_id: root.messageId, emoji: ":+1:" },
      { text: "in the thread", parent_id: root.messageId, also_to_channel: true, mentions: ["bob"] },
      { kind: "delete", message_id: root.messageId },
    ]);
    expect(new Set(frames.map((f) => f.clientMsgId)).size).toBe(6);
  });

  it("pages a thread with history's thread_id and reads the log after a sequence", async () => {
    const server = new FakeServer();
    const client = await connected(server);
    const chat = new ChatActions(client);
    const root = await client.sendMessage(CH, "root");
    const r1 = await chat.reply(CH, root.messageId, "one");
    await client.sendMessage(CH, "elsewhere");
    const r2 = await chat.reply(CH, root.messageId, "two");
    const first = await chat.threadPage(CH, root.messageId, { limit: 1 });
    expect(first.publications.map((p) => p.seq)).toEqual([r1.seq]);
    expect(first.nextCursor).toBe(r1.seq);
    const rest = await chat.threadPage(CH, root.messageId, { after: first.nextCursor, limit: 10 });
    expect(rest.publications.map((p) => p.seq)).toEqual([r2.seq]);
    expect(rest.nextCursor).toBe(0);
    const sent = server.current!.commands("history").map((f) => f.command!.value as { threadId: number; forward: boolean });
    expect(sent[0]).toMatchObject({ threadId: root.messageId, forward: true });
    const log = await chat.eventsAfter(CH, root.seq);
    expect(log.publications.map((p) => p.seq)).toEqual([2, 3, 4]);
    expect(chatMessage(log.publications[1]).text).toContain("elsewhere"); // the fake edge stores the payload as the text
  });

  it("reads when offline members were last seen from the presence reply", async () => {
    const client = await connected(new FakeServer());
    expect(await client.lastSeen(CH)).toEqual({ carol: 1_700_000_000_000 });
  });
});
