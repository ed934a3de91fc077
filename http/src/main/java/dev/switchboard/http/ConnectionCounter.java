package dev.switchboard.http;

import java.util.concurrent.atomic.AtomicInteger;

/** The connections one server holds now, against its limit. Shared by all of that server's connections. */
final class ConnectionCounter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCounter(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
