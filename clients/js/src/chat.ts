// Message events (ADR 0013): every edit, delete, reaction and thread reply is a
// publication of the channel's log carrying the message as it is after the
// change. chatPayloads builds what to publish; ChatChannelState keeps a channel's
// messages from the log (the copy from the newest entry wins), the same rule as
// the Java SDK's ChatChannelState, so a client that was away converges to what a
// fresh history load shows.
import type { ChatMessage, Publication } from "./types.js";
import { chatMessage } from "./types.js";

/** Reactions of one emoji on a message. */
export interface Reaction {
  emoji: string;
  count: number;
  users: string[];
}

/** A thread root's summary (deleted replies count). */
export interface ThreadSummary {
  reply_count: number;
  last_reply_at: string | null;
  repliers: string[];
}

/** What changed a message, on every entry that is not the message's own creation. */
export interface ChatEvent {
  kind: "edit" | "delete" | "reaction_added" | "reaction_removed";
  seq: number;
  actor: string;
  emoji?: string;
  client_id?: string;
  at: string;
}

/** A chat message with the fields its later entries may carry (absent at their defaults). */
export interface ChatMessageState extends ChatMessage {
  edited_at?: string;
  deleted_at?: string;
  reactions?: Reaction[];
  parent_id?: number;
  also_to_channel?: boolean;
  thread?: ThreadSummary;
  parent_thread?: ThreadSummary;
  mentions?: string[];
  event?: ChatEvent;
}

const encoder = new TextEncoder();
const json = (o: unknown): Uint8Array => encoder.encode(JSON.stringify(o));

/** Publish payloads of chat channels (docs/protocol.md, "Chat payloads"). */
export const chatPayloads = {
  message: (text: string, mentions: string[] = []): Uint8Array =>
    json(mentions.length ? { text, mentions } : { text }),
  reply: (parentId: number, text: string, alsoToChannel = false, mentions: string[] = []): Uint8Array =>
    json({ text, parent_id: parentId, also_to_channel: alsoToChannel, ...(mentions.length ? { mentions } : {}) }),
  edit: (messageId: number, text: string): Uint8Array => json({ kind: "edit", message_id: messageId, text }),
  delete: (messageId: number): Uint8Array => json({ kind: "delete", message_id: messageId }),
  reaction: (messageId: number, emoji: string, add: boolean): Uint8Array =>
    json({ kind: add ? "reaction_added" : "reaction_removed", message_id: messageId, emoji }),
};

/** A chat channel's messages as this client knows them, kept from the channel's log. */
export class ChatChannelState {
  private readonly bySeq = new Map<number, ChatMessageState>();
  private readonly seqOfId = new Map<number, number>();
  private readonly entryOfId = new Map<number, number>();
  private readonly threadOfId = new Map<number, number>();
  private newest = 0;

  constructor(readonly channel: string, readonly me: string) {}

  /** Applies a publication of this channel (others are ignored); returns the message it carried. */
  apply(p: Publication): ChatMessageState | undefined {
    if (p.channel !== this.channel) return undefined;
    const m = chatMessage(p) as ChatMessageState;
    this.newest = Math.max(this.newest, p.seq);
    if (m.parent_id && m.parent_thread) this.updateThread(m.parent_id, m.parent_thread, p.seq);
    const known = this.entryOfId.get(m.id);
    if (known !== undefined && known >= p.seq) return m;
    this.entryOfId.set(m.id, p.seq);
    this.seqOfId.set(m.id, m.seq);
    const copy: ChatMessageState = { ...m };
    delete copy.event;
    delete copy.parent_thread; // news about the root, applied above
    const threadSeq = this.threadOfId.get(m.id);
    const previous = this.bySeq.get(m.seq);
    if (threadSeq !== undefined && threadSeq > p.seq && previous) {
      if (previous.thread) copy.thread = previous.thread;
      else delete copy.thread;
    }
    this.bySeq.set(m.seq, copy);
    return m;
  }

  /** Every message known, by sequence, each in its newest state. */
  messages(): ChatMessageState[] {
    return [...this.bySeq.keys()].sort((a, b) => a - b).map((s) => this.bySeq.get(s)!);
  }

  /** The newest log sequence applied. */
  lastSeq(): number {
    return this.newest;
  }

  /** New messages after the checkpoint that count as unread: not mine, not deleted, not thread-only replies. */
  unreadCount(lastReadSeq: number): number {
    return this.messages().filter((m) => m.seq > lastReadSeq && m.sender !== this.me && !m.deleted_at
      && (!m.parent_id || m.also_to_channel === true)).length;
  }

  /** Messages after the checkpoint that mention me. */
  mentionCount(lastReadSeq: number): number {
    return this.messages().filter((m) => m.seq > lastReadSeq && (m.mentions ?? []).includes(this.me)).length;
  }

  private updateThread(rootId: number, thread: ThreadSummary, entrySeq: number): void {
    const rootSeq = this.seqOfId.get(rootId);
    if (rootSeq === undefined) return;
    const newest = Math.max(this.entryOfId.get(rootId) ?? 0, this.threadOfId.get(rootId) ?? 0);
    if (entrySeq <= newest) return;
    this.threadOfId.set(rootId, entrySeq);
    const root = this.bySeq.get(rootSeq)!;
    this.bySeq.set(rootSeq, { ...root, thread });
  }
}
