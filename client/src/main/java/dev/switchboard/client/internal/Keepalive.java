package dev.switchboard.client.internal;

import dev.switchboard.client.TokenProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What keeps one connection alive: application pings that find a dead socket
 * that still looks open (a laptop that slept), and the token refresh before the
 * token expires (the provider is asked, then {@code refresh} sent). Its timers
 * run their work on the client's serial executor; {@link #stop()} cancels them
 * when the connection ends.
 */
public final class Keepalive {
    private static final long REFRESH_RETRY_MS = 5_000;

    private final WireConnection conn;
    private final ScheduledExecutorService scheduler;
    private final Executor serial;
    private final TokenProvider tokens;
    private final LongConsumer expiryChanged;
    private final Consumer<Throwable> report;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private boolean stopped;

    public Keepalive(WireConnection conn, ScheduledExecutorService scheduler, Executor serial, TokenProvider tokens,
                     LongConsumer expiryChanged, Consumer<Throwable> report) {
        this.conn = conn;
        this.scheduler = scheduler;
        this.serial = serial;
        this.tokens = tokens;
        this.expiryChanged = expiryChanged;
        this.report = report;
    }

    /** Pings every {@code intervalMs} (0: never); a ping unanswered within the interval closes the connection. */
    public void pingEvery(long intervalMs) {
        if (intervalMs <= 0) {
            return;
        }
        timers.add(scheduler.scheduleAtFixedRate(() -> conn.ping(System.currentTimeMillis())
                .orTimeout(intervalMs, TimeUnit.MILLISECONDS)
                .exceptionally(err -> {
                    if (err instanceof TimeoutException || err.getCause() instanceof TimeoutException) {
                        conn.channel().close();
                    }
                    return null;
                }), intervalMs, intervalMs, TimeUnit.MILLISECONDS));
    }

    /** Refreshes the token before {@code expiresAtMs} (0: it never expires), again after each refresh. */
    public void refreshBefore(long expiresAtMs) {
        if (expiresAtMs == 0 || !tokens.refreshes()) {
            return;
        }
        long left = expiresAtMs - System.currentTimeMillis();
        long margin = Math.min(60_000, left / 2);
        later(() -> tokens.token().toCompletableFuture().thenCompose(conn::refresh).whenCompleteAsync((newExpiry, err) -> {
            if (stopped) {
                return;
            }
            if (err != null) {
                report.accept(err);
                // Again shortly; if the token expires first, the server closes with 4007 and the reconnect takes a fresh one.
                if (System.currentTimeMillis() < expiresAtMs) {
                    later(() -> refreshBefore(expiresAtMs), REFRESH_RETRY_MS);
                }
            } else if (newExpiry > expiresAtMs) {
                expiryChanged.accept(newExpiry);
                refreshBefore(newExpiry);
            }
        }, serial), Math.max(0, left - margin));
    }

    /** Cancels the timers (the connection ended). Called on the serial executor. */
    public void stop() {
        stopped = true;
        timers.forEach(t -> t.cancel(false));
        timers.clear();
    }

    private void later(Runnable task, long delayMs) {
        timers.add(scheduler.schedule(() -> serial.execute(() -> {
            if (!stopped) {
                task.run();
            }
        }), delayMs, TimeUnit.MILLISECONDS));
    }
}
