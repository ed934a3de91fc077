// A typed client of the message-service REST API (docs/message-service.md, "REST API").
// Objects are the server's JSON as it is (snake_case), typed.

export interface Channel {
  id: number;
  org: string;
  name: string;
  type: "DM" | "GROUP";
  /** The WebSocket channel of this chat channel (`<org>/chat/<id>`). */
  realtime_channel: string;
  last_seq: number;
  created_at: string;
}

export interface ChannelDetails extends Channel {
  members: string[];
}

export interface ChannelSummary extends Channel {
  /** New messages after `last_read_seq`: not edits or reactions, not mine, not deleted, not thread-only replies. */
  unread_count: number;
  /** Of those, the ones that mention me. */
  mention_count: number;
  /** My reads and sends here, each worth 1, decaying by e a week: the list's order, highest first. */
  affinity_score: number;
  last_read_seq: number;
  muted: boolean;
  notify_always: boolean;
  starred: boolean;
}

export interface Membership {
  channel_id: number;
  user_id: string;
  joined_at: string;
  muted: boolean;
  notify_always: boolean;
  starred: boolean;
  last_read_seq: number;
}

export interface Message {
  id: number;
  channel_id: number;
  seq: number;
  sender: string;
  text: string;
  attachments: unknown[] | null;
  client_msg_id: string | null;
  created_at: string;
}

export interface MessagePage {
  messages: Message[];
  /** The sequence to pass as the next `before` (or `after`); null at the end. */
  next_cursor: number | null;
}

export interface User {
  org: string;
  id: string;
  name: string;
  email: string | null;
  handle: string | null;
  created_at: string;
}

/** A channel member as `GET /v1/channels/{id}/members` lists them. */
export interface Member {
  org: string;
  id: string;
  name: string;
  handle: string | null;
  created_at: string;
  /** Absent when presence could not be read (unknown, not offline). */
  online?: boolean;
  /** An offline member's last time online (the end of their last presence lease); absent if never seen offline. */
  last_seen_at?: string;
}

export interface Media {
  id: number;
  content_type: string;
  size: number;
  created_at: string;
}

/** A non-2xx answer: `status`, and the error envelope's `code` and `message`. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = "RestError";
  }
}

export interface RestOptions {
  /** The REST API's base URL (`http://127.0.0.1:8080` in dev mode). */
  baseUrl: string;
  /** A user's token, or a function returning a fresh one. */
  token?: string | (() => string | Promise<string>);
  /** A server API key (server calls such as creating users). */
  apiKey?: string;
  fetch?: typeof fetch;
}

export class RestClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: RestOptions) {
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  myChannels(): Promise<{ dms: ChannelSummary[]; groups: ChannelSummary[] }> {
    return this.call("GET", "/v1/me/channels");
  }

  channel(id: number): Promise<ChannelDetails> {
    return this.call("GET", `/v1/channels/${id}`);
  }

  createChannel(name: string, members: string[]): Promise<ChannelDetails> {
    return this.call("POST", "/v1/channels", { name, type: "GROUP", members });
  }

  /** The DM with `userId` (created on first use; the same channel for both users). */
  openDm(userId: string): Promise<ChannelDetails> {
    return this.call("POST", "/v1/dms", { user_id: userId });
  }

  addMember(channelId: number, userId: string): Promise<Membership> {
    return this.call("POST", `/v1/channels/${channelId}/members`, { user_id: userId });
  }

  removeMember(channelId: number, userId: string): Promise<void> {
    return this.call("DELETE", `/v1/channels/${channelId}/members/${encodeURIComponent(userId)}`);
  }

  updateMembership(channelId: number, flags: { muted?: boolean; notify_always?: boolean; starred?: boolean }): Promise<Membership> {
    return this.call("PATCH", `/v1/channels/${channelId}/membership`, flags);
  }

  /** Sends a message; a repeated `clientMsgId` answers the stored message instead of storing it again. */
  sendMessage(channelId: number, text: string, opts: { clientMsgId?: string; attachments?: unknown[] } = {}): Promise<Message> {
    const body: Record<string, unknown> = { text };
    if (opts.clientMsgId) body.client_msg_id = opts.clientMsgId;
    if (opts.attachments) body.attachments = opts.attachments;
    return this.call("POST", `/v1/channels/${channelId}/messages`, body);
  }

  /** One page: `before` (newest first) or `after` (oldest first); neither: the newest page. */
  messages(channelId: number, q: { before?: number; after?: number; limit?: number } = {}): Promise<MessagePage> {
    const p = new URLSearchParams();
    if (q.limit !== undefined) p.set("limit", String(q.limit));
    if (q.before !== undefined) p.set("before", String(q.before));
    if (q.after !== undefined) p.set("after", String(q.after));
    return this.call("GET", `/v1/channels/${channelId}/messages?${p}`);
  }

