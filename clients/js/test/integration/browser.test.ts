// The demo web client, built on the SDK's browser bundle, in Debian's headless
// Chromium driven by playwright-core: alice and bob in two browser contexts chat
// in #general; alice is cut off by the server and writes while offline; her
// message is sent once after the reconnect and bob's message from meanwhile
// arrives once.
import { chromium, type Browser, type Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { API_KEY, startDev, stopAll, token, type DevServer } from "./servers.js";

const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM || "/usr/bin/chromium";
const SHOTS = new URL("../../target/e2e/", import.meta.url).pathname;
let dev: DevServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [dev, browser] = await Promise.all([
    startDev(),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  stopAll();
});

async function openAs(user: string): Promise<{ page: Page; scripts: string[]; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on("response", (r) => r.url().endsWith(".js") && scripts.push(new URL(r.url()).pathname));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${dev.http}/app/#token=${token(user, "demo")}`);
  await page.waitForSelector('#status[data-state="connected"]', { timeout: 20_000 });
  await page.waitForSelector('#channel-title:has-text("general")');
  return { page, scripts, errors };
}

const texts = (page: Page) => page.$$eval("#message-list li.message:not(.pending) .text", (els) => els.map((e) => e.textContent));

async function send(page: Page, text: string): Promise<void> {
  await page.fill("#composer-input", text);
  await page.press("#composer-input", "Enter");
}

it("two browser contexts chat through the web client, and a message written offline is delivered once", async () => {
  const alice = await openAs("alice");
  const bob = await openAs("bob");
  expect(alice.scripts).toEqual(expect.arrayContaining(["/app/app.js", "/app/vendor/switchboard-client.js"]));
  expect(alice.scripts.some((s) => s.includes("wire.js") || s.includes("protobuf"))).toBe(false);

  await send(alice.page, "hello from alice's browser");
  await bob.page.waitForSelector('#message-list li.message .text:has-text("hello from alice\'s browser")');
  await send(bob.page, "hello back from bob");
  await alice.page.waitForSelector('#message-list li.message:not(.pending) .text:has-text("hello back from bob")');
  expect(await alice.page.$$("#message-list li.pending")).toHaveLength(0);

  // The server cuts alice's session and asks her to come back in 2 s; she writes meanwhile.
  const cut = await fetch(`http://127.0.0.1:${dev.port + 1}/v1/disconnect`, {
    method: "POST",
    headers: { "X-Api-Key": API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ org: "demo", user_id: "alice", code: 4006, reason: "test", reconnect_after_ms: 2000 }),
  });
  expect(cut.status).toBeLessThan(300);
  await alice.page.waitForSelector('#status[data-state="waiting"]');
  await send(alice.page, "written while offline");
  await send(bob.page, "sent while alice was away");
  await alice.page.waitForSelector('#status[data-state="connected"]', { timeout: 20_000 });
  await alice.page.waitForSelector('#message-list li.message:not(.pending) .text:has-text("written while offline")');
  await alice.page.waitForSelector('#message-list li.message .text:has-text("sent while alice was away")');
  await bob.page.waitForSelector('#message-list li.message .text:has-text("written while offline")');

  for (const who of [alice, bob]) {
    const shown = await texts(who.page);
    for (const t of ["hello from alice's browser", "hello back from bob", "written while offline", "sent while alice was away"]) {
      expect(shown.filter((s) => s === t), `${t} once`).toHaveLength(1);
    }
    const seqs = await who.page.$$eval("#message-list li.message:not(.pending)", (els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(who.errors).toEqual([]);
  }
  await alice.page.screenshot({ path: `${SHOTS}alice.png` });
  await bob.page.screenshot({ path: `${SHOTS}bob.png` });
  // Open tabs would read later tests' messages (a read receipt clears every device's badge).
  await alice.page.context().close();
  await bob.page.context().close();
});

it("edits, deletes, reactions, thread replies and mentions show in the other browser (ADR 0013)", async () => {
  const alice = await openAs("alice");
  const bob = await openAs("bob");
  const msg = (page: Page, text: string) => page.locator("#message-list li.message:not(.pending)", { hasText: text });

  await send(alice.page, "lifecycle @bob check this");
  await msg(bob.page, "lifecycle @bob check this").and(bob.page.locator("li.mentioned")).waitFor();

  await msg(bob.page, "lifecycle @bob check this").locator('button.reaction.add[data-emoji="👍"]').click();
  await msg(alice.page, "lifecycle @bob check this").locator('button.reaction[data-emoji="👍"]:has-text("👍 1")').waitFor();

  alice.page.once("dialog", (d) => d.accept("lifecycle, edited"));
  await msg(alice.page, "lifecycle @bob check this").locator("button.edit").click();
  await msg(bob.page, "lifecycle, edited").locator(".edited").waitFor();
  await msg(bob.page, "lifecycle, edited").locator('button.reaction[data-emoji="👍"]:has-text("👍 1")').waitFor();

  await msg(bob.page, "lifecycle, edited").locator("button.thread").click();
  await bob.page.fill("#thread-input", "a reply in the thread");
  await bob.page.press("#thread-input", "Enter");
  await msg(alice.page, "lifecycle, edited").locator('button.thread:has-text("1 reply")').waitFor();
  expect(await texts(alice.page)).not.toContain("a reply in the thread");

  alice.page.once("dialog", (d) => d.accept());
  await msg(alice.page, "lifecycle, edited").locator("button.delete").click();
  await bob.page.locator('#message-list li.message.deleted .text:has-text("This message was deleted.")').first().waitFor();
  expect(await texts(bob.page)).not.toContain("lifecycle, edited");

  // Bob looks at a DM; a mention in #general shows as a mention badge beside the unread count.
  bob.page.once("dialog", (d) => d.accept("alice"));
  await bob.page.click("#new-dm");
  await bob.page.waitForSelector('#channel-title:has-text("alice")');
  await send(alice.page, "@bob are you there?");
  await bob.page.waitForSelector('#groups li[data-mentions="1"] .badge.mention');
  expect(await bob.page.getAttribute('#groups li[data-mentions="1"]', "data-unread")).toBe("1");
  for (const who of [alice, bob]) expect(who.errors).toEqual([]);
  await bob.page.screenshot({ path: `${SHOTS}bob-events.png` });
});

it("a thread opens in a panel beside the channel: its replies are paged in, sent and kept live (ADR 0013)", async () => {
  const alice = await openAs("alice");
  const bob = await openAs("bob");
  const msg = (page: Page, text: string) => page.locator("#message-list li.message:not(.pending)", { hasText: text });
  const replies = (page: Page) => page.$$eval("#thread-list li.message .text", (els) => els.map((e) => e.textContent));

  await send(alice.page, "a root for the panel");
  await msg(bob.page, "a root for the panel").waitFor();
  // Bob opens the thread and replies twice from the panel; the replies stay out of the channel.
  await msg(bob.page, "a root for the panel").locator("button.thread").click();
  await bob.page.waitForSelector('#thread:not([hidden])[data-loaded="true"]');
  expect(await bob.page.textContent("#thread-status")).toBe("No replies yet.");
  expect(await bob.page.textContent("#thread-root .text")).toBe("a root for the panel");
  for (const text of ["first in the thread", "second in the thread"]) {
    await bob.page.fill("#thread-input", text);
    await bob.page.press("#thread-input", "Enter");
    await bob.page.locator("#thread-list li.message .text", { hasText: text }).waitFor();
  }
  await msg(alice.page, "a root for the panel").locator('button.thread:has-text("2 replies")').waitFor();
  expect(await texts(alice.page)).not.toContain("first in the thread");

  // Alice's page starts afresh: history pages hold no thread-only replies, so the panel reads them over
  // the WebSocket (history with thread_id).
  await alice.page.reload();
  await alice.page.waitForSelector('#status[data-state="connected"]');
  await msg(alice.page, "a root for the panel").locator('button.thread:has-text("2 replies")').click();
  await alice.page.waitForSelector('#thread:not([hidden])[data-loaded="true"]');
  expect(await replies(alice.page)).toEqual(["first in the thread", "second in the thread"]);

  // Alice replies and also sends it to the channel: both panels and bob's channel show it.
  await alice.page.check("#thread-also-input");
  await alice.page.fill("#thread-input", "also in the channel");
  await alice.page.press("#thread-input", "Enter");
  await bob.page.locator("#thread-list li.message", { hasText: "also in the channel" }).locator(".also-sent").waitFor();
  await msg(bob.page, "also in the channel").locator(".in-thread").waitFor();
  await msg(bob.page, "a root for the panel").locator('button.thread:has-text("3 replies")').waitFor();

  // A reaction and an edit inside the panel reach the other panel live.
  await bob.page.locator("#thread-list li.message", { hasText: "first in the thread" })
    .locator('button.reaction.add[data-emoji="🎉"]').click();
  await alice.page.locator("#thread-list li.message", { hasText: "first in the thread" })
    .locator('button.reaction[data-emoji="🎉"]:has-text("🎉 1")').waitFor();
  bob.page.once("dialog", (d) => d.accept("second, edited in the thread"));
  await bob.page.locator("#thread-list li.message", { hasText: "second in the thread" }).locator("button.edit").click();
  await alice.page.locator("#thread-list li.message", { hasText: "second, edited in the thread" }).locator(".edited").waitFor();
  expect(await replies(alice.page)).toEqual(["first in the thread", "second, edited in the thread", "also in the channel"]);
  await alice.page.screenshot({ path: `${SHOTS}alice-thread.png` });

  await alice.page.click("#thread-close");
  await alice.page.waitForSelector("#thread", { state: "hidden" });
  for (const who of [alice, bob]) expect(who.errors).toEqual([]);

  // Erin joins #general, opens the app and leaves: alice's member list says when she was last seen,
  // and so does the server's list after a reload.
  const general = Number((await alice.page.getAttribute("#groups li.active", "data-channel"))!.split("/").at(-1));
  const call = (method: string, path: string, body: unknown, auth: Record<string, string>) => fetch(`${dev.http}${path}`,
    { method, headers: { "Content-Type": "application/json", ...auth }, body: JSON.stringify(body) });
  expect((await call("POST", "/v1/users", { org: "demo", id: "erin", name: "Erin" }, { "X-Api-Key": API_KEY })).status).toBe(201);
  expect((await call("POST", `/v1/channels/${general}/members`, { user_id: "erin" },
    { Authorization: `Bearer ${token("alice", "demo")}` })).status).toBe(201);
  const erin = await openAs("erin");
  await alice.page.reload();
  await alice.page.waitForSelector('#members li[data-user="erin"][data-online="true"]');
  await erin.page.context().close();
  await alice.page.waitForSelector('#members li[data-user="erin"][data-online="false"][data-last-seen]');
  await alice.page.reload();
  await alice.page.waitForSelector('#status[data-state="connected"]');
  const seen = await alice.page.getAttribute('#members li[data-user="erin"][data-online="false"]', "data-last-seen");
  expect(Date.now() - Date.parse(seen!)).toBeLessThan(120_000);
  await alice.page.screenshot({ path: `${SHOTS}alice-last-seen.png` });
});
