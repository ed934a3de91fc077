// One WebSocket to an edge node: request ids, replies matched to their commands,
// pushes handed on. Knows nothing of reconnects or channels (SwitchboardClient does).
import { decodeServerFrames, encodeClientFrame } from "./codec.js";
import { SwitchboardError } from "./errors.js";
import type { ClientFrame, ServerFrame } from "./gen/switchboard.js";

/** What the SDK needs of a WebSocket: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

type Command = NonNullable<ClientFrame["command"]>;
type Body = NonNullable<ServerFrame["body"]>;
/** A command's name: "connect", "subscribe", "publish", ... */
export type CommandName = Command["$case"];
export type CommandOf<K extends CommandName> = Extract<Command, { $case: K }>["value"];
/** Every reply body has its command's name, except ping's, which is "pong". */
type ReplyName<K extends CommandName> = K extends "ping" ? "pong" : K;
export type ReplyOf<K extends CommandName> = Extract<Body, { $case: ReplyName<K> }>["value"];
/** A push: a body of a frame with id 0. */
export type Push = Exclude<Body, { $case: "error" }>;

const OPEN = 1;

interface Pending {
  resolve(v: unknown): void;
  reject(e: SwitchboardError): void;
  timer: ReturnType<typeof setTimeout>;
  expect: string;
}

export interface ConnectionHandlers {
  onPush(push: Push): void;
  onClose(code: number, reason: string): void;
}

export class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(
    private readonly ws: WebSocketLike,
    private readonly handlers: ConnectionHandlers,
    private readonly requestTimeoutMs: number,
  ) {
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closedBy(ev.code, ev.reason);
    ws.onerror = () => {};
  }

  /** Opens a WebSocket; resolves once it is open, rejects if it closes first or takes longer than `timeoutMs`. */
  static open(
    WS: WebSocketConstructor,
    url: string,
    handlers: ConnectionHandlers,
    opts: { timeoutMs: number; requestTimeoutMs: number },
  ): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new WS(url);
      } catch (err) {
        reject(err);
        return;
      }
      ws.binaryType = "arraybuffer";
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.onopen = ws.onclose = ws.onerror = null;
        try {
          ws.close();
        } catch {
          // closing a socket that never opened may throw in some implementations
        }
        reject(new SwitchboardError("closed", `cannot open ${redact(url)}: ${why}`, true));
      };
      const timer = setTimeout(() => fail("timed out"), opts.timeoutMs);
      ws.onopen = () => {
        clearTimeout(timer);
        resolve(new Connection(ws, handlers, opts.requestTimeoutMs));
      };
      ws.onerror = () => {};
      ws.onclose = (ev) => fail(`closed (${ev.code})`);
    });
  }

  get open(): boolean {
    return !this.closed && this.ws.readyState === OPEN;
  }

  /** Sends a command; resolves with its reply body, rejects with a {@link SwitchboardError}. */
  request<K extends CommandName>(name: K, value: CommandOf<K>, timeoutMs = this.requestTimeoutMs): Promise<ReplyOf<K>> {
    if (!this.open) return Promise.reject(new SwitchboardError("closed", "not connected", true));
    const id = this.nextId++;
    return new Promise<ReplyOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SwitchboardError("timeout", `${name} got no reply in ${timeoutMs} ms`, true));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
        expect: name === "ping" ? "pong" : name,
      });
      this.write(id, name, value);
    });
  }

  /** Sends a command with request id 0: the server sends no reply. */
  send<K extends CommandName>(name: K, value: CommandOf<K>): void {
    if (this.open) this.write(0, name, value);
  }

  close(code = 1000, reason = ""): void {
    if (this.closed) return;
    try {
      this.ws.close(code, reason);
    } finally {
      this.closedBy(code, reason);
    }
  }

  private write(id: number, name: CommandName, value: unknown): void {
    this.ws.send(encodeClientFrame({ id, command: { $case: name, value } as Command }));
  }

  private receive(data: unknown): void {
    let frames: ServerFrame[];
    try {
      frames = decodeServerFrames(toBytes(data));
    } catch (err) {
      this.close(1000, `malformed server message: ${(err as Error).message}`);
      return;
    }
    for (const f of frames) {
      const body = f.body;
      if (f.id !== 0) {
        const p = this.pending.get(f.id);
        if (!p) continue;
        this.pending.delete(f.id);
        clearTimeout(p.timer);
        if (body?.$case === "error") {
          p.reject(new SwitchboardError(body.value.code, body.value.message, body.value.temporary));
        } else if (body?.$case === p.expect) {
          p.resolve(body.value);
        } else {
          p.reject(new SwitchboardError("closed", `unexpected reply ${body?.$case ?? "(unknown)"}`, false));
        }
      } else if (body && body.$case !== "error") {
        // A body this SDK does not know decodes to undefined: ignored, as the protocol asks.
        this.handlers.onPush(body);
      }
      if (this.closed) return;
    }
  }

  private closedBy(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.onmessage = this.ws.onclose = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new SwitchboardError("closed", `connection closed (${code})`, true));
    }
    this.pending.clear();
    this.handlers.onClose(code, reason);
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError("expected a binary message");
}

/** A URL without its token, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/([?&]token=)[^&]*/, "$1…");
}
