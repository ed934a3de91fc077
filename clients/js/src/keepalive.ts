// What keeps one connection alive: application pings that find a dead socket that
// still looks open (browsers answer WebSocket pings but cannot see them: after a
// laptop sleeps the socket may look open while it is dead), and the token refresh
// before the token expires. stop() cancels both when the connection ends.
import type { Connection } from "./connection.js";
import type { SwitchboardError } from "./errors.js";

const REFRESH_RETRY_MS = 5_000;

export class Keepalive {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(
    private readonly conn: Connection,
    private readonly token: string | (() => string | Promise<string>),
    private readonly expiryChanged: (expiresAtMs: number) => void,
    private readonly report: (err: unknown) => void,
  ) {}

  /** Pings every `intervalMs` (0: never); a ping unanswered within the interval closes the connection. */
  pingEvery(intervalMs: number): void {
    if (!intervalMs) return;
    this.pingTimer = setInterval(() => {
      this.conn.request("ping", { nonce: Date.now() }, intervalMs).catch((err: SwitchboardError) => {
        if (err.code === "timeout") this.conn.close(4002, "no pong");
      });
    }, intervalMs);
  }

  /** Asks the token provider and sends `refresh` before `expiresAtMs` (0: never expires), again after each refresh. */
  refreshBefore(expiresAtMs: number): void {
    const provider = this.token;
    if (!expiresAtMs || typeof provider !== "function") return;
    const left = expiresAtMs - Date.now();
    const margin = Math.min(60_000, left / 2);
    this.later(async () => {
      try {
        const r = await this.conn.request("refresh", { token: await provider() });
        if (this.stopped) return;
        if (r.tokenExpiresAtMs > expiresAtMs) {
          this.expiryChanged(r.tokenExpiresAtMs);
          this.refreshBefore(r.tokenExpiresAtMs);
        }
      } catch (err) {
        if (this.stopped) return;
        this.report(err);
        // Again shortly; if the token expires first, the server closes with 4007 and the reconnect takes a fresh one.
        if (Date.now() < expiresAtMs) this.later(() => this.refreshBefore(expiresAtMs), REFRESH_RETRY_MS);
      }
    }, Math.max(0, left - margin));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pingTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(t);
  }
}
