// The Switchboard web client: channel and DM lists with unread counts and presence,
// a message pane with infinite scroll into history, live messages, typing, read
// checkpoints. Built on the TypeScript SDK (clients/js; its browser bundle is
// vendor/switchboard-client.js): RestClient for lists and history pages,
// SwitchboardClient for everything live. The SDK keeps each channel gap-free and
// duplicate-free, recovers after reconnects and sends queued messages once; the
// page only renders. Edits, deletes, reactions and thread replies are entries of
// the channel's log too (ADR 0013): each channel's messages are kept by the SDK's
// ChatChannelState, where the copy from the newest entry of a message wins. A thread
// opens in a panel beside the channel: its replies are paged over the WebSocket
// (ChatActions.threadPage) into the same state, and live entries keep it current.

import { SwitchboardClient, RestClient, RestError, chatMessage, newClientMsgId, ChatChannelState, chatPayloads,
  ChatActions } from "./vendor/switchboard-client.js";

const $ = (id) => document.getElementById(id);

const PAGE = 50;
const THREAD_PAGES = 20;             // a thread's replies are read in at most this many pages of PAGE
const TYPING_SEND_EVERY_MS = 3000;   // the server accepts one typing event per second per session
const TYPING_SHOWN_MS = 4000;

const state = {
  api: null,
  client: null,
  me: null,
  channels: new Map(),   // realtime channel name ("demo/chat/1") -> channel record, see track()
  online: new Set(),     // user ids with a live session, as presence says
  current: null,         // realtime name of the channel on screen
  thread: null,          // the open thread: { rt, rootId, loading, loaded, error }, or null
  lastTypingSent: 0,
};

// ------------------------------------------------------------------ token and start

function tokenFromUrl() {
  const hash = new URLSearchParams(location.hash.slice(1)).get("token");
  const query = new URLSearchParams(location.search).get("token");
  return hash || query;
}

function start() {
  const fromUrl = tokenFromUrl();
  if (fromUrl) {
    sessionStorage.setItem("switchboard.token", fromUrl);
    // Keep the token out of the address bar, bookmarks and screenshots.
    history.replaceState(null, "", location.pathname);
  }
  const token = sessionStorage.getItem("switchboard.token");
  if (token) open(token);
  else showLogin("");
}

function showLogin(error) {
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = error;
}

$("login-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const token = $("token-input").value.trim();
  if (!token) return;
  sessionStorage.setItem("switchboard.token", token);
  open(token);
});

$("sign-out").addEventListener("click", () => {
  sessionStorage.removeItem("switchboard.token");
  if (state.client) state.client.close();
  state.client = null;
  state.channels.clear();
  state.current = null;
  closeThread();
  showLogin("");
});

async function open(token) {
  state.api = new RestClient({ baseUrl: location.origin, token });
  try {
    // The channel list first: it checks the token (401 shows the login box) and gives the
    // positions the WebSocket resumes from, so nothing sent in between is missed.
    await refreshChannels();
  } catch (e) {
    if (e instanceof RestError && e.status === 401) {
      sessionStorage.removeItem("switchboard.token");
      showLogin(`That token was refused: ${e.message}`);
    } else {
      showLogin(`Cannot reach the server: ${e.message}`);
    }
    return;
  }
  $("login").hidden = true;
  $("app").hidden = false;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const client = new SwitchboardClient({ url: `${scheme}//${location.host}/ws`, token, clientName: "switchboard-web" });
  state.client = client;
  state.actions = new ChatActions(client);
  client.on("connected", onConnected);
  client.on("publication", onPublication);
  client.on("presence", (e) => onPresence(e.changes));
  client.on("typing", onTyping);
  client.on("read", onReadReceipt);
  client.on("subscribed", onMembership);
  client.on("unsubscribed", onMembership);
  client.on("state", (e) => showStatus(e.state));
  client.on("disconnected", (e) => {
    showStatus(e.reconnect ? "waiting" : "failed", e.reconnect ? e.delayMs : e.reason);
    if (e.reconnect) checkToken();
  });
  client.connect().catch((e) => console.warn("connect", e));
}

/**
 * A refused upgrade (expired or revoked token) reaches a browser only as a failed
 * WebSocket, which looks like any network error; the REST API tells them apart.
 */
async function checkToken() {
  try {
    await state.api.myChannels();
  } catch (e) {
    if (e instanceof RestError && e.status === 401 && state.client) {
      state.client.close();
      state.client = null;
      sessionStorage.removeItem("switchboard.token");
      showLogin(`The token is no longer accepted (${e.message}); paste a new one.`);
    }
  }
}

