package dev.switchboard.message;

import dev.switchboard.message.store.MessageStore;

/**
 * Limits of the chat service. Immutable; build with {@link #builder()}.
 */
public final class ChatServiceOptions {
    /** 0: as many workers as the database pool has connections, so that no worker waits for one. */
    public static final int DEFAULT_WORKER_THREADS = 0;
    /** Requests waiting for a worker beyond this are refused with UNAVAILABLE instead of queueing without bound. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_PAGE = MessageStore.DEFAULT_MAX_PAGE;
    public static final int DEFAULT_MAX_TEXT_LENGTH = 10_000;

    private final int workerThreads;
    private final int queueCapacity;
    private final int maxPage;
    private final int maxTextLength;

    private ChatServiceOptions(Builder b) {
        if (b.workerThreads < 0 || b.workerThreads > 1000) {
            throw new IllegalArgumentException("workerThreads must be 0-1000, got " + b.workerThreads);
        }
        if (b.queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, got " + b.queueCapacity);
        }
        if (b.maxPage < 1 || b.maxPage > 10_000) {
            throw new IllegalArgumentException("maxPage must be 1-10000, got " + b.maxPage);
        }
        if (b.maxTextLength < 1) {
            throw new IllegalArgumentException("maxTextLength must be positive, got " + b.maxTextLength);
        }
        this.workerThreads = b.workerThreads;
        this.queueCapacity = b.queueCapacity;
        this.maxPage = b.maxPage;
        this.maxTextLength = b.maxTextLength;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ChatServiceOptions defaults() {
        return builder().build();
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** The most messages one history page returns, whatever limit is asked for. */
    public int maxPage() {
        return maxPage;
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    @Override
    public String toString() {
        return "ChatServiceOptions{workerThreads=" + (workerThreads == 0 ? "poolSize" : workerThreads)
                + ", queueCapacity=" + queueCapacity + ", maxPage=" + maxPage
                + ", maxTextLength=" + maxTextLength + "}";
    }

    /** Collects the options; every one has a default. */
    public static final class Builder {
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int maxPage = DEFAULT_MAX_PAGE;
        private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;

        private Builder() {
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder maxPage(int maxPage) {
            this.maxPage = maxPage;
            return this;
        }

        public Builder maxTextLength(int maxTextLength) {
            this.maxTextLength = maxTextLength;
            return this;
        }

        public ChatServiceOptions build() {
            return new ChatServiceOptions(this);
        }
    }
}
