// Per-channel order of sequenced publications (chat channels): each sequence is
// delivered once and in order; what arrives after a gap is held back until the
// gap is filled from history; duplicates, by (channel, seq), are dropped.
// Publications without a sequence (ephemeral channels) pass straight through.

export interface Sequenced {
  channel: string;
  seq: number;
}

/** Held-back publications per channel at most; beyond, the oldest gap is given up. */
export const MAX_HELD = 10_000;

export interface Offer {
  /** A gap is open on the channel: fetch what follows {@link Sequencer.last}. */
  gap: boolean;
  /** A gap that was given up (too much held back): sequences in [from, to] were never delivered. */
  skipped?: { from: number; to: number };
}

export class Sequencer<P extends Sequenced> {
  private readonly lastSeq = new Map<string, number>();
  private readonly held = new Map<string, Map<number, P>>();

  /** The last sequence delivered on each channel: the positions to resume from. */
  positions(): Record<string, number> {
    return Object.fromEntries(this.lastSeq);
  }

  /** The last sequence delivered on `channel`, or undefined when it is not tracked. */
  last(channel: string): number | undefined {
    return this.lastSeq.get(channel);
  }

  /** Tracks `channel` from `seq` unless a later position is known (the server's `subscribed` push). */
  track(channel: string, seq: number): void {
    this.lastSeq.set(channel, Math.max(seq, this.lastSeq.get(channel) ?? 0));
  }

  /** Tracks `channel` from `seq` unless it is tracked already: a position of our own wins. */
  trackIfUnknown(channel: string, seq: number): void {
    if (!this.lastSeq.has(channel)) this.lastSeq.set(channel, seq);
  }

  /** Forgets a channel (left, or removed by the server). */
  forget(channel: string): void {
    this.lastSeq.delete(channel);
    this.held.delete(channel);
  }

  /** Offers a publication; `deliver` is called for each one that is now in order. */
  offer(p: P, deliver: (p: P) => void): Offer {
    if (p.seq === 0) {
      deliver(p);
      return { gap: false };
    }
    const ch = p.channel;
    const prev = this.lastSeq.get(ch);
    if (prev === undefined || p.seq === prev + 1) {
      // The first publication seen on an untracked channel starts its sequence.
      this.lastSeq.set(ch, p.seq);
      deliver(p);
      return { gap: this.drain(ch, deliver) };
    }
    if (p.seq <= prev) return { gap: this.hasGap(ch) };
    let h = this.held.get(ch);
    if (!h) this.held.set(ch, (h = new Map()));
    h.set(p.seq, p);
    if (h.size > MAX_HELD) {
      const first = Math.min(...h.keys());
      this.lastSeq.set(ch, first - 1);
      return { gap: this.drain(ch, deliver), skipped: { from: prev + 1, to: first - 1 } };
    }
    return { gap: true };
  }

  private drain(ch: string, deliver: (p: P) => void): boolean {
    const h = this.held.get(ch);
    if (!h) return false;
    for (;;) {
      const next = (this.lastSeq.get(ch) ?? 0) + 1;
      const p = h.get(next);
      if (p) {
        h.delete(next);
        this.lastSeq.set(ch, next);
        deliver(p);
        continue;
      }
      for (const seq of h.keys()) if (seq < next) h.delete(seq);
      if (h.size === 0) {
        this.held.delete(ch);
        return false;
      }
      return true;
    }
  }

  private hasGap(ch: string): boolean {
    return (this.held.get(ch)?.size ?? 0) > 0;
  }
}
