// Error and disconnect codes of the protocol (docs/protocol.md, "Error codes" and
// "Disconnect codes"). The server sends each error's `temporary` flag itself, so
// the SDK only needs the numbers apps compare against.

/** Codes of `Error` replies. An error reply never closes the connection. */
export const ErrorCodes = {
  INTERNAL: 100,
  UNAUTHORIZED: 101,
  UNKNOWN_CHANNEL: 102,
  PERMISSION_DENIED: 103,
  UNKNOWN_COMMAND: 104,
  ALREADY_SUBSCRIBED: 105,
  LIMIT_EXCEEDED: 106,
  BAD_REQUEST: 107,
  NOT_CONNECTED: 108,
  ALREADY_CONNECTED: 109,
  TOKEN_EXPIRED: 110,
  TOO_MANY_REQUESTS: 111,
  UNRECOVERABLE_POSITION: 112,
  NOT_SUBSCRIBED: 113,
  PAYLOAD_TOO_LARGE: 114,
  UNAVAILABLE: 115,
  CONFLICT: 116,
  NOT_FOUND: 117,
  INVALID_ARGUMENT: 118,
  COMMIT_OUTCOME_UNKNOWN: 119,
} as const;

/** Close codes: 4000-4499 say "reconnect", 4500-4999 "do not reconnect until the cause is fixed". */
export const DisconnectCodes = {
  SHUTDOWN: 4000,
  SLOW_CONSUMER: 4001,
  HEARTBEAT_TIMEOUT: 4002,
  INTERNAL_ERROR: 4003,
  DRAIN: 4004,
  INSUFFICIENT_STATE: 4005,
  FORCE_RECONNECT: 4006,
  TOKEN_EXPIRED: 4007,
  RATE_LIMITED: 4008,
  CONNECT_TIMEOUT: 4009,
  UNAUTHORIZED: 4500,
  PROTOCOL_ERROR: 4501,
  MESSAGE_TOO_LARGE: 4502,
  FORCE_DISCONNECT: 4503,
  CONNECTION_LIMIT: 4504,
  PERMISSION_DENIED: 4505,
} as const;

/** Whether a client may reconnect after a close with this code (the protocol's ranges). */
export function mayReconnect(code: number): boolean {
  return !(code >= 4500 && code <= 4999);
}

/**
 * Why a command failed. `code` is an error code of the protocol (see
 * {@link ErrorCodes}), or one of the SDK's own strings: "closed" (the connection
 * dropped before the reply), "timeout" (no reply in time), "client_closed"
 * (`close()` was called).
 */
export class SwitchboardError extends Error {
  readonly code: number | "closed" | "timeout" | "client_closed";
  /** Retrying the same command later may succeed. */
  readonly temporary: boolean;

  constructor(code: number | "closed" | "timeout" | "client_closed", message: string, temporary: boolean) {
    super(message);
    this.name = "SwitchboardError";
    this.code = code;
    this.temporary = temporary;
  }
}
