package dev.switchboard.message;

import dev.switchboard.bridge.Broker;
import dev.switchboard.message.delivery.PublishedListener;
import dev.switchboard.message.media.MediaOptions;
import dev.switchboard.message.media.MediaService;
import dev.switchboard.message.presence.OnlineUsers;
import dev.switchboard.message.push.PushDispatcher;
import dev.switchboard.message.push.PushOptions;
import dev.switchboard.message.push.PushSender;
import dev.switchboard.message.push.WebhookPushSender;
import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.message.store.cassandra.CassandraChatStore;
import dev.switchboard.message.store.cassandra.CassandraOpenException;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * The stateful part of the message-service: the database pool, the chat
 * service's workers and, when enabled, the offline push pipeline and the media
 * service. Standalone,
 * {@link MessageServer} owns one; in dev mode the edge opens one and puts a
 * {@code ChatApi} over {@link #chat()} in its own pipeline. The broker,
 * the presence source and the registry stay the caller's.
 */
public final class MessageServiceResources implements AutoCloseable {
    private final ChatStore store;
    private final ChatService chat;
    private final PushDispatcher push;
    private final MediaService media;

    private MessageServiceResources(ChatStore store, ChatService chat, PushDispatcher push, MediaService media) {
        this.store = store;
        this.chat = chat;
        this.push = push;
        this.media = media;
    }

    /** Connects and migrates the database (failing fast if it is down), then starts the workers; no push. */
    public static MessageServiceResources open(DatabaseOptions db, ChatServiceOptions chat, Broker broker,
                                               MeterRegistry registry) {
        return builder(db, broker, registry).chat(chat).open();
    }

    /**
     * As {@link #open(DatabaseOptions, ChatServiceOptions, Broker, MeterRegistry)}, with offline
     * push through a {@link WebhookPushSender} when {@code push} names a webhook,
     * skipping the members that {@code online} reports live.
     */
    public static MessageServiceResources open(DatabaseOptions db, ChatServiceOptions chat, PushOptions push,
                                               Broker broker, OnlineUsers online, MeterRegistry registry) {
        return builder(db, broker, registry).chat(chat).push(push).onlineUsers(online).open();
    }

    /**
     * As the push overload, with media uploads stored as {@code media} says; give
     * {@link #media()} to the {@code ChatApi} to serve them.
     */
    public static MessageServiceResources open(DatabaseOptions db, ChatServiceOptions chat, PushOptions push,
                                               MediaOptions media, Broker broker, OnlineUsers online,
                                               MeterRegistry registry) {
        return builder(db, broker, registry).chat(chat).push(push).media(media).onlineUsers(online).open();
    }

    public static Builder builder(DatabaseOptions db, Broker broker, MeterRegistry registry) {
        return new Builder(db, broker, registry);
    }

    public ChatService chat() {
        return chat;
    }

    /** The relational database (users, channels, membership, devices, media, and messages unless they live elsewhere). */
    public Database database() {
        return store.database();
    }

    /** Every store the chat service uses. */
    public ChatStore store() {
        return store;
    }

    /** The media service, or null when media is off. */
    public MediaService media() {
        return media;
    }

    /** Whether committed messages are pushed to offline members. */
    public boolean pushEnabled() {
        return push != null;
    }

    /** Stops the workers (letting accepted calls finish), then push and media, then closes the pool. */
    @Override
    public void close() {
        try {
            chat.close();
        } finally {
            try {
                if (push != null) {
                    push.close();
                }
                if (media != null) {
                    media.close();
                }
            } finally {
                store.close();
            }
        }
    }

    /** Collects what the resources need; only the database, broker and registry are required. */
    public static final class Builder {
        private final DatabaseOptions db;
        private final Broker broker;
        private final MeterRegistry registry;
        private ChatServiceOptions chat = ChatServiceOptions.defaults();
        private PushOptions push = PushOptions.disabled();
        private PushSender pushSender;
        private OnlineUsers onlineUsers = OnlineUsers.NONE;
        private MediaOptions media = MediaOptions.disabled();
        private CassandraOptions messages;
        private Clock clock = Clock.systemUTC();

        private Builder(DatabaseOptions db, Broker broker, MeterRegistry registry) {
            this.db = Objects.requireNonNull(db, "db");
            this.broker = Objects.requireNonNull(broker, "broker");
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        public Builder chat(ChatServiceOptions chat) {
            this.chat = Objects.requireNonNull(chat, "chat");
            return this;
        }

        public Builder push(PushOptions push) {
            this.push = Objects.requireNonNull(push, "push");
            return this;
        }

        /** A sender of one's own (another gateway); push is then on whatever the webhook URL. Closed with the resources. */
        public Builder pushSender(PushSender pushSender) {
            this.pushSender = pushSender;
            return this;
        }

        /** Who is online (default: nobody, so every eligible member is pushed). */
        public Builder onlineUsers(OnlineUsers onlineUsers) {
            this.onlineUsers = Objects.requireNonNull(onlineUsers, "onlineUsers");
            return this;
        }

        public Builder media(MediaOptions media) {
            this.media = Objects.requireNonNull(media, "media");
            return this;
        }

        /**
         * Messages (channel logs, checkpoints, idempotency keys) in this Cassandra keyspace;
         * null (the default) keeps them in the database with everything else.
         */
        public Builder messages(CassandraOptions messages) {
            this.messages = messages;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Connects and migrates the database (failing fast if it is down), then starts the workers. */
        public MessageServiceResources open() {
            Database database = Database.open(db, registry);
            ChatStore store = store(database);
            PushDispatcher dispatcher = null;
            MediaService mediaService = null;
            try {
                PushSender sender = pushSender != null ? pushSender
                        : push.webhookUrl() != null ? new WebhookPushSender(push, registry) : null;
                if (sender != null) {
                    dispatcher = new PushDispatcher(store.devices(), onlineUsers, sender, push,
                            registry);
                }
                PublishedListener afterPublish = dispatcher != null ? dispatcher : PublishedListener.NONE;
                ChatService service = new ChatService(store, broker, chat, registry, afterPublish, onlineUsers);
                if (media.enabled()) {
                    mediaService = MediaService.open(database, media, clock, registry);
                }
                return new MessageServiceResources(store, service, dispatcher, mediaService);
            } catch (RuntimeException e) {
                if (dispatcher != null) {
                    dispatcher.close();
                }
                if (mediaService != null) {
                    mediaService.close();
                }
                store.close();
                throw e;
            }
        }

        /** The chat store over {@code database}; a Cassandra store that cannot open closes the database. */
        private ChatStore store(Database database) {
            if (messages == null) {
                return ChatStore.relational(database, clock, chat.maxPage());
            }
            try {
                return CassandraChatStore.open(database, messages, clock, chat.maxPage(), registry);
            } catch (RuntimeException e) {
                database.close();
                throw new CassandraOpenException(messages, e);
            }
        }
    }
}
