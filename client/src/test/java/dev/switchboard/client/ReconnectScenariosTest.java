package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.StreamPosition;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Reconnecting or not (S6, S7, S12): after a reconnect code, a dropped socket or a refused connect the client
 * comes back, resumes from its positions and subscribes again; after a terminal code it stays closed. */
class ReconnectScenariosTest extends ScenarioFixture {
    @Test
    void s06_reconnectsAfterAReconnectCodeHonoursTheAdviceAndResumesFromItsPositions() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        until(() -> h.got.size() == 1);
        edge.current().drop(4000, true, 40);
        until(() -> !h.disconnects.isEmpty());
        edge.commit(CH, "while away");
        until(() -> h.got.size() == 2 && h.client.session().connection() == 2);
        Disconnected d = h.disconnects.get(0);
        assertEquals(4000, d.code());
        assertTrue(d.reconnect());
        assertTrue(d.delayMs() >= 40, "the server's advice is a floor: " + d.delayMs());
        until(() -> !edge.current().commands(ClientFrame.CommandCase.CONNECT).isEmpty());
        assertEquals(List.of(StreamPosition.newBuilder().setChannel(CH).setSeq(1).build()),
                edge.current().commands(ClientFrame.CommandCase.CONNECT).get(0).getConnect().getPositionsList());
        assertEquals(List.of(1L, 2L), h.seqs());
    }

    @Test
    void s06_reconnectsAfterTheSocketDropsWithoutACloseCode() {
        Heard h = client();
        join(h.client.connect());
        edge.current().kill();
        until(() -> h.client.state() == ConnectionState.CONNECTED && h.client.session().connection() == 2);
    }

    @Test
    void s06_retriesAConnectTheServerRefusesForNowAndCompletesTheFirstConnect() {
        edge.refuseConnects.set(3);
        Heard h = client();
        Session s = join(h.client.connect());
        assertEquals(1, s.connection());
        assertEquals(3, h.disconnects.size());
        assertTrue(h.disconnects.stream().allMatch(d -> d.code() == 4005 && d.reconnect() && d.delayMs() >= 50));
    }

    @Test
    void s07_doesNotReconnectAfterATerminalCodeAndFailsWhatWaits() {
        Heard h = client();
        join(h.client.connect());
        edge.current().drop(4503, false, 0);
        until(() -> h.client.state() == ConnectionState.CLOSED && !h.disconnects.isEmpty());
        assertFalse(h.disconnects.get(0).reconnect());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> join(h.client.publish(CH, new byte[] {1}, "x")));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(0, edge.sessions.size());
    }

    @Test
    void s07_doesNotReconnectWhenTheDisconnectSaysSoEvenWithA40xxCode() throws Exception {
        Heard h = client();
        join(h.client.connect());
        edge.current().drop(4006, false, 0);
        until(() -> h.client.state() == ConnectionState.CLOSED);
        Thread.sleep(50); // nothing may come back: there is no condition to wait for
        assertEquals(0, edge.sessions.size());
    }

    @Test
    void s12_subscribesAgainAfterAReconnectToWhatTheAppSubscribed() {
        Heard h = client();
        join(h.client.connect());
        join(h.client.subscribe("acme/room"));
        join(h.client.publish("acme/room", new byte[] {1}, null));
        until(() -> h.got.size() == 1);
        edge.current().kill();
        until(() -> h.client.session().connection() == 2 && edge.current() != null
                && edge.current().subscribed.contains("acme/room"));
    }
}
