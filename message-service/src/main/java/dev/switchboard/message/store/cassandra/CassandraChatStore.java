package dev.switchboard.message.store.cassandra;

import dev.switchboard.message.store.ChatStore;
import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.JdbcChannelStore;
import dev.switchboard.message.store.MediaStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Opens the chat store with messages in Cassandra: users, channels,
 * membership, devices and media in the relational {@code database}; the channel
 * logs, read checkpoints and idempotency keys in the keyspace. The store owns
 * both and closes the keyspace's session, then the database.
 */
public final class CassandraChatStore {
    /** Message ids taken from the relational sequence at a time, per process. */
    static final int ID_BLOCK = 1000;

    private CassandraChatStore() {
    }

    /** Connects to Cassandra (creating the keyspace and tables when asked), over an open {@code database}. */
    public static ChatStore open(Database database, CassandraOptions options, Clock clock, int maxPage,
                                 MeterRegistry registry) {
        MessageKeyspace ks = MessageKeyspace.open(options);
        try {
            return create(database, ks, clock, maxPage, registry, ks);
        } catch (RuntimeException e) {
            ks.close();
            throw e;
        }
    }

    /** Over an open keyspace that stays the caller's (tools, tests that share one session). */
    public static ChatStore open(Database database, MessageKeyspace ks, Clock clock, int maxPage,
                                 MeterRegistry registry) {
        return create(database, ks, clock, maxPage, registry, null);
    }

    private static ChatStore create(Database database, MessageKeyspace ks, Clock clock, int maxPage,
                                    MeterRegistry registry, AutoCloseable owned) {
        JdbcChannelStore relational = new JdbcChannelStore(database, clock);
        MediaStore media = new MediaStore(database, clock);
        ChannelLog log = new ChannelLog(ks);
        ReadPositions positions = new ReadPositions(ks);
        MessageStateTable state = new MessageStateTable(ks, log, media);
        ChannelAppender appender = new ChannelAppender(ks, log, state, positions, maxPage, registry);
        CassandraMessageStore messages = new CassandraMessageStore(ks, appender, log, state,
                new MessageIds(database, ID_BLOCK), relational, media, clock, maxPage);
        CassandraChannelStore channels = new CassandraChannelStore(relational, log, positions);
        CassandraEventStore events = new CassandraEventStore(appender, messages, state, relational, clock);
        return new ChatStore(database, clock, channels, messages, events, owned);
    }
}
