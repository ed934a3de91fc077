// The channels of a client session: positions per chat channel, gap filling from
// history (after a sequence jump, a may_have_missed push, or a position the server
// could not replay), subscriptions the app asked for, and pushes turned into the
// SDK's events. The Java SDK's ChannelTracker is its twin.
import type { Connection, Push } from "./connection.js";
import { ErrorCodes, type SwitchboardError } from "./errors.js";
import type { ConnectResult } from "./gen/switchboard.js";
import { Sequencer } from "./sequencer.js";
import { toPublication, type ChannelEvents, type Publication } from "./types.js";

export type Dispatch = <K extends keyof ChannelEvents>(event: K, channel: string, e: ChannelEvents[K]) => void;

export class ChannelTracker {
  private readonly sequencer = new Sequencer<Publication>();
  /** Channel -> whether another fill was asked for while one runs. */
  private readonly filling = new Map<string, boolean>();
  /** Channels the app subscribed itself: subscribed again after every reconnect. */
  private readonly explicit = new Set<string>();
  /** Channels the server subscribed this session to. */
  private serverChannels = new Set<string>();
  private conn: Connection | null = null;

  constructor(
    private readonly pageSize: number,
    private readonly dispatch: Dispatch,
    private readonly report: (err: unknown) => void,
  ) {}

  positions(): Record<string, number> {
    return this.sequencer.positions();
  }

  /**
   * A connection is up: start the server's channels at its positions (ours win),
   * read from history what it could not replay, subscribe again to what the app subscribed.
   */
  connected(conn: Connection, hello: ConnectResult): void {
    this.conn = conn;
    this.serverChannels = new Set(hello.channels);
    for (const p of hello.channelPositions) this.sequencer.trackIfUnknown(p.channel, p.seq);
    for (const r of hello.recovered) if (!r.recovered) void this.fillGap(r.channel);
    for (const ch of this.explicit) if (!this.serverChannels.has(ch)) void this.subscribe(conn, ch).catch(this.report);
  }

  disconnected(): void {
    this.conn = null;
  }

  keepSubscribed(channel: string): void {
    this.explicit.add(channel);
  }

  stopSubscribing(channel: string): void {
    this.explicit.delete(channel);
  }

  /** Subscribes, recovering from the channel's position when there is one. */
  async subscribe(conn: Connection, channel: string): Promise<void> {
    const since = this.sequencer.last(channel);
    try {
      const r = await conn.request("subscribe", { channel, recover: since !== undefined, sinceSeq: since ?? 0 });
      if (since === undefined && r.lastSeq > 0) this.sequencer.trackIfUnknown(channel, r.lastSeq);
      if (since !== undefined && !r.recovered) void this.fillGap(channel);
    } catch (err) {
      if ((err as SwitchboardError).code !== ErrorCodes.ALREADY_SUBSCRIBED) throw err;
    }
  }

  /** A push about channels; false when it is not one (the client handles the rest). */
  push(p: Push): boolean {
    switch (p.$case) {
      case "publication":
        this.offer(toPublication(p.value));
        return true;
      case "presenceChanges":
        this.dispatch("presence", p.value.channel, {
          channel: p.value.channel,
          changes: p.value.changes.map((c) => ({ userId: c.userId, online: c.online })),
        });
        return true;
      case "presenceChange":
        this.dispatch("presence", p.value.channel, { channel: p.value.channel, changes: [{ userId: p.value.userId, online: p.value.online }] });
        return true;
      case "typingEvent":
        this.dispatch("typing", p.value.channel, { channel: p.value.channel, userId: p.value.userId });
        return true;
      case "readReceipt":
        this.dispatch("read", p.value.channel, { channel: p.value.channel, userId: p.value.userId, seq: p.value.seq });
        return true;
      case "mayHaveMissed":
        void this.fillGap(p.value.channel, p.value.sinceSeq);
        this.dispatch("mayHaveMissed", p.value.channel, { channel: p.value.channel, reason: p.value.reason });
        return true;
      case "subscribed":
        this.serverChannels.add(p.value.channel);
        this.sequencer.track(p.value.channel, p.value.lastSeq);
        this.dispatch("subscribed", p.value.channel, { channel: p.value.channel, lastSeq: p.value.lastSeq });
        return true;
      case "unsubscribed":
        this.serverChannels.delete(p.value.channel);
        this.sequencer.forget(p.value.channel);
        this.dispatch("unsubscribed", p.value.channel, { channel: p.value.channel, code: p.value.code });
        return true;
      default:
        return false;
    }
  }

  private offer(p: Publication): boolean {
    const r = this.sequencer.offer(p, (d) => this.dispatch("publication", d.channel, d));
    if (r.skipped) this.dispatch("skipped", p.channel, { channel: p.channel, fromSeq: r.skipped.from, toSeq: r.skipped.to });
    if (r.gap) void this.fillGap(p.channel);
    return r.gap;
  }

  /** Reads history after the last delivered sequence of `channel` until no gap is left. */
  private async fillGap(channel: string, sinceSeq = 0): Promise<void> {
    if (this.filling.has(channel)) {
      this.filling.set(channel, true); // run once more when the current fill ends
      return;
    }
    this.filling.set(channel, false);
    try {
      for (;;) {
        const conn = this.conn;
        const last = this.sequencer.last(channel);
        if (!conn?.open || last === undefined) return;
        const after = sinceSeq > 0 ? Math.min(sinceSeq, last) : last;
        sinceSeq = 0;
        const limit = this.pageSize;
        const page = await conn.request("history", { channel, limit, afterSeq: after, beforeSeq: 0, forward: true, threadId: 0 });
        let gap = false;
        for (const pub of page.publications) gap = this.offer(toPublication(pub)) || gap;
        // A page may be cut short of `limit` (the edge caps a reply by the session's outbound budget): nextCursor says more.
        const more = page.publications.length === limit || (page.nextCursor !== 0 && page.publications.length > 0) || (gap && page.publications.length > 0) || this.filling.get(channel);
        this.filling.set(channel, false);
        if (!more) return;
      }
    } catch (err) {
      // A dropped connection recovers the channel from its position on reconnect.
      if ((err as SwitchboardError).code !== "closed") this.report(err);
    } finally {
      this.filling.delete(channel);
    }
  }
}
