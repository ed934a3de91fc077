package dev.switchboard.message;

import dev.switchboard.http.HttpServerOptions;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import java.util.Objects;

/**
 * Settings of a standalone {@link MessageServer}. Immutable; build with
 * {@link #builder()}; only the database is required. Messages live in the
 * database too unless {@link Builder#messages} puts them in Cassandra (users,
 * channels and memberships stay relational: docs/adr/0011-messages-on-cassandra.md).
 */
public final class MessageServerOptions {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8081;
    /**
     * JSON request bodies are small: a message's text (10,000 characters, escaped) and
     * its attachments' metadata fit in 256 KiB; a larger declared body gets 413 before
     * it is read. Media uploads have their own limit ({@link MediaOptions#maxBytes()}).
     */
    public static final int DEFAULT_MAX_JSON_BYTES = 256 * 1024;
    /** The HTTP limits of the REST port (docs/security.md lists them with the answers past them). */
    public static final HttpServerOptions DEFAULT_HTTP = HttpServerOptions.builder()
            .maxBodyBytes(DEFAULT_MAX_JSON_BYTES).build();
    public static final int DEFAULT_IO_THREADS = 2;

    private final String host;
    private final int port;
    private final HttpServerOptions http;
    private final int ioThreads;
    private final DatabaseOptions database;
    private final CassandraOptions messages;
    private final ChatServiceOptions chat;
    private final PushOptions push;
    private final MediaOptions media;

    private MessageServerOptions(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        if (b.port < 0 || b.port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535 (0: any free port), got " + b.port);
        }
        this.port = b.port;
        this.http = Objects.requireNonNull(b.http, "http");
        if (b.ioThreads < 1 || b.ioThreads > 256) {
            throw new IllegalArgumentException("ioThreads must be 1-256, got " + b.ioThreads);
        }
        this.ioThreads = b.ioThreads;
        this.database = Objects.requireNonNull(b.database, "database");
        this.messages = b.messages;
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

    /** Limits and timeouts of the REST port; {@code maxBodyBytes} is the JSON body limit. */
    public HttpServerOptions http() {
        return http;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public DatabaseOptions database() {
        return database;
    }

    /** Where messages live when not in {@link #database()}: a Cassandra keyspace, or null (the database). */
    public CassandraOptions messages() {
        return messages;
    }

    public ChatServiceOptions chat() {
        return chat;
    }

    /**
     * Media uploads (off by default). {@code POST /v1/media} bodies may reach
     * {@code media.maxBytes()}; every other request keeps the JSON limit of {@link #http()}.
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
        return "MessageServerOptions{host=" + host + ", port=" + port + ", http=" + http
                + ", ioThreads=" + ioThreads + ", database=" + database
                + (messages == null ? "" : ", messages=" + messages) + ", chat=" + chat + ", push=" + push + ", media=" + media + "}";
    }

    /** Collects the options. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private HttpServerOptions http = DEFAULT_HTTP;
        private int ioThreads = DEFAULT_IO_THREADS;
        private DatabaseOptions database;
        private CassandraOptions messages;
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

        public Builder http(HttpServerOptions http) {
            this.http = http;
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

        /** Messages in this Cassandra keyspace instead of the database; null (the default) keeps them there. */
        public Builder messages(CassandraOptions messages) {
            this.messages = messages;
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
