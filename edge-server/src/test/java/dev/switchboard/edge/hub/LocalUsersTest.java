package dev.switchboard.edge.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.Interest;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.edge.session.Session;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalUsersTest {
    private static final String ANN = "acme/#ann";
    private final EmbeddedChannel timer = new EmbeddedChannel();
    private final MemoryBroker broker = new MemoryBroker();
    private final LocalUsers users = new LocalUsers(new Interest(broker, timer.eventLoop(), Duration.ofSeconds(1)));
    private long ids;

    private Session session(String user) {
        return new Session(++ids, user, "acme", 0, null, null);
    }

    @AfterEach
    void noTimerLeft() {
        assertFalse(timer.finish());
    }

    private void lingerPasses() {
        timer.advanceTimeBy(1, TimeUnit.SECONDS);
        timer.runScheduledPendingTasks();
    }

    @Test
    void routesAUsersChannelToEachOfItsSessionsOnceWithOneRecordAndOneSubscription() {
        Session a = session("ann");
        Session b = session("ann");
        assertNotSame(a.user(), b.user(), "not registered yet: each session has its own");
        LocalUser r = users.route(a);
        assertSame(a.user(), r, "the first session's record is registered");
        assertSame(r, users.route(a));
        assertSame(r, users.route(b), "a later session gets the registered record");
        assertArrayEquals(new Session[] {a, b}, users.sessions(ANN));
        assertEquals(2, users.sessionCount(ANN));
        assertEquals(1, users.routedUsers());
        assertEquals(2, users.routedSessions());
        assertEquals(Set.of(ANN), broker.subscriptions());
        assertTrue(r.ready().isDone());
    }

    @Test
    void theLastSessionGoneUnsubscribesAfterTheLingerAndDropsTheRecord() {
        Session a = session("ann");
        Session b = session("ann");
        users.route(a);
        users.route(b);
        assertTrue(users.unroute(a));
        assertFalse(users.unroute(a));
        assertArrayEquals(new Session[] {b}, users.sessions(ANN));
        assertTrue(users.unroute(b));
        assertEquals(0, users.sessions(ANN).length);
        assertEquals(0, users.routedUsers());
        assertEquals(Set.of(ANN), broker.subscriptions(), "lingering");
        assertEquals(1, users.size());
        lingerPasses();
        assertEquals(Set.of(), broker.subscriptions());
        assertEquals(0, users.size());
    }

    @Test
    void aSessionBackWithinTheLingerKeepsTheSubscription() {
        Session a = session("ann");
        users.route(a);
        users.unroute(a);
        Session again = session("ann");
        users.route(again);
        lingerPasses();
        assertEquals(Set.of(ANN), broker.subscriptions());
        assertArrayEquals(new Session[] {again}, users.sessions(ANN));
        users.unroute(again);
        lingerPasses();
        assertEquals(Set.of(), broker.subscriptions());
    }

    @Test
    void connectionSlotsAreCountedInTheSameRecordAsTheRoute() {
        assertTrue(users.takeSlot("acme", "ann", 2));
        assertTrue(users.takeSlot("acme", "ann", 2));
        assertFalse(users.takeSlot("acme", "ann", 2));
        assertEquals(2, users.slots("acme", "ann"));
        assertEquals(0, users.slots("globex", "ann"));
        LocalUser registered = users.identity("acme", "ann");
        assertSame(registered, users.identity("acme", "ann"));
        Session a = session("ann");
        assertSame(registered, users.route(a), "the route joins the record the slots made");
        users.releaseSlot("acme", "ann");
        users.releaseSlot("acme", "ann");
        assertEquals(1, users.size(), "still routed");
        users.unroute(a);
        lingerPasses();
        assertEquals(0, users.size());
        assertNotSame(registered, users.identity("acme", "ann"), "a new record once the user is gone");
    }
}
