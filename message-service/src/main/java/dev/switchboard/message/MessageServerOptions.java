package dev.switchboard.message;

import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.store.DatabaseOptions;
import java.util.Objects;

/**
 * Settings of a standalone {@link MessageServer}. Immutable; build with
 * {@link #builder()}; only the database is required.
 */
public final class MessageServerOptions {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8081;
    /** Requests are small JSON documents; a larger body gets 413 before it is buffered. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 256 * 1024;
    public static final int DEFAULT_IO_THREADS = 2;

    private final String host;
    private final int port;
    private final int maxContentLength;
    private final int ioThreads;
    private final DatabaseOptions database;
    private final ChatServiceOptions chat;
    private final PushOptions push;
    private final MediaOptions media;

    private MessageServerOptions(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        if (b.port < 0 || b.port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535 (0: any free port), got " + b.port);
        }
        this.port = b.port;
        if (b.maxContentLength < 1024) {
            throw new IllegalArgumentException("maxContentLength must be at least 1024 bytes, got " + b.maxContentLength);
        }
        this.maxContentLength = b.maxContentLength;
        if (b.ioThreads < 1 || b.ioThreads > 256) {
            throw new IllegalArgumentException("ioThreads must be 1-256, got " + b.ioThreads);
        }
        this.ioThreads = b.ioThreads;
        this.database = Objects.requireNonNull(b.database, "database");
        this.chat = Objects.requireNonNull(b.chat, "chat");
        this.push = Objects.requireNonNull(b.push, "push");
        this.media = Objects.requireNonNull(b.media, "media");
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int maxContentLength() {
        return maxContentLength;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public DatabaseOptions database() {
        return database;
    }

    public ChatServiceOptions chat() {
        return chat;
    }

    /**
     * Media uploads (off by default). {@code POST /v1/media} bodies may reach
     * {@code media.maxBytes()}; every other request keeps {@link #maxContentLength()}.
     */
    public MediaOptions media() {
        return media;
    }

    /** Offline push (off unless a webhook URL is set). */
    public PushOptions push() {
        return push;
    }

    @Override
    public String toString() {
        return "MessageServerOptions{host=" + host + ", port=" + port + ", maxContentLength=" + maxContentLength
                + ", ioThreads=" + ioThreads + ", database=" + database + ", chat=" + chat + ", push=" + push + ", media=" + media + "}";
    }

    /** Collects the options. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;
        private int ioThreads = DEFAULT_IO_THREADS;
        private DatabaseOptions database;
        private ChatServiceOptions chat = ChatServiceOptions.defaults();
        private PushOptions push = PushOptions.disabled();
        private MediaOptions media = MediaOptions.disabled();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxContentLength(int maxContentLength) {
            this.maxContentLength = maxContentLength;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder database(DatabaseOptions database) {
            this.database = database;
            return this;
        }

        public Builder chat(ChatServiceOptions chat) {
            this.chat = chat;
            return this;
        }

        public Builder push(PushOptions push) {
            this.push = push;
            return this;
        }

        public Builder media(MediaOptions media) {
            this.media = media;
            return this;
        }

        public MessageServerOptions build() {
            return new MessageServerOptions(this);
        }
    }
}
