package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.ClientFrame;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Connecting (S1, S13, S14): the session and the server's channels, the next URL when one cannot be reached,
 * the endpoint asked on every connect, the token refreshed before it expires. */
class ConnectScenariosTest extends ScenarioFixture {
    @Test
    void s01_connectsAndReportsTheSessionAndTheServersChannels() {
        edge.memberOf.add(CH);
        Heard h = client();
        Session s = join(h.client.connect());
        assertEquals("alice", s.userId());
        assertEquals(1, s.connection());
        assertTrue(s.channels().contains(CH));
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), h.states);
        var hello = edge.current().commands(ClientFrame.CommandCase.CONNECT).get(0).getConnect();
        assertEquals("switchboard-java", hello.getClientName());
        assertEquals(SwitchboardClient.VERSION, hello.getClientVersion());
        assertEquals(java.util.Map.of(CH, 0L), h.client.positions());
    }

    @Test
    void s01_triesTheNextUrlWhenOneCannotBeReached() {
        URI dead = URI.create("ws://127.0.0.1:1/ws");
        Heard h = client(token -> CompletableFuture.completedFuture(List.of(dead, edge.url())), TokenProvider.of("t"), fast());
        assertEquals(edge.url(), join(h.client.connect()).url());
    }

    @Test
    void s13_asksTheProviderForANewTokenBeforeExpiryAndSendsRefresh() {
        edge.tokenExpiresAtMs = System.currentTimeMillis() + 100;
        AtomicInteger n = new AtomicInteger();
        Heard h = client(Endpoint.fixed(edge.url()), () -> CompletableFuture.completedFuture("t" + n.getAndIncrement()), fast());
        join(h.client.connect());
        until(() -> edge.current().commands(ClientFrame.CommandCase.REFRESH).size() == 1);
        assertEquals("t1", edge.current().commands(ClientFrame.CommandCase.REFRESH).get(0).getRefresh().getToken());
        until(() -> h.client.session().tokenExpiresAtMs() > System.currentTimeMillis() + 1_000_000);
    }

    @Test
    void s14_asksTheEndpointOnEveryConnectAndFallsBackInItsOrder() {
        List<String> asked = new CopyOnWriteArrayList<>();
        URI dead = URI.create("ws://127.0.0.1:1/ws");
        AtomicInteger n = new AtomicInteger();
        Heard h = client(token -> {
            asked.add(token);
            return CompletableFuture.completedFuture(List.of(dead, edge.url()));
        }, () -> CompletableFuture.completedFuture("t" + n.getAndIncrement()), fast());
        assertEquals(edge.url(), join(h.client.connect()).url());
        edge.current().drop(4004, true, 0);
        until(() -> h.client.session().connection() == 2);
        assertEquals(List.of("t0", "t1"), asked);
    }
}
