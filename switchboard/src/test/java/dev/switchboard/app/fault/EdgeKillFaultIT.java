package dev.switchboard.app.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.Endpoint;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.testing.FreePorts;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An edge node is SIGKILLed under traffic: it runs in a process of its own;
 * its clients know two endpoints (it first, the surviving in-JVM node second),
 * reconnect to the survivor, tell it where they left off, and get what was
 * committed while they were away from history; no committed message is lost
 * or duplicated for anyone, on either node.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class EdgeKillFaultIT {
    static final int USERS = 100;
    static final int CHANNELS = 4;
    static final int MESSAGES = 300;
    static final int FAULT_AT = 100;

    @Test
    void killedNodesClientsMoveToTheSurvivorAndMissNothing() throws Exception {
        try (Fleet fleet = new Fleet(1)) {
            Roster roster = Roster.create(fleet, "acme", USERS, CHANNELS);
            int port = FreePorts.next();
            Process victim = fleet.startEdgeProcess("edge-victim", port);
            EdgeServer survivor = fleet.edges.get(0);
            URI victimUrl = URI.create("ws://127.0.0.1:" + port + "/ws");
            URI survivorUrl = URI.create("ws://127.0.0.1:" + survivor.port() + "/ws");
            // Even users start on the process and fall back to the survivor; odd users live on the survivor.
            Endpoint failover = token -> CompletableFuture.completedFuture(List.of(victimUrl, survivorUrl));

            List<Member> members = Member.connectAll(fleet, roster, USERS, i -> i % 2 == 0 ? failover : Endpoint.fixed(survivorUrl));
            for (int i = 0; i < USERS; i++) {
                assertEquals(i % 2 == 0 ? victimUrl : survivorUrl, members.get(i).client.session().url(), "u" + i + " starts on its node");
            }
            int survivorSessionsBefore = survivor.hub().sessionCount();
            long heapBefore = Memory.heapAfterGc();
            long victimRss = Memory.rss(victim.pid());

            Ledger ledger = new Ledger();
            Sender sender = new Sender(fleet, roster, ledger, "edge", MESSAGES, Duration.ofMillis(10)).start();
            sender.awaitAcknowledged(FAULT_AT, Duration.ofSeconds(60));
            long fault = System.nanoTime();
            victim.destroyForcibly(); // SIGKILL: no drain, no close frames
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
            sender.join(Duration.ofSeconds(120));

            Ledger.Tally total = Deliveries.awaitEvery(members, roster, ledger);
            List<Long> reconnectMs = new ArrayList<>();
            long firstMovedDelivery = Long.MAX_VALUE;
            // A moved client's first delivery after the kill: replayed history or live traffic, whichever came first.
            for (int i = 0; i < USERS; i += 2) {
                Member m = members.get(i);
                assertEquals(2, m.connections(), m.user + " reconnected once");
                assertEquals(survivorUrl, m.client.session().url(), m.user + " is on the survivor");
                reconnectMs.add(Deliveries.ms(m.connectedAfter(fault) - fault));
                long delivered = m.deliveredAfter(fault);
                if (delivered > 0) {
                    firstMovedDelivery = Math.min(firstMovedDelivery, delivered);
                }
            }
            for (int i = 1; i < USERS; i += 2) {
                assertEquals(1, members.get(i).connections(), "the survivor's own clients stay connected");
            }
            reconnectMs.sort(null);
            assertEquals(USERS, survivor.hub().sessionCount(), "every client is on the survivor");
            assertNotEquals(Long.MAX_VALUE, firstMovedDelivery, "moved clients receive again");
            assertEquals(MESSAGES, ledger.total());
            assertEquals(0, total.duplicates(), "no duplicates");
            assertTrue(total.exact(), "every member got every committed message of its channel once, in order");
            long heapAfter = Memory.heapAfterGc();

            new FaultReport("edge-kill")
                    .put("clients", USERS).put("clients on the killed node", USERS / 2)
                    .put("messages committed", ledger.total())
                    .tally(total)
                    .put("kill to reconnect ms (min, p50, max)",
                            reconnectMs.getFirst() + ", " + reconnectMs.get(reconnectMs.size() / 2) + ", " + reconnectMs.getLast())
                    .put("kill to first delivery on a moved client ms", Deliveries.ms(firstMovedDelivery - fault))
                    .put("killed node RSS before kill", Memory.mib(victimRss))
                    .put("survivor sessions before, after", survivorSessionsBefore + ", " + survivor.hub().sessionCount())
                    .put("test JVM heap after GC before (survivor, message-service, clients)", Memory.mib(heapBefore))
                    .put("test JVM heap after GC after", Memory.mib(heapAfter))
                    .write();
            members.forEach(m -> m.client.close());
        }
    }
}