// ------------------------------------------------------------------ channels

/** Adds or updates a channel from a /v1/me/channels entry, keeping what the page already holds. */
function track(summary) {
  const rt = summary.realtime_channel;
  let ch = state.channels.get(rt);
  if (!ch) {
    ch = {
      id: summary.id, rt, type: summary.type, name: summary.name,
      lastSeq: 0, lastReadSeq: 0, unread: 0, mentions: 0,
      log: new ChatChannelState(rt, state.me || ""),   // every message in its newest state (counts come from the server)
      oldest: null, hasMore: true, loaded: false, loading: false,
      pending: new Map(),              // client_msg_id -> {text, failed}: sent, echo not yet seen
      members: null, lastSeen: new Map(), typing: new Map(),
    };
    state.channels.set(rt, ch);
  }
  // The server counts new messages only (not edits or reactions) and mentions beside them. A list
  // older than what arrived live since it was asked for keeps the live counts.
  if (summary.last_seq >= ch.lastSeq) {
    if (summary.unread_count != null) ch.unread = summary.unread_count;
    if (summary.mention_count != null) ch.mentions = summary.mention_count;
  }
  ch.lastSeq = Math.max(ch.lastSeq, summary.last_seq);
  ch.lastReadSeq = Math.max(ch.lastReadSeq, summary.last_read_seq);
  return ch;
}

async function refreshChannels() {
  const mine = await state.api.myChannels();
  const seen = new Set();
  for (const s of [...mine.groups, ...mine.dms]) seen.add(track(s).rt);
  for (const rt of [...state.channels.keys()]) if (!seen.has(rt)) state.channels.delete(rt);
  renderSidebar();
}

/** The user on the other end of a DM: its name is the two user ids sorted and joined by "|". */
function dmPeer(ch) {
  const ids = ch.name.split("|");
  return ids.find((u) => u !== state.me) || ids[0];
}

function title(ch) {
  return ch.type === "DM" ? dmPeer(ch) : `# ${ch.name}`;
}

function unread(ch) {
  return ch.lastReadSeq >= ch.lastSeq ? 0 : ch.unread;
}

function mentionCount(ch) {
  return ch.lastReadSeq >= ch.lastSeq ? 0 : ch.mentions;
}

async function onConnected(session) {
  state.me = session.userId;
  $("me").textContent = session.userId;
  state.online.add(state.me);
  try {
    await refreshChannels();   // unread counts and channels joined while away
  } catch (e) {
    console.warn("channel list", e);
  }
  await refreshPresence();
  if (!state.current || !state.channels.has(state.current)) {
    const first = [...state.channels.values()].find((c) => c.type !== "DM") || state.channels.values().next().value;
    if (first) select(first.rt);
  } else {
    select(state.current);
  }
}

// ------------------------------------------------------------------ events

/** A new group, a new DM, being removed: the channel list changes. */
function onMembership() {
  return refreshChannels().then(() => {
    if (!state.channels.has(state.current)) state.current = null;
    const first = state.current || [...state.channels.keys()][0];
    if (first) select(first);
    refreshPresence();
  });
}

/** A REST message object as the publication a client gets for it (its event's sequence, if any). */
function asPublication(ch, m) {
  return { channel: ch.rt, seq: m.event ? m.event.seq : m.seq, senderId: m.sender, timestampMs: 0,
    payload: new TextEncoder().encode(JSON.stringify(m)), messageId: m.id, clientMsgId: "" };
}

/** Each publication once, in sequence order per channel (the SDK fills gaps and drops duplicates). */
function onPublication(pub) {
  const ch = state.channels.get(pub.channel);
  if (!ch || !pub.seq) return;
  const m = chatMessage(pub);
  if (pub.clientMsgId && pub.senderId === state.me) ch.pending.delete(pub.clientMsgId);
  ch.lastSeq = Math.max(ch.lastSeq, pub.seq);
  if (!m.event) {
    // A new message. The server moves a sender's read checkpoint along with their message.
    if (m.sender === state.me) {
      ch.lastReadSeq = Math.max(ch.lastReadSeq, pub.seq);
      ch.unread = 0;
      ch.mentions = 0;
    } else if (pub.seq > ch.lastReadSeq) {
      if (!m.parent_id || m.also_to_channel) ch.unread += 1;
      if ((m.mentions || []).includes(state.me)) ch.mentions += 1;
    }
    ch.typing.delete(m.sender);
  }
  ch.log.apply(pub);
  if (state.thread && state.thread.rt === ch.rt) renderThread("append");
  if (ch.rt === state.current) {
    renderMessages(ch, "append");
    renderTyping();
    if (document.visibilityState === "visible") markRead(ch);
  }
  renderSidebar();
}

