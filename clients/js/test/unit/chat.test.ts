import { describe, expect, it } from "vitest";
import { ChatChannelState, chatPayloads } from "../../src/index.js";
import type { Publication } from "../../src/index.js";

const CHANNEL = "acme/chat/7";
const enc = new TextEncoder();

function entry(seq: number, message: Record<string, unknown>): Publication {
  return { channel: CHANNEL, seq, senderId: "", timestampMs: 0, payload: enc.encode(JSON.stringify(message)),
    messageId: message.id as number, clientMsgId: "" };
}

const base = { created_at: "2026-12-02T10:00:00Z", attachments: null };

describe("chat channel state (ADR 0013)", () => {
  it("keeps the newest entry of each message and gives replies' thread news to their root", () => {
    const s = new ChatChannelState(CHANNEL, "bob");
    const thread = { reply_count: 1, last_reply_at: "2026-12-02T10:00:02Z", repliers: ["cy"] };
    s.apply(entry(1, { ...base, id: 1, seq: 1, sender: "ana", text: "hi @bob", mentions: ["bob"] }));
    s.apply(entry(2, { ...base, id: 2, seq: 2, sender: "cy", text: "yes", parent_id: 1, parent_thread: thread }));
    const edited = { ...base, id: 1, seq: 1, sender: "ana", text: "hi all", edited_at: "2026-12-02T10:00:03Z",
      mentions: ["bob"], thread, event: { kind: "edit", seq: 3, actor: "ana", at: "2026-12-02T10:00:03Z" } };
    s.apply(entry(3, edited));
    s.apply(entry(4, { ...edited, reactions: [{ emoji: ":+1:", count: 1, users: ["bob"] }],
      event: { kind: "reaction_added", seq: 4, actor: "bob", emoji: ":+1:", at: "2026-12-02T10:00:04Z" } }));
    s.apply(entry(3, edited)); // a replayed older entry changes nothing
    const [root, reply] = s.messages();
    expect(root.text).toBe("hi all");
    expect(root.reactions).toEqual([{ emoji: ":+1:", count: 1, users: ["bob"] }]);
    expect(root.thread).toEqual(thread);
    expect(root.event).toBeUndefined();
    expect(reply.parent_thread).toBeUndefined();
    expect(s.lastSeq()).toBe(4);
    expect(s.unreadCount(0)).toBe(1);
    expect(s.mentionCount(0)).toBe(1);
  });

  it("builds the publish payloads of the protocol", () => {
    const text = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
    expect(text(chatPayloads.edit(9, "x"))).toEqual({ kind: "edit", message_id: 9, text: "x" });
    expect(text(chatPayloads.reaction(9, "👍", false))).toEqual({ kind: "reaction_removed", message_id: 9, emoji: "👍" });
    expect(text(chatPayloads.reply(9, "r", true))).toEqual({ text: "r", parent_id: 9, also_to_channel: true });
    expect(text(chatPayloads.message("@here hi", ["@here"]))).toEqual({ text: "@here hi", mentions: ["@here"] });
    expect(text(chatPayloads.delete(9))).toEqual({ kind: "delete", message_id: 9 });
  });
});
