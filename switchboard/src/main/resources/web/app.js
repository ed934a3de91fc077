// The Switchboard web client: channel and DM lists with unread counts and presence,
// a message pane with infinite scroll into history, live messages, typing, read
// checkpoints. REST (api.js) for lists and history pages; the WebSocket (wire.js)
// for everything live.

import { Api, ApiError } from "./api.js";
import { Wire } from "./wire.js";

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const PAGE = 50;
const TYPING_SEND_EVERY_MS = 3000;   // the server accepts one typing event per second per session
const TYPING_SHOWN_MS = 4000;

const state = {
  api: null,
  wire: null,
  me: null,
  channels: new Map(),   // realtime channel name ("demo/chat/1") -> channel record, see track()
  online: new Set(),     // user ids with a live session, as presence says
  current: null,         // realtime name of the channel on screen
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
  if (state.wire) state.wire.stop();
  state.wire = null;
  state.channels.clear();
  state.current = null;
  showLogin("");
});

async function open(token) {
  state.api = new Api(token);
  try {
    // The channel list first: it checks the token (401 shows the login box) and gives the
    // positions the WebSocket resumes from, so nothing sent in between is missed.
    await refreshChannels();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
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
  state.wire = new Wire(`${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`, {
    positions,
    onConnected,
    onPush,
    onState: (s, detail) => {
      showStatus(s, detail);
      if (s === "waiting") checkToken();
    },
  });
  state.wire.start();
}

/**
 * A refused upgrade (expired or revoked token) reaches a browser only as a failed
 * WebSocket, which looks like any network error; the REST API tells them apart.
 */
async function checkToken() {
  try {
    await state.api.myChannels();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && state.wire) {
      state.wire.stop();
      state.wire = null;
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
      lastSeq: 0, lastReadSeq: 0,
      messages: [], seqs: new Set(),   // sorted by seq; seqs dedups replays and overlaps
      oldest: null, hasMore: true, loaded: false, loading: false,
      pending: new Map(),              // client_msg_id -> {text, failed}: sent, echo not yet seen
      members: null, typing: new Map(),
    };
    state.channels.set(rt, ch);
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
  return Math.max(0, ch.lastSeq - ch.lastReadSeq);
}

function positions() {
  return [...state.channels.values()].map((ch) => ({ channel: ch.rt, seq: ch.lastSeq }));
}

async function onConnected(result) {
  state.me = result.userId;
  $("me").textContent = result.userId;
  state.online.add(state.me);
  // A channel whose gap was too large to replay starts over from history.
  for (const r of result.recovered) {
    const ch = state.channels.get(r.channel);
    if (ch && !r.recovered) reset(ch);
  }
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

function reset(ch) {
  ch.messages = [];
  ch.seqs.clear();
  ch.oldest = null;
  ch.hasMore = true;
  ch.loaded = false;
}

// ------------------------------------------------------------------ pushes

function onPush(kind, body) {
  switch (kind) {
    case "publication": return onPublication(body);
    case "presenceChanges": return onPresence(body.changes);
    case "presenceChange": return onPresence([body]);
    case "typingEvent": return onTyping(body);
    case "readReceipt": return onReadReceipt(body);
    case "subscribed":
    case "unsubscribed": return refreshChannels().then(() => {
      if (!state.channels.has(state.current)) state.current = null;
      const first = state.current || [...state.channels.keys()][0];
      if (first) select(first);
      refreshPresence();
    });
    case "mayHaveMissed": {
      const ch = state.channels.get(body.channel);
      return ch && catchUp(ch, body.sinceSeq || ch.lastSeq);
    }
    default: return undefined;   // disconnect is handled by the wire; the rest does not concern the page
  }
}

function parse(pub) {
  const m = JSON.parse(decoder.decode(pub.payload));
  return { seq: pub.seq, id: m.id, text: m.text, sender: m.sender || pub.senderId, created_at: m.created_at };
}

function onPublication(pub) {
  const ch = state.channels.get(pub.channel);
  if (!ch || !pub.seq) return;
  const m = parse(pub);
  if (pub.clientMsgId && m.sender === state.me) ch.pending.delete(pub.clientMsgId);
  const before = ch.lastSeq;
  const gap = before > 0 && m.seq > before + 1;
  ch.lastSeq = Math.max(ch.lastSeq, m.seq);
  // The server moves a sender's read checkpoint along with their message.
  if (m.sender === state.me) ch.lastReadSeq = Math.max(ch.lastReadSeq, m.seq);
  ch.typing.delete(m.sender);
  addMessages(ch, [m]);
  if (gap) catchUp(ch, before);
  if (ch.rt === state.current) {
    renderMessages(ch, "append");
    renderTyping();
    if (document.visibilityState === "visible") markRead(ch);
  }
  renderSidebar();
}

/** Fills a gap (or a broker hiccup) from the channel's history after `since`. */
async function catchUp(ch, since) {
  if (ch.catchingUp) return;
  ch.catchingUp = true;
  try {
    const page = await state.wire.request("history", { channel: ch.rt, afterSeq: since, forward: true, limit: 200 });
    for (const p of page.publications) onPublication(p);
  } catch (e) {
    console.warn("catch-up of", ch.rt, e);
  } finally {
    ch.catchingUp = false;
  }
}

function onPresence(changes) {
  for (const c of changes) {
    if (c.online) state.online.add(c.userId);
    else if (c.userId !== state.me) state.online.delete(c.userId);
  }
  renderSidebar();
  renderMembers();
}

/** Who is online now: one presence query per channel answers for that channel's members. */
async function refreshPresence() {
  const online = new Set([state.me]);
  await Promise.all([...state.channels.values()].map((ch) =>
    state.wire.request("presence", { channel: ch.rt })
      .then((r) => r.onlineUserIds.forEach((u) => online.add(u)))
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
  $("channel-title").textContent = title(ch);
  $("composer-input").disabled = false;
  $("send").disabled = false;
  $("composer-input").placeholder = `Message ${title(ch)} (Enter sends, Shift+Enter for a new line)`;
  renderSidebar();
  renderMessages(ch, "bottom");
  renderTyping();
  if (switched) $("composer-input").focus();
  loadMembers(ch);
  state.wire.request("presence", { channel: rt }).then((r) => {
    r.onlineUserIds.forEach((u) => state.online.add(u));
    for (const u of ch.members || []) if (!r.onlineUserIds.includes(u) && u !== state.me) state.online.delete(u);
    renderSidebar();
    renderMembers();
  }).catch((e) => console.warn("presence", e));
  if (!ch.loaded) await loadOlder(ch);
  if (document.visibilityState === "visible") markRead(ch);
}

async function loadMembers(ch) {
  try {
    ch.members = (await state.api.channel(ch.id)).members;
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
    const page = await state.api.messages(ch.id, ch.oldest, PAGE);
    addMessages(ch, page.messages);
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

function addMessages(ch, list) {
  let added = false;
  for (const m of list) {
    if (ch.seqs.has(m.seq)) continue;
    ch.seqs.add(m.seq);
    ch.messages.push({ seq: m.seq, text: m.text, sender: m.sender, created_at: m.created_at });
    added = true;
  }
  if (added) ch.messages.sort((a, b) => a.seq - b.seq);
}

function markRead(ch) {
  if (ch.lastSeq <= ch.lastReadSeq || !state.wire.connected) return;
  ch.lastReadSeq = ch.lastSeq;
  renderSidebar();
  state.wire.request("read", { channel: ch.rt, seq: ch.lastSeq })
    .then((r) => { ch.lastReadSeq = Math.max(ch.lastReadSeq, r.seq); })
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

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a dev server reached by LAN address is not one.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function publish(ch, clientMsgId) {
  const p = ch.pending.get(clientMsgId);
  p.failed = false;
  renderMessages(ch, "append");
  const payload = encoder.encode(JSON.stringify({ text: p.text }));
  // The message shows for real when its publication comes back with this client_msg_id;
  // a retry reuses the id, so the server stores it once.
  state.wire.request("publish", { channel: ch.rt, payload, clientMsgId }).catch((e) => {
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
  const id = uuid();
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
  state.wire.send("typing", { channel: state.current });
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
        const li = el("li", { className: ch.rt === state.current ? "active" : "" },
          dm ? dot(dmPeer(ch)) : null,
          el("span", { className: "name", textContent: title(ch) }),
          n > 0 ? el("span", { className: "badge", textContent: n > 99 ? "99+" : String(n) }) : null);
        li.dataset.channel = ch.rt;
        li.dataset.unread = String(n);
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
  const items = ch.messages.map((m) => {
    const li = el("li", { className: m.sender === state.me ? "message mine" : "message" },
      el("span", { className: "sender", textContent: m.sender }),
      el("time", { textContent: time(m.created_at), dateTime: m.created_at || "" }),
      el("div", { className: "text", textContent: m.text }));
    li.dataset.seq = String(m.seq);
    return li;
  });
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

function renderTyping() {
  const ch = state.channels.get(state.current);
  const now = Date.now();
  const who = ch ? [...ch.typing].filter(([, until]) => until > now).map(([u]) => u) : [];
  $("typing").textContent = who.length === 0 ? ""
    : who.length === 1 ? `${who[0]} is typing…` : `${who.join(", ")} are typing…`;
}

function showStatus(s, detail) {
  const status = $("status");
  status.dataset.state = s;
  status.textContent = s === "waiting" ? `offline, retrying in ${Math.ceil(detail / 1000)} s`
    : s === "failed" ? `disconnected: ${detail}` : s;
  if (s === "failed" || s === "waiting") status.title = String(detail);
}

start();