function onPresence(changes) {
  for (const c of changes) {
    if (c.online) state.online.add(c.userId);
    else if (c.userId !== state.me) {
      state.online.delete(c.userId);
      // Gone just now (the server's time comes with the next members list).
      for (const ch of state.channels.values()) if ((ch.members || []).includes(c.userId)) ch.lastSeen.set(c.userId, new Date().toISOString());
    }
  }
  renderSidebar();
  renderMembers();
}

/** Who is online now: one presence query per channel answers for that channel's members. */
async function refreshPresence() {
  const online = new Set([state.me]);
  await Promise.all([...state.channels.values()].map((ch) =>
    state.client.presence(ch.rt)
      .then((users) => users.forEach((u) => online.add(u)))
      .catch((e) => console.warn("presence of", ch.rt, e))));
  state.online = online;
  renderSidebar();
  renderMembers();
}

function onTyping(ev) {
  const ch = state.channels.get(ev.channel);
  if (!ch || ev.userId === state.me) return;
  ch.typing.set(ev.userId, Date.now() + TYPING_SHOWN_MS);
  setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
  renderTyping();
}

function onReadReceipt(r) {
  // My own checkpoint moved in another tab or device: the badge follows.
  const ch = state.channels.get(r.channel);
  if (!ch || r.userId !== state.me) return;
  ch.lastReadSeq = Math.max(ch.lastReadSeq, r.seq);
  renderSidebar();
}

// ------------------------------------------------------------------ selecting, history, reading

async function select(rt) {
  const ch = state.channels.get(rt);
  if (!ch) return;
  const switched = state.current !== rt;
  state.current = rt;
  if (state.thread && state.thread.rt !== rt) closeThread();
  $("channel-title").textContent = title(ch);
  $("composer-input").disabled = false;
  $("send").disabled = false;
  $("composer-input").placeholder = `Message ${title(ch)} (Enter sends, Shift+Enter for a new line)`;
  renderSidebar();
  renderMessages(ch, "bottom");
  renderTyping();
  if (switched) $("composer-input").focus();
  loadMembers(ch);
  state.client.presence(rt).then((users) => {
    users.forEach((u) => state.online.add(u));
    for (const u of ch.members || []) if (!users.includes(u) && u !== state.me) state.online.delete(u);
    renderSidebar();
    renderMembers();
  }).catch((e) => console.warn("presence", e));
  if (!ch.loaded) await loadOlder(ch);
  if (document.visibilityState === "visible") markRead(ch);
}

async function loadMembers(ch) {
  try {
    // Members with presence: an offline member's last_seen_at is the end of their last presence lease.
    const members = (await state.api.members(ch.id)).members;
    ch.members = members.map((m) => m.id);
    ch.lastSeen = new Map(members.filter((m) => m.last_seen_at).map((m) => [m.id, m.last_seen_at]));
    renderMembers();
  } catch (e) {
    console.warn("members of", ch.rt, e);
  }
}

/** One page of older messages (the newest page the first time), then more while the pane is not full. */
async function loadOlder(ch) {
  if (ch.loading || (ch.loaded && !ch.hasMore)) return;
  ch.loading = true;
  renderHistoryStatus(ch);
  try {
    const page = await state.api.messages(ch.id, ch.oldest == null ? { limit: PAGE } : { before: ch.oldest, limit: PAGE });
    for (const m of page.messages) ch.log.apply(asPublication(ch, m));
    ch.oldest = page.next_cursor;
    ch.hasMore = page.next_cursor != null;
    const first = !ch.loaded;
    ch.loaded = true;
    if (ch.rt === state.current) renderMessages(ch, first ? "bottom" : "prepend");
  } catch (e) {
    console.warn("history of", ch.rt, e);
  } finally {
    ch.loading = false;
    renderHistoryStatus(ch);
  }
  const pane = $("messages");
  if (ch.rt === state.current && ch.hasMore && pane.scrollHeight <= pane.clientHeight) await loadOlder(ch);
}

