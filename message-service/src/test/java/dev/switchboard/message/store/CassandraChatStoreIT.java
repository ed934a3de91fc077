package dev.switchboard.message.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.cassandra.CassandraChatStore;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.message.store.cassandra.MessageKeyspace;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.SharedCassandraRing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract with messages on a real three-node Cassandra ring
 * (replication factor 3, quorum reads and writes, Paxos for sequences) beside a
 * throwaway PostgreSQL database, plus what only this store has: buckets,
 * several processes appending to one channel, and idempotency keys whose first
 * attempt crashed between its writes.
 *
 * <p>The ring and one keyspace serve every test; each test gets a fresh
 * PostgreSQL database whose channel ids start at a new million, so that no two
 * tests share a channel log. Buckets hold {@value #BUCKET} messages, so paging
 * and concurrent sends cross bucket boundaries.
 */
@ExtendWith(SharedCassandraRing.class)
class CassandraChatStoreIT extends MessageEventsContract {
    static final int BUCKET = 50;
    private static final AtomicLong CHANNEL_BASE = new AtomicLong();
    private static CassandraRing ring;
    private static String keyspace;
    private static CqlSession cql;
    private static MessageKeyspace shared;
    private PostgresDatabase pg;

    @BeforeAll
    static void ring(CassandraRing shared) {
        ring = shared;
        keyspace = "contract_" + Long.toHexString(System.nanoTime() & 0xffffffL);
    }

    @AfterAll
    static void closeSession() {
        if (cql != null) {
            cql.close();
        }
        if (shared != null) {
            shared.close();
        }
    }

    @Override
    ChatStore openStore() {
        pg = new PostgresDatabase();
        Database db = Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(8).build(),
                new SimpleMeterRegistry());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE channels ALTER COLUMN id RESTART WITH " + (CHANNEL_BASE.incrementAndGet() * 1_000_000));
            c.commit();
        } catch (Exception e) {
            db.close();
            throw new IllegalStateException(e);
        }
        if (shared == null) {
            shared = MessageKeyspace.open(options());
        }
        return CassandraChatStore.open(db, shared, Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE,
                new SimpleMeterRegistry());
    }

    /**
     * A second message-service process: its own session, locks and id blocks, the same databases. Used once
     * it is ready, as a readiness probe would wait: opening waits a bounded time for the session's pools, and
     * on a loaded machine they can still be connecting (a send then found "no connection to any live node").
     */
    private static ChatStore openOn(Database db) {
        ChatStore store = CassandraChatStore.open(db, options(), Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE,
                new SimpleMeterRegistry());
        await("the second process connected to a quorum").atMost(Duration.ofSeconds(60))
                .until(() -> store.messages().backendUnavailable() == null);
        return store;
    }

    private static CassandraOptions options() {
        return CassandraOptions.parse(ring.uri(keyspace) + "&bucket=" + BUCKET);
    }

    @Override
    void dropStore() {
        pg.close();
    }

    private static CqlSession cql() {
        if (cql == null) {
            com.datastax.oss.driver.api.core.CqlSessionBuilder b = CqlSession.builder().withLocalDatacenter(CassandraRing.DATACENTER);
            for (int i = 1; i <= ring.size(); i++) {
                b.addContactPoint(new InetSocketAddress(CassandraRing.address(i), ring.nativePort()));
            }
            cql = b.build();
        }
        return cql;
    }

    @Test
    void noPartitionHoldsMoreThanABucketAndHistoryCrossesBuckets() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        for (int i = 1; i <= 2 * BUCKET + 7; i++) {
            messages.send(ANA, g, new NewMessage("m" + i, null, null), SequenceListener.NONE);
        }
        for (long bucket = 0; bucket <= 2; bucket++) {
            List<Row> rows = cql().execute(SimpleStatement.newInstance("SELECT seq, head FROM " + keyspace
                    + ".channel_log WHERE channel_id = ? AND bucket = ?", g, bucket)).all();
            long first = bucket * BUCKET + 1;
            long last = Math.min((bucket + 1) * BUCKET, 2 * BUCKET + 7);
            assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), rows.stream().map(r -> r.getLong(0)).toList());
            assertEquals(last, rows.getFirst().getLong(1), "the bucket's head");
        }
        // A page that starts in one bucket and ends in the next, both ways.
        assertEquals(LongStream.rangeClosed(BUCKET - 2, BUCKET + 3).boxed().toList(),
                messages.after(ANA, g, BUCKET - 3, 6).messages().stream().map(Message::seq).toList());
        assertEquals(LongStream.rangeClosed(BUCKET - 2, BUCKET + 3).boxed().toList().reversed(),
                messages.before(ANA, g, BUCKET + 4, 6).messages().stream().map(Message::seq).toList());
        assertEquals(2 * BUCKET + 7, channels.membership(ANA, g).channel().lastSeq());
    }

    @Test
    void twoProcessesAppendingToOneChannelKeepSequencesGapFree() throws Exception {
        long g = channels.createGroup(ANA, "busy", List.of("ben")).channel().id();
        try (ChatStore other = openOn(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build(),
                new SimpleMeterRegistry()))) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<SendResult>> sends = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    MessageStore via = i % 2 == 0 ? messages : other.messages();
                    NewMessage m = new NewMessage("m" + i, null, "k-" + i);
                    UserRef who = i % 3 == 0 ? BEN : ANA;
                    sends.add(pool.submit(() -> via.send(who, g, m, SequenceListener.NONE)));
                }
                Set<Long> ids = new TreeSet<>();
                for (Future<SendResult> f : sends) {
                    ids.add(f.get().message().id());
                }
                assertEquals(120, ids.size(), "message ids are unique across processes");
            } finally {
                pool.shutdownNow();
            }
        }
        List<Long> seqs = new ArrayList<>();
        seqs.addAll(messages.after(ANA, g, 0, 200).messages().stream().map(Message::seq).toList());
        assertEquals(LongStream.rangeClosed(1, 120).boxed().toList(), seqs);
    }

    @Test
    void aKeyIsStoredOnceWhenTheOriginalAndItsRetryRaceFromTwoProcesses() throws Exception {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        try (ChatStore other = openOn(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build(),
                new SimpleMeterRegistry()))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 10; round++) {
                    NewMessage m = new NewMessage("once " + round, null, "race-" + round);
                    List<Future<SendResult>> attempts = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        MessageStore via = i % 2 == 0 ? messages : other.messages();
                        attempts.add(pool.submit(() -> via.send(ANA, g, m, SequenceListener.NONE)));
                    }
                    Set<Long> seqsSeen = new TreeSet<>();
                    int fresh = 0;
                    for (Future<SendResult> f : attempts) {
                        seqsSeen.add(f.get().message().seq());
                        fresh += f.get().duplicate() ? 0 : 1;
                    }
                    assertEquals(1, seqsSeen.size(), "every attempt answers with the one stored message");
                    assertEquals(1, fresh, "one attempt stored it, the others found it");
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(10, messages.after(ANA, g, 0, 100).messages().size());
    }

    @Test
    void aRetryFindsTheMessageWhenTheFirstAttemptDiedBeforeCompletingItsKey() {
        long g = channels.createGroup(ANA, "general", List.of()).channel().id();
        messages.send(ANA, g, new NewMessage("before", null, null), SequenceListener.NONE);
        SendResult first = messages.send(ANA, g, new NewMessage("hi", null, "crash-1"), SequenceListener.NONE);
        messages.send(ANA, g, new NewMessage("after", null, null), SequenceListener.NONE);
        // The process died after the message's write, before it recorded the key's sequence.
        cql().execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".client_ids SET seq = null WHERE channel_id = ?"
                + " AND sender = 'ana' AND client_msg_id = 'crash-1'", g));
        List<Long> sequenced = new ArrayList<>();
        SendResult retry = messages.send(ANA, g, new NewMessage("hi", null, "crash-1"), (c, seq) -> {
            sequenced.add(seq);
            return SequenceListener.Ticket.NONE;
        });
        assertTrue(retry.duplicate());
        assertEquals(first.message(), retry.message());
        assertTrue(sequenced.isEmpty(), "found in the log above the claim's floor: no new sequence");
        // And a claim whose message was never written (the process died between the two writes) lets the retry store it.
        cql().execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".client_ids (channel_id, sender,"
                + " client_msg_id, floor) VALUES (?, 'ana', 'crash-2', 3)", g));
        SendResult stored = messages.send(ANA, g, new NewMessage("late", null, "crash-2"), SequenceListener.NONE);
        assertFalse(stored.duplicate());
        assertEquals(4, stored.message().seq());
        assertEquals(4, messages.after(ANA, g, 0, 10).messages().size());
    }

    @Test
    void anEntryWhoseStateWasNeverWrittenIsAppliedByTheNextReaderAndWriter() {
        long g = channels.createGroup(ANA, "general", List.of("ben")).channel().id();
        long id = messages.send(ANA, g, new NewMessage("v1", null, null), SequenceListener.NONE).message().id();
        messages.send(BEN, g, new NewMessage("hi", null, null), SequenceListener.NONE);
        // A process appended an edit at 3 and died before writing its effect on message_state.
        cql().execute(SimpleStatement.newInstance("BEGIN UNLOGGED BATCH"
                + " UPDATE " + keyspace + ".channel_log SET head = 3 WHERE channel_id = ? AND bucket = 0 IF head = 2;"
                + " INSERT INTO " + keyspace + ".channel_log (channel_id, bucket, seq, kind, message_id, sender, text,"
                + " created_at) VALUES (?, 0, 3, 'edit', ?, 'ana', 'v2', toTimestamp(now()));"
                + " APPLY BATCH", g, g, id));
        Message shown = messages.before(BEN, g, 0, 10).messages().getLast();
        assertEquals("v2", shown.text(), "the reader applied the edit before loading the page");
        assertTrue(shown.state().editedAt() != null);
        // Another process (its own locks and caches) reacts: it builds on the state up to the head, 3.
        try (ChatStore other = openOn(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(2).build(),
                new SimpleMeterRegistry()))) {
            SendResult r = other.events().react(BEN, g, id, ":+1:", true, null, SequenceListener.NONE);
            assertEquals(4, r.message().event().seq());
            assertEquals("v2", r.message().text());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), messages.after(ANA, g, 0, 10).messages().stream().map(Message::logSeq).toList());
    }

    @Test
    void eventsFromTwoProcessesKeepOneSequenceAndAnEventKeyIsStoredOnce() throws Exception {
        long g = channels.createGroup(ANA, "general", List.of("ben", "cy")).channel().id();
        long id = messages.send(ANA, g, new NewMessage("target", null, null), SequenceListener.NONE).message().id();
        try (ChatStore other = openOn(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build(),
                new SimpleMeterRegistry()))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<SendResult>> all = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    ChatStore via = i % 2 == 0 ? store : other;
                    int n = i;
                    // Every change is sent twice at once, from both processes, with one key.
                    for (ChatStore twice : List.of(via, via == store ? other : store)) {
                        all.add(pool.submit(() -> switch (n % 4) {
                            case 0 -> twice.messages().send(BEN, g, new NewMessage("m" + n, null, "k-" + n),
                                    SequenceListener.NONE);
                            case 1 -> twice.events().react(n % 8 == 1 ? BEN : CY, g, id, ":e" + n + ":", true, "r-" + n,
                                    SequenceListener.NONE);
                            case 2 -> twice.events().edit(ANA, g, id, "v" + n, "e-" + n, SequenceListener.NONE);
                            default -> twice.events().react(CY, g, id, ":e" + (n - 2) + ":", false, "x-" + n,
                                    SequenceListener.NONE);
                        }));
                    }
                }
                int fresh = 0;
                for (Future<SendResult> f : all) {
                    fresh += f.get().duplicate() ? 0 : 1;
                }
                HistoryPage log = messages.after(ANA, g, 0, 200);
                assertEquals(LongStream.rangeClosed(1, 1 + fresh).boxed().toList(),
                        log.messages().stream().map(Message::logSeq).toList(), "one gap-free log, each change once");
                Set<String> keys = new TreeSet<>();
                for (Message m : log.messages().subList(1, log.messages().size())) {
                    String key = m.event() == null ? m.clientMsgId() : m.event().clientId();
                    assertTrue(keys.add(key), "key " + key + " stored twice");
                }
                // The state both processes read is the one the log leads to.
                Message now = messages.before(ANA, g, 0, 200).messages().getLast();
                assertEquals(now.state(), other.messages().before(ANA, g, 0, 200).messages().getLast().state());
                Message lastEdit = log.messages().stream().filter(m -> m.event() != null
                        && m.event().kind() == dev.switchboard.wire.chat.EventKind.EDIT).reduce((a, b) -> b).orElseThrow();
                assertEquals("v" + lastEdit.event().clientId().substring(2), now.text(), "the last edit's text");
                for (Message m : log.messages()) {
                    if (m.id() == id) {
                        assertEquals(now.state(), m.state(), "every entry of the message carries its current state");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
