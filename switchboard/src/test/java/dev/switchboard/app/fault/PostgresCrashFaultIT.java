package dev.switchboard.app.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.Endpoint;
import dev.switchboard.client.SwitchboardException;
import dev.switchboard.message.store.DatabaseOptions;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.testing.PostgresServerProcess;
import dev.switchboard.wire.ErrorCode;
import dev.switchboard.client.PublishResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL crashes under traffic ({@code pg_ctl stop -m immediate} on a server
 * of the test's own) and comes back on the same port and data directory:
 * sends during the outage fail quickly with 503 UNAVAILABLE (REST) or
 * UNAVAILABLE (WebSocket), nothing is half-written or delivered, the
 * message-service's pool reconnects by itself, and every acknowledged send
 * reaches every member exactly once, in order; retries with the same
 * client_msg_id store nothing twice.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class PostgresCrashFaultIT {
    static final int USERS = 60;
    static final int CHANNELS = 3;
    static final int MESSAGES = 300;
    static final int FAULT_AT = 100;
    static final Duration OUTAGE = Duration.ofSeconds(3);
    /** Hikari's connection timeout: how long a send waits for a connection before its 503. */
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a refusal may take and still count as "not hanging": the pool's timeout, or for a send whose commit
     * was in flight when the server died, the commit-outcome lookup (10 s) after it, with room for a loaded machine.
     * A hang (a send waiting for the outage to end, or forever) takes longer. Not a performance figure.
     */
    static final Duration NOT_HANGING = Duration.ofSeconds(40);

    @Test
    void crashedDatabaseRefusesSendsQuicklyAndLosesOrDuplicatesNothing() throws Exception {
        try (PostgresServerProcess pg = new PostgresServerProcess();
             Fleet fleet = new Fleet(1, DatabaseOptions.builder().jdbcUrl(pg.jdbcUrl()).poolSize(4)
                     .connectionTimeout(POOL_TIMEOUT).build())) {
            Roster roster = Roster.create(fleet, "acme", USERS, CHANNELS);
            URI edge = URI.create("ws://127.0.0.1:" + fleet.edges.get(0).port() + "/ws");
            List<Member> members = Member.connectAll(fleet, roster, USERS, i -> Endpoint.fixed(edge));
            long heapBefore = Memory.heapAfterGc();

            Ledger ledger = new Ledger();
            Sender sender = new Sender(fleet, roster, ledger, "pg", MESSAGES, Duration.ofMillis(10)).start();
            sender.awaitAcknowledged(FAULT_AT, Duration.ofSeconds(60));
            long fault = System.nanoTime();
            pg.crash();

            // The WebSocket path: the edge relays the send to the message-service, which cannot commit it.
            Member wsSender = members.get(0);
            String wsChannel = roster.channelOfUser(0);
            byte[] wsText = "{\"text\":\"over the websocket\"}".getBytes(StandardCharsets.UTF_8);
            long wsStart = System.nanoTime();
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> wsSender.client.publish(wsChannel, wsText, "ws-during").get(15, TimeUnit.SECONDS));
            long wsRefusedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wsStart);
            assertEquals(ErrorCode.UNAVAILABLE, assertInstanceOf(SwitchboardException.class, refused.getCause()).code());
            assertTrue(wsRefusedMs < NOT_HANGING.toMillis(), "the WebSocket refusal took " + wsRefusedMs + " ms");

            long sleepMs = OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fault);
            // The outage's length is the fault injected: the sender keeps sending while the database is down.
            Thread.sleep(Math.max(0, sleepMs));
            int committedDuringOutage = ledger.total();
            long restart = System.nanoTime();
            pg.start();
            sender.join(Duration.ofSeconds(120));
            long firstCommitAfter = ledger.committedAfter(restart);

            // The refused WebSocket send, retried with its id, is stored once; so is a REST send retried after success.
            PublishResult wsRetry = wsSender.client.publish(wsChannel, wsText, "ws-during").get(15, TimeUnit.SECONDS);
            ledger.committed(wsChannel, wsRetry.seq());
            PublishResult wsAgain = wsSender.client.publish(wsChannel, wsText, "ws-during").get(15, TimeUnit.SECONDS);
            assertEquals(wsRetry.seq(), wsAgain.seq(), "a retry returns the stored message");
            Fleet.Rest restAgain = fleet.rest("POST", "/v1/channels/" + roster.channelIds.get(0) + "/messages",
                    fleet.token("u0", roster.org), "{\"text\":\"m0\",\"client_msg_id\":\"pg-0\"}");
            assertEquals(200, restAgain.status(), "a retried REST send answers with the stored message");
            assertEquals(1, restAgain.body().path("seq").asLong());

            Ledger.Tally total = Deliveries.awaitEvery(members, roster, ledger);
            long heapAfter = Memory.heapAfterGc();

            // The background sender's sends during the outage are refused (503) or, when they queued behind the
            // commit-outcome lookup of a commit the crash cut (it holds a database worker until the database answers),
            // answered once it is back: both are exact outcomes. That a send during the outage is refused, and does
            // not hang, is shown by the WebSocket send above.
            List<Sender.Failure> failures = sender.failures();
            long slowestRefusalMs = 0;
            for (Sender.Failure f : failures) {
                assertEquals(503, f.status(), "every refused send is a 503: " + f);
                // UNAVAILABLE: not stored; COMMIT_OUTCOME_UNKNOWN: the lookup after a commit cut by the crash did not
                // get an answer in time (the sender retries it with the same client_msg_id, as documented).
                assertTrue(f.code().equals("UNAVAILABLE") || f.code().equals("COMMIT_OUTCOME_UNKNOWN"), f.toString());
                slowestRefusalMs = Math.max(slowestRefusalMs, f.tookMs());
            }
            assertTrue(slowestRefusalMs < NOT_HANGING.toMillis(), "slowest 503 took " + slowestRefusalMs + " ms");
            assertEquals(MESSAGES + 1, ledger.total(), "every send was acknowledged once");
            assertDatabaseHoldsExactly(pg, ledger, roster);
            assertEquals(0, total.duplicates(), "no duplicates");
            assertTrue(total.exact(), "every member got every committed message of its channel once, in order");

            new FaultReport("postgres-crash")
                    .put("clients", USERS).put("messages committed", ledger.total())
                    .tally(total)
                    .put("sends refused during the outage (503)", failures.size())
                    .put("slowest refusal ms", slowestRefusalMs)
                    .put("websocket refusal ms", wsRefusedMs)
                    .put("retries answered with the stored message", sender.retriesAnsweredWithStoredMessage())
                    .put("committed before restart", committedDuringOutage)
                    .put("outage (crash to restart) ms", Deliveries.ms(restart - fault))
                    .put("restart to first commit ms", Deliveries.ms(firstCommitAfter - restart))
                    .put("crash to first commit ms", Deliveries.ms(firstCommitAfter - fault))
                    .put("heap after GC before", Memory.mib(heapBefore))
                    .put("heap after GC after", Memory.mib(heapAfter))
                    .write();
            members.forEach(m -> m.client.close());
        }
    }

    /** Nothing half-written: the table holds exactly the acknowledged sequences, gap-free, one row per client_msg_id. */
    private static void assertDatabaseHoldsExactly(PostgresServerProcess pg, Ledger ledger, Roster roster) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
            for (int i = 0; i < roster.channelIds.size(); i++) {
                List<Long> stored = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT seq FROM messages WHERE channel_id = " + roster.channelIds.get(i) + " ORDER BY seq")) {
                    while (rs.next()) {
                        stored.add(rs.getLong(1));
                    }
                }
                List<Long> gapFree = new ArrayList<>();
                for (long seq = 1; seq <= stored.size(); seq++) {
                    gapFree.add(seq);
                }
                assertEquals(gapFree, stored, "channel " + i + ": sequences without gaps");
                assertEquals(ledger.committed(roster.channel(i)), stored, "channel " + i + ": exactly the acknowledged sends");
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT client_msg_id) FROM messages")) {
                rs.next();
                assertEquals(rs.getLong(1), rs.getLong(2), "one row per client_msg_id");
            }
        }
    }
}
