package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.ChannelSummary;
import dev.switchboard.message.HistoryPage;
import dev.switchboard.message.Message;
import dev.switchboard.message.NewMessage;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.SendResult;
import dev.switchboard.message.UserRef;
import dev.switchboard.message.store.cassandra.CassandraChatStore;
import dev.switchboard.message.store.cassandra.CassandraOptions;
import dev.switchboard.message.store.cassandra.MessageKeyspace;
import dev.switchboard.message.store.cassandra.MessageMigration;
import dev.switchboard.testing.CassandraRing;
import dev.switchboard.testing.PostgresDatabase;
import dev.switchboard.testing.SharedCassandraRing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The migration from PostgreSQL to Cassandra on real servers: a PostgreSQL store
 * filled with every kind of log entry (messages, keyed sends, thread replies, mentions,
 * edits, deletes, reactions added and removed, read checkpoints) in several channels,
 * one of them over several buckets; the migration stopped after two channels, then
 * killed in the middle of a channel, then run to the end: nothing is copied twice,
 * and every history page, log page, thread and channel list reads the same on both
 * stores; the channels then go on on Cassandra at the next sequence.
 */
@ExtendWith(SharedCassandraRing.class)
class MessageMigrationIT {
    private static final UserRef ANA = new UserRef("acme", "ana");
    private static final UserRef BEN = new UserRef("acme", "ben");
    private static final UserRef CY = new UserRef("acme", "cy");
    private static final int BUCKET = 50;
    private static final int CHUNK = 40;

    private PostgresDatabase pg;
    private ChatStore relational;
    private MessageKeyspace ks;

