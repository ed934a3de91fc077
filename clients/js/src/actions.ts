// The life of a chat message over a SwitchboardClient (ADR 0013, docs/protocol.md
// "Chat payloads"): edit, delete, react, take a reaction back and reply in a thread,
// each a publish of chatPayloads that the client's outbox keeps and resends with one
// client_msg_id (stored once); and the two reads a client needs to follow a message's
// life: a thread's replies and the channel's log after a sequence. The same methods
// as the Java SDK's ChatActions.
import { chatPayloads } from "./chat.js";
import type { SwitchboardClient } from "./client.js";
import type { HistoryPage } from "./options.js";
import { toPublication, type PublishResult } from "./types.js";

export class ChatActions {
  constructor(private readonly client: SwitchboardClient) {}

  /** Replaces the text of one of the caller's messages. */
  edit(channel: string, messageId: number, text: string): Promise<PublishResult> {
    return this.client.publish(channel, chatPayloads.edit(messageId, text));
  }

  /** Deletes one of the caller's messages; a tombstone stays in history. */
  delete(channel: string, messageId: number): Promise<PublishResult> {
    return this.client.publish(channel, chatPayloads.delete(messageId));
  }

  /** Adds the caller's reaction; adding it again changes nothing (the answer's seq is the message's own). */
  react(channel: string, messageId: number, emoji: string): Promise<PublishResult> {
    return this.client.publish(channel, chatPayloads.reaction(messageId, emoji, true));
  }

  /** Takes the caller's reaction back; taking back one that is not there changes nothing. */
  unreact(channel: string, messageId: number, emoji: string): Promise<PublishResult> {
    return this.client.publish(channel, chatPayloads.reaction(messageId, emoji, false));
  }

  /** A reply in the thread of `parentId`; `alsoToChannel` shows it in the channel too. */
  reply(channel: string, parentId: number, text: string, opts: { alsoToChannel?: boolean; mentions?: string[] } = {}): Promise<PublishResult> {
    return this.client.publish(channel, chatPayloads.reply(parentId, text, opts.alsoToChannel ?? false, opts.mentions ?? []));
  }

  /**
   * One page of the replies in the thread of `rootId`, oldest first, sequences after
   * `after`, each in its current state; page on from `nextCursor` while it is not 0.
   */
  async threadPage(channel: string, rootId: number, q: { after?: number; limit?: number } = {}): Promise<HistoryPage> {
    const r = await this.client.command("history", {
      channel,
      limit: q.limit ?? 50,
      beforeSeq: 0,
      afterSeq: q.after ?? 0,
      forward: true,
      threadId: rootId,
    });
    return { publications: r.publications.map(toPublication), nextCursor: r.nextCursor };
  }

  /**
   * One page of the channel's log after `after`: new messages and the changes to them,
   * oldest first, each with its message's current state (what recovery and gap filling read).
   */
  eventsAfter(channel: string, after: number, limit = 50): Promise<HistoryPage> {
    return this.client.historyPage(channel, { after, limit });
  }
}
