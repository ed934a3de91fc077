// Real servers for the integration tests: the packaged launcher
// (switchboard/target/lib, built by the Maven reactor before this module) in
// processes of their own, on free ports, plus a redis-server and a throwaway
// PostgreSQL database for the fleet. Everything started here is stopped by stopAll().
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SECRET = "sdk-it-secret-0123456789abcdef0123456789";
export const API_KEY = "sdk-it-api-key-0123456789";
/** What the edges present to the message-service (docs/security.md, "How keys are scoped"). */
const INTERNAL_KEY = "sdk-it-internal-key-0123456789";
const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "..");
const LIB = join(ROOT, "switchboard", "target", "lib");

const children = new Set<ChildProcess>();
const cleanups: (() => void)[] = [];
process.on("exit", () => stopAll());

export function java(): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, "bin", "java"))) return join(home, "bin", "java");
  const jvms = existsSync("/usr/lib/jvm") ? readdirSync("/usr/lib/jvm").sort().reverse() : [];
  for (const j of jvms) if (existsSync(join("/usr/lib/jvm", j, "bin", "java"))) return join("/usr/lib/jvm", j, "bin", "java");
  return "java";
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Whether `port` can be listened on now (127.0.0.1). */
function canListen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

/**
 * A free port whose next port is free too, for `switchboard dev` (its server API listens on port + 1). The kernel
 * hands out listening ports of one parity and outgoing connections' ports of the other, so the port after a free
 * one is often a client's, and a dev server on it could not bind its API.
 */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await canListen(port + 1))) return port;
  }
}

export async function waitForPort(port: number, proc?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}) before listening on ${port}`);
    const ok = await new Promise<boolean>((res) => {
      const c = connect(port, "127.0.0.1", () => {
        c.destroy();
        res(true);
      });
      c.on("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
}

/** Runs `bin/switchboard <args>` as the launcher does (without the build step). */
export function launch(name: string, args: string[]): ChildProcess {
  if (!existsSync(LIB)) throw new Error(`${LIB} is missing: build the server first (./mvnw -DskipTests package -pl switchboard -am)`);
  const p = spawn(java(), ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", `${LIB}/*`, "dev.switchboard.cli.Main", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (log.length > 200) log.shift();
  };
  p.stdout!.on("data", keep);
  p.stderr!.on("data", keep);
  (p as ChildProcess & { log: string[]; title: string }).log = log;
  (p as ChildProcess & { log: string[]; title: string }).title = name;
  children.add(p);
  p.on("exit", () => children.delete(p));
  return p;
}

export function output(p: ChildProcess): string {
  return ((p as ChildProcess & { log: string[] }).log ?? []).join("");
}

/** The last `lines` lines each of `procs` wrote, under its name: what a failed test prints to be diagnosed. */
export function tails(procs: Iterable<ChildProcess> = children, lines = 30): string {
  return [...procs]
    .map((p) => {
      const title = (p as ChildProcess & { title?: string }).title ?? String(p.pid);
      const state = p.exitCode !== null || p.signalCode !== null ? ` (exited: ${p.exitCode ?? p.signalCode})` : "";
      return `--- ${title}${state}\n` + output(p).split("\n").slice(-lines).join("\n");
    })
    .join("\n");
}

export async function stop(p: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  await new Promise<void>((res) => {
    p.once("exit", () => res());
    p.kill(signal);
    setTimeout(() => p.kill("SIGKILL"), 10_000).unref();
  });
}

export function stopAll(): void {
  for (const p of children) p.kill("SIGKILL");
  children.clear();
  for (const c of cleanups.splice(0)) c();
}

/** An HS256 connection token, as `bin/switchboard token` mints them. */
export function token(user: string, org: string, ttlSeconds = 1800): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64({ sub: user, org, exp: Math.floor(Date.now() / 1000) + ttlSeconds });
  const sig = createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export interface DevServer {
  port: number;
  ws: string;
  http: string;
  proc: ChildProcess;
}

