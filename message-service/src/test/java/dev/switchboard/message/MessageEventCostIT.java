package dev.switchboard.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.message.store.Database;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.PostgresServerProcess;
import dev.switchboard.wire.ChannelNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a change to a message costs beside a send (issue #17, ADR 0013: "one transaction,
 * one publish"), through {@link ChatService} on a PostgreSQL server of the test's own, so
 * that nothing else consumes its transaction ids or writes to its log:
 *
 * <ul>
 *   <li>asserted: each send, edit, delete, reaction added or removed and thread reply is
 *       exactly one write transaction (transaction ids consumed) and one publish on the
 *       channel; the statements each sends are counted from the server's statement log;</li>
 *   <li>printed, not asserted (docs/benchmarks.md): the call-to-acknowledgement time of each
 *       kind, the kinds interleaved in one run so that the machine's load falls on all of them
 *       alike, as medians and 90th percentiles with their ratio to a send's.</li>
 * </ul>
 * {@code -Dcost.rounds=N} sets the timed rounds (default 200; each round is one of every kind).
 */
class MessageEventCostIT {
    enum Kind { SEND, EDIT, REACTION_ADDED, REACTION_REMOVED, THREAD_REPLY, DELETE }

    static final UserRef ANA = new UserRef("acme", "ana");
    static final UserRef BEN = new UserRef("acme", "ben");
    static final int COUNTED = 20;

    static PostgresServerProcess pg;
    static Database db;
    static RecordingBroker broker;
    static ChatService chat;
    static long channel;
    static String realtime;

    @BeforeAll
    static void start() {
        pg = new PostgresServerProcess();
        db = Database.open(DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4).build(), new SimpleMeterRegistry());
        broker = new RecordingBroker();
        chat = new ChatService(db, broker.broker(), ChatServiceOptions.defaults(), new SimpleMeterRegistry());
        chat.createUser(new NewUser("acme", "ana", "Ana", null, "ana")).join();
        chat.createUser(new NewUser("acme", "ben", "Ben", null, "ben")).join();
        channel = chat.createGroup(ANA, "cost", List.of("ben")).join().channel().id();
        realtime = ChannelNames.chat("acme", channel);
        broker.subscribe(realtime);
    }

    @AfterAll
    static void stop() {
        if (chat != null) {
            chat.close();
        }
        if (db != null) {
            db.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** The messages a round works on: a send, then each change to it, a reply in its thread, its delete. */
    private static final class Round {
        final int i;
        long id;

        Round(int i) {
            this.i = i;
        }

        void run(Kind k) {
            switch (k) {
                case SEND -> id = chat.send(ANA, channel, new NewMessage("message " + i, null, "s-" + i)).join().message().id();
                case EDIT -> chat.events().edit(ANA, channel, id, "message " + i + ", edited", "e-" + i).join();
                case REACTION_ADDED -> chat.events().react(BEN, channel, id, ":+1:", true, "ra-" + i).join();
                case REACTION_REMOVED -> chat.events().react(BEN, channel, id, ":+1:", false, "rr-" + i).join();
                case THREAD_REPLY -> chat.send(BEN, channel, new NewMessage("reply " + i, null, "t-" + i, id, false,
                        List.of())).join();
                case DELETE -> chat.events().delete(ANA, channel, id, "d-" + i).join();
            }
        }
    }

    @Test
    void everyKindIsOneTransactionAndOnePublishAndTheirTimesArePrinted() throws Exception {
        // Structure: one kind at a time over COUNTED messages, with the statement log on.
        admin("ALTER SYSTEM SET log_statement = 'all'");
        admin("SELECT pg_reload_conf()");
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < COUNTED; i++) {
            rounds.add(new Round(i));
        }
        new Round(-1).run(Kind.SEND); // every pooled connection has seen the reload before counting starts
        Map<Kind, double[]> structure = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            long xid = nextXid();
            long statements = loggedStatements();
            int published = broker.on(realtime).size();
            rounds.forEach(r -> r.run(k));
            long sent = loggedStatements() - statements; // before nextXid(), whose own query is logged too
            long transactions = nextXid() - xid;
            await(k + " publishes").atMost(Duration.ofSeconds(30))
                    .until(() -> broker.on(realtime).size() >= published + COUNTED);
            int publishes = broker.on(realtime).size() - published;
            assertEquals(COUNTED, transactions, k + ": one write transaction each");
            assertEquals(COUNTED, publishes, k + ": one publish each");
            structure.put(k, new double[] {transactions / (double) COUNTED, publishes / (double) COUNTED,
                    sent / (double) COUNTED});
        }
        admin("ALTER SYSTEM RESET log_statement");
        admin("SELECT pg_reload_conf()");

        // Times: the kinds interleaved, round after round, in one run.
        int n = Integer.getInteger("cost.rounds", 200);
        Map<Kind, long[]> nanos = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            nanos.put(k, new long[n]);
        }
        IntFunction<Round> timed = i -> new Round(1_000 + i);
        for (int i = 0; i < 20; i++) { // warm-up, not recorded
            Round r = timed.apply(-100 - i);
            for (Kind k : Kind.values()) {
                r.run(k);
            }
        }
        for (int i = 0; i < n; i++) {
            Round r = timed.apply(i);
            for (Kind k : Kind.values()) {
                long t0 = System.nanoTime();
                r.run(k);
                nanos.get(k)[i] = System.nanoTime() - t0;
            }
        }
        double sendMedian = percentile(nanos.get(Kind.SEND), 0.5);
        double sendP90 = percentile(nanos.get(Kind.SEND), 0.9);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nmessage event cost, %d rounds (load average at the end: %s)%n"
                        + "| kind | write transactions | publishes | statements | median | p90 | median / send | p90 / send |%n"
                        + "|---|---|---|---|---|---|---|---|%n", n, loadAverage()));
        for (Kind k : Kind.values()) {
            double[] s = structure.get(k);
            double median = percentile(nanos.get(k), 0.5);
            double p90 = percentile(nanos.get(k), 0.9);
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.2f ms | %.2f ms | %.2f | %.2f |%n",
                    k.name().toLowerCase(Locale.ROOT), s[0], s[1], s[2], median / 1e6, p90 / 1e6, median / sendMedian,
                    p90 / sendP90));
        }
        System.out.println(out);
    }

    private static double percentile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }

    /** The next transaction id the server will assign (reading it assigns none). */
    private static long nextXid() throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT txid_snapshot_xmax(txid_current_snapshot())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Statements the server logged (log_statement = all), whichever protocol sent them. */
    private static long loggedStatements() throws IOException {
        try (var lines = Files.lines(pg.log())) {
            return lines.filter(l -> l.contains("LOG:  execute ") || l.contains("LOG:  statement: ")).count();
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            c.setAutoCommit(true);
            c.createStatement().execute(sql);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
