// Where a client connects: fixed WebSocket URLs, or the balancer, which names the
// node for the user (and fallbacks) on every (re)connect (docs/balancer.md).
import { SwitchboardError } from "./errors.js";

/** Candidate WebSocket URLs, best first, for a token. */
export type Endpoint = (token: string) => Promise<string[]>;

export function fixedEndpoint(...urls: string[]): Endpoint {
  return () => Promise.resolve(urls);
}

/** Asks `GET <balancerUrl>/v1/connect` with the token; answers the node's URL, then its fallbacks. */
export function balancerEndpoint(balancerUrl: string, fetchImpl: typeof fetch = globalThis.fetch): Endpoint {
  const url = new URL("/v1/connect", balancerUrl).toString();
  return async (token) => {
    const res = await fetchImpl(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) {
      const temporary = res.status >= 500 || res.status === 429;
      throw new SwitchboardError("closed", `balancer answered ${res.status}`, temporary);
    }
    const body = (await res.json()) as { url: string; fallbacks?: { url: string }[] };
    return [body.url, ...(body.fallbacks ?? []).map((f) => f.url)];
  };
}