/** `switchboard dev` on free ports with a fresh data directory (embedded database, in-memory broker). */
export async function startDev(): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePortPair();
    const data = mkdtempSync(join(tmpdir(), "sb-sdk-dev-"));
    cleanups.push(() => rmSync(data, { recursive: true, force: true }));
    const proc = launch("dev", ["dev", "--host", "127.0.0.1", "--port", String(port), "--data", data, "--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY]);
    try {
      await waitFor(() => output(proc).includes("token bob"), proc, 90_000);
      return { port, ws: `ws://127.0.0.1:${port}/ws`, http: `http://127.0.0.1:${port}`, proc };
    } catch (e) {
      // The port was free when chosen, but something else on the machine (another test's server, a client's
      // ephemeral port) took it before the server bound it: choose another. Any other failure fails the test.
      if (attempt < 3 && proc.exitCode !== null && output(proc).includes("Address already in use")) continue;
      throw e;
    }
  }
}

async function waitFor(cond: () => boolean, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}):\n${output(proc)}`);
    if (Date.now() > deadline) throw new Error(`timed out; output:\n${output(proc)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A redis-server of the test's own on a free port (it may be killed without disturbing anyone). */
export async function startRedis(): Promise<string> {
  const port = await freePort();
  const p = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  children.add(p);
  await waitForPort(port, p);
  return `redis://127.0.0.1:${port}`;
}

/** A throwaway database on the local PostgreSQL (127.0.0.1:5432, trust auth), dropped by stopAll(). */
export function createDatabase(): string {
  const name = `sb_sdk_${randomBytes(6).toString("hex")}`;
  const host = process.env.SWITCHBOARD_TEST_PG_HOST || "127.0.0.1";
  const port = process.env.SWITCHBOARD_TEST_PG_PORT || "5432";
  const psql = (sql: string) => {
    const r = spawnSync("psql", ["-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  };
  psql(`CREATE DATABASE ${name}`);
  cleanups.push(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return `jdbc:postgresql://${host}:${port}/${name}?user=postgres`;
}

export interface Fleet {
  redis: string;
  rest: string;
  balancer: string;
  edges: { nodeId: string; port: number; url: string; proc: ChildProcess }[];
  startEdge(i: number): Promise<void>;
}

/** message-service on PostgreSQL, `edges` edge nodes fanning out through Redis and registered there, and a balancer. */
export async function startFleet(edgeCount: number): Promise<Fleet> {
  const redis = await startRedis();
  const db = createDatabase();
  const [restPort, lbPort] = [await freePort(), await freePort()];
  const auth = ["--jwt-secret", SECRET, "--api-key", "platform:" + API_KEY];
  const internal = ["--internal-key", INTERNAL_KEY];
  const messages = launch("messages", ["messages", "--host", "127.0.0.1", "--port", String(restPort), "--db", db, "--redis", redis, ...auth, ...internal]);
  const balancer = launch("balancer", ["balancer", "--host", "127.0.0.1", "--port", String(lbPort), "--redis", redis, "--refresh", "200ms", ...auth]);
  const rest = `http://127.0.0.1:${restPort}`;
  const edges: Fleet["edges"] = [];
  for (let i = 1; i <= edgeCount; i++) {
    const port = await freePort();
    edges.push({ nodeId: `edge-${i}`, port, url: `ws://127.0.0.1:${port}/ws`, proc: undefined as unknown as ChildProcess });
  }
  const startEdge = async (i: number) => {
    const e = edges[i];
    e.proc = launch(e.nodeId, ["edge", "--host", "127.0.0.1", "--port", String(e.port), "--api-port", "-1", "--node-id", e.nodeId,
      "--redis", redis, "--messages-url", rest, "--io-threads", "1", ...auth, ...internal]);
    await waitForPort(e.port, e.proc);
  };
  await waitForPort(restPort, messages, 90_000);
  await Promise.all(edges.map((_, i) => startEdge(i)));
  await waitForPort(lbPort, balancer);
  return { redis, rest, balancer: `http://127.0.0.1:${lbPort}`, edges, startEdge };
}
