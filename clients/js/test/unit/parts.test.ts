import { describe, expect, it } from "vitest";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Backoff } from "../../src/backoff.js";
import { decodeServerFrames, encodeClientFrame } from "../../src/codec.js";
import { ClientFrame, ServerFrame } from "../../src/gen/switchboard.js";
import { MAX_HELD, Sequencer } from "../../src/sequencer.js";
import { RestClient, RestError, mayReconnect } from "../../src/index.js";
import { isChatChannel } from "../../src/outbox.js";

describe("framing", () => {
  it("writes one length-delimited frame and reads several from one message", () => {
    const bytes = encodeClientFrame({ id: 3, command: { $case: "ping", value: { nonce: 9 } } });
    expect(bytes[0]).toBe(bytes.length - 1);
    expect(ClientFrame.decode(bytes.subarray(1))).toEqual({ id: 3, command: { $case: "ping", value: { nonce: 9 } } });
    const w = new BinaryWriter();
    w.bytes(ServerFrame.encode({ id: 1, body: { $case: "pong", value: { nonce: 9 } } }).finish());
    w.bytes(ServerFrame.encode({ id: 0, body: { $case: "typingEvent", value: { channel: "a/b", userId: "u" } } }).finish());
    const frames = decodeServerFrames(w.finish());
    expect(frames.map((f) => f.body?.$case)).toEqual(["pong", "typingEvent"]);
  });

  it("refuses a truncated frame", () => {
    expect(() => decodeServerFrames(new Uint8Array([5, 1, 2]))).toThrow();
  });

  it("decodes a body it does not know to nothing (the protocol says: ignore it)", () => {
    const w = new BinaryWriter();
    w.uint32((99 << 3) | 2).bytes(new Uint8Array([8, 1])); // field 99, an unknown body
    const inner = w.finish();
    const framed = new BinaryWriter().bytes(inner).finish();
    expect(decodeServerFrames(framed)[0].body).toBeUndefined();
  });
});

describe("sequencer", () => {
  const pub = (seq: number, channel = "o/chat/1") => ({ channel, seq });

  it("delivers in order, holds back after a gap, drops duplicates", () => {
    const s = new Sequencer<{ channel: string; seq: number }>();
    const out: number[] = [];
    const d = (p: { seq: number }) => out.push(p.seq);
    s.trackIfUnknown("o/chat/1", 10);
    expect(s.offer(pub(11), d).gap).toBe(false);
    expect(s.offer(pub(13), d).gap).toBe(true);
    expect(s.offer(pub(11), d).gap).toBe(true);
    expect(s.offer(pub(12), d).gap).toBe(false);
    expect(out).toEqual([11, 12, 13]);
    expect(s.positions()).toEqual({ "o/chat/1": 13 });
  });

  it("passes ephemeral publications (seq 0) straight through", () => {
    const s = new Sequencer<{ channel: string; seq: number }>();
    const out: number[] = [];
    s.offer(pub(0, "o/room"), (p) => out.push(p.seq));
    s.offer(pub(0, "o/room"), (p) => out.push(p.seq));
    expect(out).toEqual([0, 0]);
    expect(s.positions()).toEqual({});
  });

  it("gives a gap up when too much is held back, and says which sequences", () => {
    const s = new Sequencer<{ channel: string; seq: number }>();
    const out: number[] = [];
    s.track("o/chat/1", 1);
    let last;
    for (let i = 0; i <= MAX_HELD; i++) last = s.offer(pub(100 + i), (p) => out.push(p.seq));
    expect(last!.skipped).toEqual({ from: 2, to: 99 });
    expect(out.length).toBe(MAX_HELD + 1);
    expect(s.last("o/chat/1")).toBe(100 + MAX_HELD);
  });
});

describe("backoff", () => {
  it("grows up to its cap, with full jitter, and never goes below the server's advice", () => {
    const b = new Backoff(100, 1000, () => 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(b.next(3000)).toBe(4500); // advice, jittered up to +50 %
    const zero = new Backoff(100, 1000, () => 0);
    expect(zero.next()).toBe(0);
    expect(zero.next(300)).toBe(300);
  });

  it("knows which close codes allow a reconnect", () => {
    expect([1000, 1001, 1006, 4000, 4004, 4499].every(mayReconnect)).toBe(true);
    expect([4500, 4503, 4999].some(mayReconnect)).toBe(false);
  });

  it("knows chat channels by name", () => {
    expect(isChatChannel("acme/chat/7")).toBe(true);
    expect(isChatChannel("acme/room")).toBe(false);
    expect(isChatChannel("acme/#alice")).toBe(false);
  });
});

describe("rest", () => {
  it("sends the token, JSON bodies and query strings; turns the error envelope into a RestError", async () => {
    const seen: string[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push(`${init.method} ${url} ${(init.headers as Record<string, string>).Authorization} ${init.body ?? ""}`);
      if (url.endsWith("/v1/channels/9")) {
        return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such channel" } }), { status: 404 });
      }
      return new Response(JSON.stringify({ messages: [{ seq: 3 }], next_cursor: null }), { status: 200 });
    }) as unknown as typeof fetch;
    const rest = new RestClient({ baseUrl: "http://x:1", token: async () => "tok", fetch: fake });
    const all = [];
    for await (const m of rest.history(7, { pageSize: 2 })) all.push(m.seq);
    expect(all).toEqual([3]);
    await rest.sendMessage(7, "hi", { clientMsgId: "k" });
    const err = await rest.channel(9).catch((e) => e);
    expect(err).toBeInstanceOf(RestError);
    expect(err).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(seen).toEqual([
      "GET http://x:1/v1/channels/7/messages?limit=2 Bearer tok ",
      'POST http://x:1/v1/channels/7/messages Bearer tok {"text":"hi","client_msg_id":"k"}',
      "GET http://x:1/v1/channels/9 Bearer tok ",
    ]);
  });
});