/** Publishes a change to a message (ADR 0013); the page shows it when its publication comes back. */
function change(ch, payload) {
  state.client.publish(ch.rt, payload, { clientMsgId: newClientMsgId() })
    .catch((e) => alert(`Not done: ${e.message}`));
}

function markRead(ch) {
  if (ch.lastSeq <= ch.lastReadSeq || state.client.state !== "connected") return;
  ch.lastReadSeq = ch.lastSeq;
  ch.unread = 0;
  ch.mentions = 0;
  renderSidebar();
  state.client.markRead(ch.rt, ch.lastSeq)
    .then((seq) => { ch.lastReadSeq = Math.max(ch.lastReadSeq, seq); })
    .catch((e) => console.warn("read", e));
}

document.addEventListener("visibilitychange", () => {
  const ch = state.channels.get(state.current);
  if (ch && document.visibilityState === "visible") markRead(ch);
});

$("messages").addEventListener("scroll", () => {
  const ch = state.channels.get(state.current);
  if (ch && ch.loaded && $("messages").scrollTop < 120) loadOlder(ch);
});

// ------------------------------------------------------------------ sending and typing

function publish(ch, clientMsgId) {
  const p = ch.pending.get(clientMsgId);
  p.failed = false;
  renderMessages(ch, "append");
  // The message shows for real when its publication comes back with this client_msg_id.
  // While offline the SDK queues it and sends it once after the reconnect; a retry
  // after a failure reuses the id, so the server stores it once.
  state.client.sendMessage(ch.rt, p.text, { clientMsgId }).catch((e) => {
    if (!ch.pending.has(clientMsgId)) return;
    p.failed = true;
    p.error = e.message;
    if (ch.rt === state.current) renderMessages(ch, "keep");
  });
}

$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const ch = state.channels.get(state.current);
  const input = $("composer-input");
  const text = input.value.trim();
  if (!ch || !text) return;
  const id = newClientMsgId();
  ch.pending.set(id, { text, failed: false });
  input.value = "";
  state.lastTypingSent = 0;
  publish(ch, id);
});

$("composer-input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    $("composer").requestSubmit();
  }
});

$("composer-input").addEventListener("input", () => {
  const now = Date.now();
  if (!state.current || !$("composer-input").value || now - state.lastTypingSent < TYPING_SEND_EVERY_MS) return;
  state.lastTypingSent = now;
  state.client.typing(state.current);
});

$("new-dm").addEventListener("click", async () => {
  const user = prompt("Message which user id?");
  if (!user) return;
  try {
    const dm = await state.api.openDm(user.trim());
    const ch = track({ ...dm, last_read_seq: dm.last_seq, realtime_channel: dm.realtime_channel });
    select(ch.rt);
  } catch (e) {
    alert(`Cannot open a DM with ${user}: ${e.message}`);
  }
});

// ------------------------------------------------------------------ rendering

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function dot(user) {
  const online = state.online.has(user);
  return el("span", { className: `presence ${online ? "online" : "offline"}`, title: online ? "online" : "offline" });
}

function renderSidebar() {
  for (const [listId, dm] of [["groups", false], ["dms", true]]) {
    const items = [...state.channels.values()]
      .filter((c) => (c.type === "DM") === dm)
      .sort((a, b) => title(a).localeCompare(title(b)))
      .map((ch) => {
        const n = unread(ch);
        const at = mentionCount(ch);
        const li = el("li", { className: ch.rt === state.current ? "active" : "" },
          dm ? dot(dmPeer(ch)) : null,
          el("span", { className: "name", textContent: title(ch) }),
          at > 0 ? el("span", { className: "badge mention", textContent: `@${at}` }) : null,
          n > 0 ? el("span", { className: "badge", textContent: n > 99 ? "99+" : String(n) }) : null);
        li.dataset.channel = ch.rt;
        li.dataset.unread = String(n);
        li.dataset.mentions = String(at);
        if (dm) li.dataset.online = String(state.online.has(dmPeer(ch)));
        if (n > 0) li.classList.add("unread");
        li.addEventListener("click", () => select(ch.rt));
        return li;
      });
    $(listId).replaceChildren(...items);
  }
}

function renderMembers() {
  const ch = state.channels.get(state.current);
  const members = (ch && ch.members) || [];
  $("members").replaceChildren(...members.map((u) => {
    const li = el("li", {}, dot(u), el("span", { textContent: u }));
    li.dataset.user = u;
    li.dataset.online = String(state.online.has(u));
    const seen = ch.lastSeen.get(u);
    if (!state.online.has(u) && seen) {
      li.dataset.lastSeen = seen;
      li.title = `last seen ${new Date(seen).toLocaleString()}`;
    }
    return li;
  }));
}

