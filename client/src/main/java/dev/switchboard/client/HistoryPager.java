package dev.switchboard.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A chat channel's history, one page per {@link #next()}: newest first, or oldest
 * first from a sequence. Not thread-safe: call {@code next()} after the previous
 * page arrived.
 */
public final class HistoryPager {
    private final SwitchboardClient client;
    private final String channel;
    private final boolean forward;
    private final int pageSize;
    private long cursor;
    private boolean done;

    HistoryPager(SwitchboardClient client, String channel, boolean forward, long from, int pageSize) {
        this.client = client;
        this.channel = channel;
        this.forward = forward;
        this.cursor = from;
        this.pageSize = pageSize;
    }

    public boolean hasNext() {
        return !done;
    }

    /** The next page (empty at the end). */
    public CompletableFuture<List<Publication>> next() {
        if (done) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<HistoryPage> page = forward ? client.historyAfter(channel, cursor, pageSize)
                : client.historyBefore(channel, cursor, pageSize);
        return page.thenApply(p -> {
            cursor = p.nextCursor();
            done = p.nextCursor() == 0 || p.publications().isEmpty();
            return p.publications();
        });
    }
}