  /** Every message, page by page as the loop asks: newest first, or oldest first with `direction: "forward"`. */
  async *history(channelId: number, opts: { direction?: "backward" | "forward"; from?: number; pageSize?: number } = {}): AsyncGenerator<Message, void, undefined> {
    const forward = opts.direction === "forward";
    let cursor: number | null | undefined = opts.from ?? (forward ? 0 : undefined);
    for (;;) {
      const q = { limit: opts.pageSize ?? 50, ...(cursor === undefined ? {} : forward ? { after: cursor } : { before: cursor }) };
      const page = await this.messages(channelId, q as { before?: number; after?: number; limit: number });
      yield* page.messages;
      if (page.next_cursor === null || page.next_cursor === undefined || page.messages.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  /** The channel's members with `online` and, for offline ones, `last_seen_at`. */
  members(channelId: number): Promise<{ members: Member[] }> {
    return this.call("GET", `/v1/channels/${channelId}/members`);
  }

  /** Replaces the text of one of my messages (ADR 0013); answers the message as edited, with its `event`. */
  editMessage(channelId: number, messageId: number, text: string, opts: { clientMsgId?: string } = {}): Promise<Message> {
    return this.call("PATCH", `/v1/channels/${channelId}/messages/${messageId}`,
      opts.clientMsgId ? { text, client_msg_id: opts.clientMsgId } : { text });
  }

  /** Deletes one of my messages; answers the tombstone. */
  deleteMessage(channelId: number, messageId: number): Promise<Message> {
    return this.call("DELETE", `/v1/channels/${channelId}/messages/${messageId}`);
  }

  /** Adds my reaction (idempotent). */
  react(channelId: number, messageId: number, emoji: string): Promise<Message> {
    return this.call("PUT", `/v1/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`);
  }

  /** Takes my reaction back (idempotent). */
  unreact(channelId: number, messageId: number, emoji: string): Promise<Message> {
    return this.call("DELETE", `/v1/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`);
  }

  /** A reply in the thread of `parentId`. */
  reply(channelId: number, parentId: number, text: string, opts: { alsoToChannel?: boolean; clientMsgId?: string } = {}): Promise<Message> {
    const body: Record<string, unknown> = { text, parent_id: parentId, also_to_channel: opts.alsoToChannel ?? false };
    if (opts.clientMsgId) body.client_msg_id = opts.clientMsgId;
    return this.call("POST", `/v1/channels/${channelId}/messages`, body);
  }

  /** One page of a thread's replies, oldest first after `after`. */
  replies(channelId: number, rootId: number, q: { after?: number; limit?: number } = {}): Promise<{ replies: Message[]; next_cursor: number | null }> {
    return this.call("GET", `/v1/channels/${channelId}/messages/${rootId}/replies?after=${q.after ?? 0}&limit=${q.limit ?? 50}`);
  }

  /** One page of the channel's log after `after`: messages and the changes to them, each in its current state. */
  events(channelId: number, q: { after?: number; limit?: number } = {}): Promise<{ events: Message[]; next_cursor: number | null }> {
    return this.call("GET", `/v1/channels/${channelId}/events?after=${q.after ?? 0}&limit=${q.limit ?? 50}`);
  }

  markRead(channelId: number, seq: number): Promise<{ channel_id: number; last_read_seq: number }> {
    return this.call("PUT", `/v1/channels/${channelId}/read`, { seq });
  }

  registerDevice(platform: "apns" | "fcm", token: string): Promise<unknown> {
    return this.call("POST", "/v1/me/devices", { platform, token });
  }

  devices(): Promise<{ devices: { platform: string; token: string }[] }> {
    return this.call("GET", "/v1/me/devices");
  }

  removeDevice(token: string): Promise<void> {
    return this.call("DELETE", `/v1/me/devices/${encodeURIComponent(token)}`);
  }

  /** Uploads a file; attach it to a message with `attachments: [{media_id: id}]`. */
  uploadMedia(body: Blob | Uint8Array, contentType: string): Promise<Media> {
    return this.call("POST", "/v1/media", body, contentType);
  }

  async downloadMedia(id: number): Promise<{ contentType: string; bytes: Uint8Array }> {
    const res = await this.send("GET", `/v1/media/${id}`);
    return { contentType: res.headers.get("content-type") ?? "", bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  /** Creates a user (server call: needs `apiKey`). */
  createUser(user: { org: string; id: string; name: string; email?: string; handle?: string }): Promise<User> {
    return this.call("POST", "/v1/users", user);
  }

  /** Any call of the API, JSON in and out. */
  async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.send(method, path, body, contentType);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    const token = typeof this.opts.token === "function" ? await this.opts.token() : this.opts.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (this.opts.apiKey) headers["X-Api-Key"] = this.opts.apiKey;
    let payload: BodyInit | undefined;
    if (contentType) {
      headers["Content-Type"] = contentType;
      payload = body as BodyInit;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const res = await this.fetchImpl(new URL(path, this.opts.baseUrl).toString(), { method, headers, body: payload });
    if (!res.ok) {
      const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new RestError(res.status, json?.error?.code ?? "", json?.error?.message ?? res.statusText);
    }
    return res;
  }
}