    @BeforeEach
    void open(CassandraRing ring) {
        pg = new PostgresDatabase();
        relational = ChatStore.relational(Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4)
                .build(), new SimpleMeterRegistry()), Clock.systemUTC(), MessageStore.DEFAULT_MAX_PAGE);
        for (UserRef u : List.of(ANA, BEN, CY)) {
            relational.users().create(new NewUser(u.org(), u.userId(), u.userId(), null, null));
        }
        ks = MessageKeyspace.open(CassandraOptions.parse(ring.uri("migrate_" + Long.toHexString(System.nanoTime()
                & 0xffffffL)) + "&bucket=" + BUCKET));
    }

    @AfterEach
    void close() {
        ks.close();
        relational.close();
        pg.close();
    }

    @Test
    void copiesEveryChannelOnceWithItsSequencesAndBothStoresReadTheSame() {
        List<Long> channels = new ArrayList<>();
        Random random = new Random(17);
        int[] sizes = {12, 3, 2 * BUCKET + 9, 0, 30};
        for (int c = 0; c < sizes.length; c++) {
            long g = relational.channels().createGroup(ANA, "g" + c, List.of("ben", "cy")).channel().id();
            channels.add(g);
            fill(g, sizes[c], random);
        }
        long third = channels.get(2);
        long total = 0;
        for (long g : channels) {
            total += relational.channels().membership(ANA, g).channel().lastSeq();
        }

        List<String> lines = new ArrayList<>();
        MessageMigration.Report first = new MessageMigration(relational.database(), ks, CHUNK, lines::add).run(2);
        assertEquals(2, first.copied());
        assertFalse(first.complete());
        // The process dies after the first chunk of the third channel was recorded.
        MessageMigration dying = new MessageMigration(relational.database(), ks, CHUNK, line -> {
            if (line.startsWith("channel " + third + ": " + CHUNK + "/")) {
                throw new IllegalStateException("killed");
            }
        });
        assertThrows(IllegalStateException.class, () -> dying.run(0));
        MessageMigration.Report last = new MessageMigration(relational.database(), ks, CHUNK, lines::add).run(0);
        assertTrue(last.complete(), String.valueOf(last.mismatches()));
        assertEquals(2, last.alreadyDone());
        assertEquals(total, first.entries() + CHUNK + last.entries(), "each entry copied once (bar a cut chunk)");
        assertTrue(lines.getLast().startsWith("verified: 5 channels"), lines.getLast());
        MessageMigration.Report again = new MessageMigration(relational.database(), ks, CHUNK, lines::add).run(0);
        assertEquals(0, again.entries(), "a rerun copies nothing");
        assertTrue(again.complete());

        try (ChatStore cassandra = CassandraChatStore.open(relational.database(), ks, Clock.systemUTC(),
                MessageStore.DEFAULT_MAX_PAGE, new SimpleMeterRegistry())) {
            assertBothStoresReadTheSame(cassandra, channels);

            // Writes that reached PostgreSQL after the copy (before the switch): a rerun copies just them.
            long g0 = channels.get(0);
            Message newest = pages(relational, ANA, g0, true).stream().filter(m -> !m.state().deleted()).findFirst()
                    .orElseThrow();
            UserRef author = new UserRef("acme", newest.sender());
            relational.events().react(CY, g0, newest.id(), ":eyes:", true, null, SequenceListener.NONE);
            relational.messages().send(CY, g0, new NewMessage("@ben late", null, "late-1", 0, false, List.of("ben")),
                    SequenceListener.NONE);
            relational.events().delete(author, g0, newest.id(), null, SequenceListener.NONE);
            relational.channels().markRead(BEN, channels.get(1), 3);
            // An edit of a message copied before it (PostgreSQL keeps no edit's text, only the current one).
            Message copied = pages(relational, ANA, g0, true).stream().filter(m -> !m.state().deleted()
                    && m.id() != newest.id()).reduce((a, b) -> b).orElseThrow();
            relational.events().edit(new UserRef("acme", copied.sender()), g0, copied.id(), "edited after the copy", null,
                    SequenceListener.NONE);
            MessageMigration.Report catchUp = new MessageMigration(relational.database(), ks, CHUNK, lines::add).run(0);
            assertEquals(4, catchUp.entries(), "only the new entries");
            assertTrue(catchUp.complete(), String.valueOf(catchUp.mismatches()));
            assertBothStoresReadTheSame(cassandra, channels);

            // The channels go on on Cassandra: the next sequence, and keys used before are known.
            long busy = channels.get(2);
            long head = relational.channels().membership(ANA, busy).channel().lastSeq();
            SendResult next = cassandra.messages().send(ANA, busy, new NewMessage("after the move", null, "k-after"),
                    SequenceListener.NONE);
            assertEquals(head + 1, next.message().seq());
            Message keyed = pages(relational, ANA, busy, false).stream()
                    .filter(m -> m.event() == null && m.clientMsgId() != null).findFirst().orElseThrow();
            SendResult retried = cassandra.messages().send(new UserRef("acme", keyed.sender()), busy,
                    new NewMessage("again", null, keyed.clientMsgId()), SequenceListener.NONE);
            assertTrue(retried.duplicate(), "a key used on PostgreSQL is a duplicate on Cassandra");
            assertEquals(keyed.id(), retried.message().id());
        }
    }

    private void assertBothStoresReadTheSame(ChatStore cassandra, List<Long> channels) {
        for (long g : channels) {
            for (UserRef reader : List.of(ANA, BEN)) {
                assertEquals(pages(relational, reader, g, true), pages(cassandra, reader, g, true), "history of " + g);
                assertEquals(pages(relational, reader, g, false), pages(cassandra, reader, g, false), "log of " + g);
            }
            for (Message m : pages(relational, ANA, g, true)) {
                if (m.state().thread() != null) {
                    assertEquals(relational.events().replies(CY, g, m.id(), 0, 50).messages(),
                            cassandra.events().replies(CY, g, m.id(), 0, 50).messages(), "thread " + m.id());
                }
            }
        }
        for (UserRef u : List.of(ANA, BEN, CY)) {
            assertEquals(summaries(relational, u), summaries(cassandra, u), "channel list of " + u.userId());
        }
    }

    /** {@code n} log entries of every kind, chosen by {@code random}, in channel {@code g}. */
    private void fill(long g, int n, Random random) {
        MessageEventStore ev = relational.events();
        MessageStore messages = relational.messages();
        List<Message> sent = new ArrayList<>();
        List<UserRef> people = List.of(ANA, BEN, CY);
        long seq = 0;
        while (seq < n) {
            UserRef who = people.get(random.nextInt(3));
            int pick = sent.isEmpty() ? 0 : random.nextInt(10);
            Message target = sent.isEmpty() ? null : sent.get(random.nextInt(sent.size()));
            SendResult r;
            try {
                r = switch (pick) {
                    case 0, 1, 2 -> messages.send(who, g, new NewMessage("m" + seq, null, "k-" + seq), SequenceListener.NONE);
                    case 3 -> messages.send(who, g, new NewMessage("@ben look", null, null, 0, false, List.of("ben")),
                            SequenceListener.NONE);
                    case 4 -> messages.send(who, g, new NewMessage("reply " + seq, null, null,
                            target.state().parentId() == 0 ? target.id() : target.state().parentId(),
                            random.nextBoolean(), List.of()), SequenceListener.NONE);
                    case 5 -> ev.edit(target.sender().equals("ana") ? ANA : target.sender().equals("ben") ? BEN : CY, g,
                            target.id(), "edited " + seq, "e-" + seq, SequenceListener.NONE);
                    case 6 -> ev.delete(target.sender().equals("ana") ? ANA : target.sender().equals("ben") ? BEN : CY,
                            g, target.id(), null, SequenceListener.NONE);
                    case 7, 8 -> ev.react(who, g, target.id(), random.nextBoolean() ? ":+1:" : ":tada:", true,
                            "r-" + seq, SequenceListener.NONE);
                    default -> ev.react(who, g, target.id(), ":+1:", false, null, SequenceListener.NONE);
                };
            } catch (dev.switchboard.message.ChatException refused) {
                continue; // a deleted message cannot be changed: pick again
            }
            if (!r.duplicate()) {
                seq = r.message().logSeq();
                if (r.message().event() == null) {
                    sent.add(r.message());
                }
            }
            if (random.nextInt(8) == 0) {
                relational.channels().markRead(BEN, g, Math.max(0, seq - random.nextInt(3)));
            }
        }
    }

    /** Every page of history ({@code history}) or of the log, 7 at a time, concatenated. */
    private static List<Message> pages(ChatStore store, UserRef reader, long g, boolean history) {
        BiFunction<Long, Integer, HistoryPage> page = history
                ? (cursor, n) -> store.messages().before(reader, g, cursor, n)
                : (cursor, n) -> store.messages().after(reader, g, cursor, n);
        List<Message> out = new ArrayList<>();
        Long cursor = 0L;
        while (cursor != null) {
            HistoryPage p = page.apply(cursor, 7);
            out.addAll(p.messages());
            cursor = p.nextCursor();
        }
        return out;
    }

    private static List<String> summaries(ChatStore store, UserRef user) {
        return store.channels().memberships(user).stream().map((ChannelSummary s) -> s.channel().id() + " last "
                + s.channel().lastSeq() + " read " + s.membership().lastReadSeq() + " unread " + s.unreadCount()
                + " mentions " + s.mentionCount()).toList();
    }
}
