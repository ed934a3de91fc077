package dev.switchboard.client.internal;

import dev.switchboard.client.ConnectionClosedException;
import dev.switchboard.client.PublishResult;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Publishes that outlive connections. One made while disconnected waits here and
 * is sent once after the next connect. One whose connection dropped before its
 * reply (outcome unknown) is sent again with the same client_msg_id on a chat
 * channel, where the server stores a client_msg_id once; on an ephemeral channel,
 * which has no such key, it fails instead of risking a second delivery. A
 * temporary error is retried a few times. Publishes of one channel go one at a
 * time, in order. Confined to the client's serial executor. Same rules as the
 * TypeScript SDK's outbox.
 */
public final class Outbox {
    private static final Pattern CHAT = Pattern.compile("^[^/]+/chat/[^/]+$");

    private final int maxQueued;
    private final int maxAttempts;
    private final long retryDelayMs;
    private final Executor serial;
    private final ScheduledExecutorService timer;
    private final List<Entry> queue = new ArrayList<>();
    private WireConnection conn;

    private static final class Entry {
        final String channel;
        final byte[] payload;
        final String clientMsgId;
        final CompletableFuture<PublishResult> result = new CompletableFuture<>();
        int attempts;
        boolean inFlight;

        Entry(String channel, byte[] payload, String clientMsgId) {
            this.channel = channel;
            this.payload = payload;
            this.clientMsgId = clientMsgId;
        }
    }

    public Outbox(int maxQueued, int maxAttempts, long retryDelayMs, Executor serial, ScheduledExecutorService timer) {
        this.maxQueued = maxQueued;
        this.maxAttempts = maxAttempts;
        this.retryDelayMs = retryDelayMs;
        this.serial = serial;
        this.timer = timer;
    }

    /** Chat channels ({@code <org>/chat/<id>}) are persisted and deduplicate by client_msg_id. */
    public static boolean isChatChannel(String channel) {
        return CHAT.matcher(channel).matches();
    }

    public CompletableFuture<PublishResult> add(String channel, byte[] payload, String clientMsgId) {
        if (queue.size() >= maxQueued) {
            return CompletableFuture.failedFuture(new SwitchboardException(ErrorCode.LIMIT_EXCEEDED, "outbox full", true));
        }
        Entry e = new Entry(channel, payload, clientMsgId);
        queue.add(e);
        pump();
        return e.result;
    }

    /** A connection is ready: send what waits. */
    public void attach(WireConnection c) {
        conn = c;
        pump();
    }

    public void detach() {
        conn = null;
    }

    public int size() {
        return queue.size();
    }

    public void failAll(RuntimeException err) {
        List<Entry> all = new ArrayList<>(queue);
        queue.clear();
        all.forEach(e -> e.result.completeExceptionally(err));
    }

    private void pump() {
        WireConnection c = conn;
        if (c == null || !c.isOpen()) {
            return;
        }
        Set<String> busy = new HashSet<>();
        for (Entry e : new ArrayList<>(queue)) {
            if (busy.add(e.channel) && !e.inFlight) {
                send(c, e);
            }
        }
    }

    private void send(WireConnection c, Entry e) {
        e.inFlight = true;
        e.attempts++;
        c.publish(e.channel, e.payload, e.clientMsgId).whenCompleteAsync((r, err) -> {
            if (err == null) {
                settle(e);
                e.result.complete(new PublishResult(r.getSeq(), r.getMessageId(), r.getTimestampMs(), e.clientMsgId));
            } else {
                failed(e, err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
            }
        }, serial);
    }

    private void failed(Entry e, Throwable err) {
        e.inFlight = false;
        if (err instanceof ConnectionClosedException) {
            if (isChatChannel(e.channel)) {
                pump(); // sent again with the same key after the next connect: stored once
                return;
            }
            settle(e);
            e.result.completeExceptionally(new ConnectionClosedException("publish to " + e.channel
                    + ": outcome unknown (" + err.getMessage() + "); not retried on an ephemeral channel"));
            return;
        }
        if (err instanceof SwitchboardException s && s.temporary() && e.attempts < maxAttempts) {
            e.inFlight = true; // keeps the channel's place in line until the retry
            timer.schedule(() -> serial.execute(() -> {
                e.inFlight = false;
                pump();
            }), retryDelayMs * e.attempts, TimeUnit.MILLISECONDS);
            return;
        }
        settle(e);
        e.result.completeExceptionally(err);
    }

    private void settle(Entry e) {
        for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
            if (it.next() == e) {
                it.remove();
                break;
            }
        }
        pump();
    }
}