function renderHistoryStatus(ch) {
  if (ch.rt !== state.current) return;
  $("history-status").textContent = ch.loading ? "Loading…"
    : ch.loaded && !ch.hasMore ? `This is the beginning of ${title(ch)}.` : "";
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
}

/**
 * Redraws the message list. `how` keeps the reader's place: "bottom" jumps to the
 * newest, "append" follows new messages only if the reader was at the bottom,
 * "prepend" keeps the same message in view after older ones are added above.
 */
function renderMessages(ch, how) {
  if (ch.rt !== state.current) return;
  const pane = $("messages");
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  const fromBottom = pane.scrollHeight - pane.scrollTop;
  // Channel messages; replies kept in their thread show as the root's reply count.
  const items = ch.log.messages().filter((m) => !m.parent_id || m.also_to_channel).map((m) => renderMessage(ch, m));
  for (const [id, p] of ch.pending) {
    const li = el("li", { className: `message mine pending${p.failed ? " failed" : ""}` },
      el("span", { className: "sender", textContent: state.me }),
      el("time", { textContent: p.failed ? "not sent" : "sending…" }),
      el("div", { className: "text", textContent: p.text }));
    if (p.failed) {
      li.title = `${p.error}; click to retry`;
      li.addEventListener("click", () => publish(ch, id));
    }
    items.push(li);
  }
  $("message-list").replaceChildren(...items);
  renderHistoryStatus(ch);
  if (how === "bottom" || (how === "append" && atBottom)) pane.scrollTop = pane.scrollHeight;
  else if (how === "prepend") pane.scrollTop = pane.scrollHeight - fromBottom;
}

const QUICK_REACTIONS = ["👍", "🎉"];

/** One message in its newest state: edited marker, tombstone, reactions, thread, mention highlight, actions. */
function renderMessage(ch, m, inThread = false) {
  const mine = m.sender === state.me;
  const deleted = !!m.deleted_at;
  const classes = ["message"];
  if (mine) classes.push("mine");
  if (deleted) classes.push("deleted");
  if ((m.mentions || []).includes(state.me)) classes.push("mentioned");
  const li = el("li", { className: classes.join(" ") },
    el("span", { className: "sender", textContent: m.sender }),
    el("time", { textContent: time(m.created_at), dateTime: m.created_at || "" }),
    m.edited_at && !deleted ? el("span", { className: "edited", textContent: "(edited)", title: m.edited_at }) : null,
    m.parent_id && !inThread ? el("span", { className: "in-thread", textContent: "replied in a thread" }) : null,
    m.parent_id && inThread && m.also_to_channel ? el("span", { className: "also-sent", textContent: "also sent to the channel" }) : null,
    el("div", { className: "text", textContent: deleted ? "This message was deleted." : m.text }));
  li.dataset.seq = String(m.seq);
  li.dataset.id = String(m.id);
  if (deleted) return li;
  const reactions = el("div", { className: "reactions" });
  const shown = new Set();
  for (const r of m.reactions || []) {
    shown.add(r.emoji);
    const minePicked = r.users.includes(state.me);
    const b = el("button", { type: "button", className: `reaction${minePicked ? " picked" : ""}`,
      textContent: `${r.emoji} ${r.count}`, title: r.users.join(", ") });
    b.dataset.emoji = r.emoji;
    b.addEventListener("click", () => change(ch, chatPayloads.reaction(m.id, r.emoji, !minePicked)));
    reactions.append(b);
  }
  for (const emoji of QUICK_REACTIONS.filter((e) => !shown.has(e))) {
    const b = el("button", { type: "button", className: "reaction add", textContent: `+${emoji}` });
    b.dataset.emoji = emoji;
    b.addEventListener("click", () => change(ch, chatPayloads.reaction(m.id, emoji, true)));
    reactions.append(b);
  }
  const actions = el("div", { className: "actions" });
  if (!m.parent_id) {
    const n = m.thread ? m.thread.reply_count : 0;
    const t = el("button", { type: "button", className: "thread",
      textContent: n ? `${n} ${n === 1 ? "reply" : "replies"}` : "Reply" });
    if (m.thread) t.title = `last reply ${time(m.thread.last_reply_at)} by ${m.thread.repliers.join(", ")}`;
    t.addEventListener("click", () => openThread(ch, m.id));
    actions.append(t);
  }
  if (mine) {
    const edit = el("button", { type: "button", className: "edit", textContent: "Edit" });
    edit.addEventListener("click", () => {
      const text = prompt("Edit your message:", m.text);
      if (text && text !== m.text) change(ch, chatPayloads.edit(m.id, text));
    });
    const del = el("button", { type: "button", className: "delete", textContent: "Delete" });
    del.addEventListener("click", () => {
      if (confirm("Delete this message?")) change(ch, chatPayloads.delete(m.id));
    });
    actions.append(edit, del);
  }
  li.append(reactions, actions);
  return li;
}

