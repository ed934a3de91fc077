package dev.switchboard.message.store;

import java.time.Clock;
import java.util.Objects;

/**
 * Everything the chat service stores, opened together: users, devices and media
 * always in the relational {@link Database}; channels, membership and messages
 * behind {@link ChannelStore} and {@link MessageStore}, so that messages can
 * live elsewhere (Cassandra) while the rest stays relational.
 * {@link #relational} keeps it all in the database. {@link #close()} closes
 * what the store opened for messages, then the database.
 */
public final class ChatStore implements AutoCloseable {
    private final Database database;
    private final UserStore users;
    private final ChannelStore channels;
    private final MessageStore messages;
    private final MessageEventStore events;
    private final DeviceStore devices;
    private final AutoCloseable messageBackend;

    /**
     * A store whose channels and messages are {@code channels} and {@code messages};
     * {@code messageBackend} (may be null) is closed before the database.
     */
    public ChatStore(Database database, Clock clock, ChannelStore channels, MessageStore messages,
                     AutoCloseable messageBackend) {
        this(database, clock, channels, messages, MessageEventStore.unsupported(
                "edits, deletes, reactions and threads need the relational message store (ADR 0013)"), messageBackend);
    }

    /** A store whose message events (edits, deletes, reactions, threads; ADR 0013) are {@code events}. */
    public ChatStore(Database database, Clock clock, ChannelStore channels, MessageStore messages,
                     MessageEventStore events, AutoCloseable messageBackend) {
        this.events = Objects.requireNonNull(events, "events");
        this.database = Objects.requireNonNull(database, "database");
        this.users = new UserStore(database, clock);
        this.devices = new DeviceStore(database, clock);
        this.channels = Objects.requireNonNull(channels, "channels");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.messageBackend = messageBackend;
    }

    /** Everything in the relational database (PostgreSQL, or H2 in dev mode). */
    public static ChatStore relational(Database database, Clock clock, int maxPage) {
        return new ChatStore(database, clock, new JdbcChannelStore(database, clock),
                new JdbcMessageStore(database, clock, maxPage), new JdbcEventStore(database, clock, maxPage), null);
    }

    public Database database() {
        return database;
    }

    public UserStore users() {
        return users;
    }

    public ChannelStore channels() {
        return channels;
    }

    public MessageStore messages() {
        return messages;
    }

    /** Edits, deletes, reactions and thread pages; {@link MessageEventStore#supported()} says whether they work. */
    public MessageEventStore events() {
        return events;
    }

    public DeviceStore devices() {
        return devices;
    }

    @Override
    public void close() {
        try {
            if (messageBackend != null) {
                messageBackend.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing the message store failed", e);
        } finally {
            database.close();
        }
    }
}
