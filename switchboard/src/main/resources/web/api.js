// The message-service REST API (docs/message-service.md), same origin in dev mode.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async call(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const err = (json && json.error) || {};
      throw new ApiError(res.status, err.code, err.message);
    }
    return json;
  }

  myChannels() {
    return this.call("GET", "/v1/me/channels");
  }

  channel(id) {
    return this.call("GET", `/v1/channels/${id}`);
  }

  /** Newest first; `before` (a sequence) pages backwards. Resolves {messages, next_cursor}. */
  messages(id, before, limit = 50) {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before) q.set("before", String(before));
    return this.call("GET", `/v1/channels/${id}/messages?${q}`);
  }

  openDm(userId) {
    return this.call("POST", "/v1/dms", { user_id: userId });
  }
}