// ------------------------------------------------------------------ threads

/** Opens the thread of `rootId` in the panel and reads its replies page by page over the WebSocket. */
async function openThread(ch, rootId) {
  const t = { rt: ch.rt, rootId, loading: true, loaded: false, error: null };
  state.thread = t;
  $("app").classList.add("with-thread");
  $("thread").hidden = false;
  $("thread").dataset.root = String(rootId);
  renderThread("bottom");
  $("thread-input").focus();
  try {
    let after = 0;
    for (let i = 0; i < THREAD_PAGES; i++) {
      const page = await state.actions.threadPage(ch.rt, rootId, { after, limit: PAGE });
      // Replies in their current state; a newer live entry of the same message already applied wins.
      for (const p of page.publications) ch.log.apply(p);
      if (page.nextCursor === 0 || page.publications.length === 0) break;
      after = page.nextCursor;
    }
    t.loaded = true;
  } catch (e) {
    t.error = e.message;
    console.warn("thread", rootId, e);
  } finally {
    t.loading = false;
    if (state.thread === t) renderThread("bottom");
  }
}

function closeThread() {
  state.thread = null;
  $("app").classList.remove("with-thread");
  $("thread").hidden = true;
  delete $("thread").dataset.root;
  $("thread-list").replaceChildren();
  $("thread-root").replaceChildren();
}

/** Redraws the open thread: its root (as the channel shows it) and its replies, oldest first. */
function renderThread(how) {
  const t = state.thread;
  if (!t) return;
  const ch = state.channels.get(t.rt);
  if (!ch) return closeThread();
  const all = ch.log.messages();
  const root = all.find((m) => m.id === t.rootId);
  const replies = all.filter((m) => m.parent_id === t.rootId);
  const body = $("thread-body");
  const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
  $("thread-root").replaceChildren(...(root ? [renderMessage(ch, root, true)] : []));
  $("thread-list").replaceChildren(...replies.map((m) => renderMessage(ch, m, true)));
  $("thread-status").textContent = t.loading ? "Loading replies…" : t.error ? `Replies not loaded: ${t.error}`
    : replies.length === 0 ? "No replies yet." : `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`;
  $("thread").dataset.loaded = String(t.loaded);
  if (how === "bottom" || (how === "append" && atBottom)) body.scrollTop = body.scrollHeight;
}

$("thread-close").addEventListener("click", closeThread);

$("thread-composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const t = state.thread;
  const input = $("thread-input");
  const text = input.value.trim();
  if (!t || !text) return;
  input.value = "";
  const also = $("thread-also-input").checked;
  // Shown when its publication comes back; the outbox resends it with the same client_msg_id.
  state.actions.reply(t.rt, t.rootId, text, { alsoToChannel: also })
    .catch((e) => alert(`Reply not sent: ${e.message}`));
});

$("thread-input").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    $("thread-composer").requestSubmit();
  }
});

function renderTyping() {
  const ch = state.channels.get(state.current);
  const now = Date.now();
  const who = ch ? [...ch.typing].filter(([, until]) => until > now).map(([u]) => u) : [];
  $("typing").textContent = who.length === 0 ? ""
    : who.length === 1 ? `${who[0]} is typing…` : `${who.join(", ")} are typing…`;
}

/** The SDK's states (connecting, connected, disconnected, closed), with "waiting" and "failed" from disconnect events. */
function showStatus(s, detail) {
  const status = $("status");
  if (s === "disconnected" || (s === "closed" && status.dataset.state === "failed")) return; // the disconnect event says more
  status.dataset.state = s;
  status.textContent = s === "waiting" ? `offline, retrying in ${Math.ceil(detail / 1000)} s`
    : s === "failed" ? `disconnected: ${detail}` : s;
  if (s === "failed" || s === "waiting") status.title = String(detail);
}

start();
