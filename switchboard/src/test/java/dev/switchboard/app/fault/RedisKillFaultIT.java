package dev.switchboard.app.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.Endpoint;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis is SIGKILLed under traffic and restarted on the same port: sends keep
 * committing (the database is up; the publish after the commit fails and is
 * counted), nothing reaches the clients while Redis is gone, and after the
 * restart the edge nodes resubscribe and signal "may have missed", clients
 * fill the gap from history, and every member of both nodes ends with every
 * committed message exactly once, in order, without reconnecting.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class RedisKillFaultIT {
    static final int USERS = 80;
    static final int CHANNELS = 4;
    static final int MESSAGES = 300;
    static final int FAULT_AT = 100;
    static final Duration OUTAGE = Duration.ofSeconds(2);

    @Test
    void killedRedisLosesNoCommittedMessageForAnyClient() throws Exception {
        try (Fleet fleet = new Fleet(2)) {
            Roster roster = Roster.create(fleet, "acme", USERS, CHANNELS);
            // Alternate nodes, so that every channel has members on both and crosses Redis.
            List<Member> members = Member.connectAll(fleet, roster, USERS,
                    i -> Endpoint.fixed(URI.create("ws://127.0.0.1:" + fleet.edges.get(i / CHANNELS % 2).port() + "/ws")));
            long heapBefore = Memory.heapAfterGc();

            Ledger ledger = new Ledger();
            Sender sender = new Sender(fleet, roster, ledger, "redis", MESSAGES, Duration.ofMillis(10)).start();
            sender.awaitAcknowledged(FAULT_AT, Duration.ofSeconds(60));
            long fault = System.nanoTime();
            fleet.redis.kill();
            // The outage's length is the fault injected: the sender keeps sending while Redis is down.
            Thread.sleep(OUTAGE.toMillis());
            int committedDuringOutage = ledger.total() - FAULT_AT;
            Map<String, Integer> committedAtRestart = new HashMap<>();
            for (int c = 0; c < CHANNELS; c++) {
                committedAtRestart.put(roster.channel(c), ledger.committed(roster.channel(c)).size());
            }
            long restart = System.nanoTime();
            fleet.redis.start();
            long caughtUp = Deliveries.awaitCaughtUp(members, roster, committedAtRestart, TimeUnit.SECONDS.toNanos(30));
            assertNotEquals(-1, caughtUp, "every client catches up with what was committed before the restart");
            sender.join(Duration.ofSeconds(120));

            Ledger.Tally total = Deliveries.awaitEvery(members, roster, ledger);
            long firstDelivery = Long.MAX_VALUE;
            int signalled = 0;
            for (Member m : members) {
                assertEquals(1, m.connections(), m.user + " never reconnected: the edge keeps its sessions " + m.disconnects());
                long t = m.deliveredAfter(restart);
                firstDelivery = t > 0 ? Math.min(firstDelivery, t) : firstDelivery;
                signalled += m.mayHaveMissed() > 0 ? 1 : 0;
            }
            assertTrue(committedDuringOutage > 0, "sends kept committing while Redis was down");
            assertEquals(MESSAGES, ledger.total());
            assertEquals(0, total.duplicates(), "no duplicates");
            assertTrue(total.exact(), "every member got every committed message of its channel once, in order");
            long heapAfter = Memory.heapAfterGc();

            new FaultReport("redis-kill")
                    .put("clients", USERS + " on 2 edge nodes")
                    .put("messages committed", ledger.total())
                    .put("committed while Redis was down", committedDuringOutage)
                    .tally(total)
                    .put("clients signalled may-have-missed", signalled)
                    .put("outage (kill to restart) ms", Deliveries.ms(restart - fault))
                    .put("restart to first delivery ms", Deliveries.ms(firstDelivery - restart))
                    .put("restart to every client caught up ms", Deliveries.ms(caughtUp - restart))
                    .put("heap after GC before (2 edges, message-service, clients)", Memory.mib(heapBefore))
                    .put("heap after GC after", Memory.mib(heapAfter))
                    .write();
            members.forEach(m -> m.client.close());
        }
    }
}
