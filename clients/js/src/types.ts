// The SDK's own event and result types: plain objects, numbers for sequences and
// times (they stay far below 2^53), bytes as Uint8Array. The generated protobuf
// types stay inside the SDK.
import type * as pb from "./gen/switchboard.js";

/** A message of a channel: live, replayed after a reconnect, or read from history. */
export interface Publication {
  channel: string;
  /** Per-channel, gap-free for chat channels; 0 for ephemeral channels. */
  seq: number;
  /** The sender's user id, or "" for a backend. */
  senderId: string;
  timestampMs: number;
  /** Opaque bytes; for chat channels UTF-8 JSON, see {@link ChatMessage} and {@link chatMessage}. */
  payload: Uint8Array;
  /** The durable message id (chat channels), else 0. */
  messageId: number;
  /** The sender's idempotency key, so a sender can match its own echo. */
  clientMsgId: string;
}

/** The payload of a chat channel's publication (docs/message-service.md, "Delivery"). */
export interface ChatMessage {
  id: number;
  seq: number;
  text: string;
  sender: string;
  created_at: string;
  attachments: unknown[] | null;
  [field: string]: unknown;
}

export interface PublishResult {
  /** 0 for ephemeral channels. */
  seq: number;
  messageId: number;
  timestampMs: number;
  clientMsgId: string;
}

export interface ConnectedEvent {
  sessionId: string;
  nodeId: string;
  userId: string;
  orgId: string;
  /** The WebSocket URL of the node (without the token). */
  url: string;
  /** Channels the server subscribed this session to: the personal channel and every chat channel of the user. */
  channels: string[];
  /** 0: the token does not expire. */
  tokenExpiresAtMs: number;
  /** How many connections this client opened so far (1 for the first). */
  connection: number;
}

export interface DisconnectedEvent {
  /** The WebSocket close code (the server's disconnect code), or 1006 when the socket dropped. */
  code: number;
  reason: string;
  /** Whether the client will reconnect by itself. */
  reconnect: boolean;
  /** When it reconnects: after this delay. */
  delayMs: number;
}

export type ConnectionState = "idle" | "connecting" | "connected" | "disconnected" | "closed";

export interface StateEvent {
  state: ConnectionState;
  previous: ConnectionState;
}

export interface PresenceEvent {
  channel: string;
  changes: { userId: string; online: boolean }[];
}

export interface TypingEvent {
  channel: string;
  userId: string;
}

export interface ReadReceiptEvent {
  channel: string;
  userId: string;
  seq: number;
}

export interface SubscribedEvent {
  channel: string;
  lastSeq: number;
}

export interface UnsubscribedEvent {
  channel: string;
  /** The error code saying why (e.g. 103, PERMISSION_DENIED: left or removed). */
  code: number;
}

/**
 * The server said publications of the channel may have been lost (it lost its broker
 * for a while); the client is already reading history after its last sequence. For
 * information only (e.g. a "syncing" hint).
 */
export interface MayHaveMissedEvent {
  channel: string;
  reason: string;
}

/** Publications the client could not get back (too far behind and history gave up); rare. */
export interface SkippedEvent {
  channel: string;
  fromSeq: number;
  toSeq: number;
}

/** The events of one channel (a channel's view has these; a new push type adds its event here). */
export interface ChannelEvents {
  publication: Publication;
  presence: PresenceEvent;
  typing: TypingEvent;
  read: ReadReceiptEvent;
  subscribed: SubscribedEvent;
  unsubscribed: UnsubscribedEvent;
  skipped: SkippedEvent;
  mayHaveMissed: MayHaveMissedEvent;
}

/** The events of a client: every channel's, and the connection's. */
export interface ClientEvents extends ChannelEvents {
  state: StateEvent;
  connected: ConnectedEvent;
  disconnected: DisconnectedEvent;
  /** Something went wrong that the client handles itself (a failed connect, a failed gap fill, a token refresh). */
  error: Error;
}

export function toPublication(p: pb.Publication): Publication {
  return {
    channel: p.channel,
    seq: p.seq,
    senderId: p.senderId,
    timestampMs: p.timestampMs,
    payload: p.payload,
    messageId: p.messageId,
    clientMsgId: p.clientMsgId,
  };
}

const utf8 = new TextDecoder();

/** A publication's payload as text (UTF-8). */
export function payloadText(p: Publication): string {
  return utf8.decode(p.payload);
}

/** A chat channel's publication as its message; throws when the payload is not JSON. */
export function chatMessage(p: Publication): ChatMessage {
  return JSON.parse(payloadText(p)) as ChatMessage;
}
