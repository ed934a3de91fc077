/**
 * Reconnect delays: exponential backoff with full jitter (attempt n waits a
 * random time up to min(max, base × 2^n)), so that the clients of a node that
 * went away do not all come back at once. The server's advice
 * (`reconnect_after_ms` of a Disconnect) is a floor, itself jittered by up to
 * +50 %, as the protocol asks.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(adviceMs = 0): number {
    const cap = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const own = Math.min(cap, Math.floor(this.random() * (cap + 1)));
    const advised = adviceMs > 0 ? Math.floor(adviceMs * (1 + this.random() * 0.5)) : 0;
    return Math.max(own, advised);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
