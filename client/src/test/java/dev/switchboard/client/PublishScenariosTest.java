package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.switchboard.wire.proto.ClientFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Publishing across faults (S8 to S10): queued while disconnected and sent once in order, an in-flight chat
 * publish sent again with its id, an in-flight ephemeral one failed, temporary errors retried. */
class PublishScenariosTest extends ScenarioFixture {
    @Test
    void s08_queuesPublishesMadeWhileDisconnectedAndSendsEachOnceInOrder() {
        edge.memberOf.add(CH);
        Heard h = client(Endpoint.fixed(edge.url()), TokenProvider.of("t"),
                fast().backoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        join(h.client.connect());
        edge.current().drop(4000, true, 300);
        until(() -> h.client.state() == ConnectionState.DISCONNECTED);
        List<CompletableFuture<PublishResult>> sends = List.of(h.client.sendMessage(CH, "a"), h.client.sendMessage(CH, "b"),
                h.client.sendMessage(CH, "c"));
        assertEquals(List.of(1L, 2L, 3L), sends.stream().map(f -> join(f).seq()).toList());
        until(() -> h.got.size() == 3);
        assertEquals(3, edge.log(CH).size());
    }

    @Test
    void s09_sendsAnInFlightChatPublishAgainWithTheSameIdStoredOnceDeliveredOnce() throws Exception {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.swallowPublishReplies = true;
        CompletableFuture<PublishResult> sent = h.client.sendMessage(CH, "once", "k-1");
        until(() -> edge.log(CH).size() == 1);
        edge.swallowPublishReplies = false;
        edge.current().drop(4006, true, 0);
        assertEquals(1, join(sent).seq());
        until(() -> h.got.size() == 1);
        Thread.sleep(30); // a second delivery would show by now: there is no condition to wait for
        assertEquals(1, h.got.size());
        assertEquals(1, edge.log(CH).size());
    }

    @Test
    void s10_failsAnInFlightEphemeralPublishInsteadOfRiskingASecondDelivery() {
        Heard h = client();
        join(h.client.connect());
        edge.swallowPublishReplies = true;
        edge.publishErrors.clear();
        CompletableFuture<PublishResult> sent = h.client.publish("acme/room", new byte[] {1}, "e-1");
        until(() -> !edge.current().commands(ClientFrame.CommandCase.PUBLISH).isEmpty());
        edge.current().kill();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> join(sent));
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
    }

    @Test
    void s10_retriesATemporaryErrorAndGivesUpOnAPermanentOne() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.publishErrors.add(new int[] {115, 1});
        assertEquals(1, join(h.client.sendMessage(CH, "after retry")).seq());
        edge.publishErrors.add(new int[] {103, 0});
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> join(h.client.sendMessage(CH, "denied")));
        assertEquals(dev.switchboard.wire.ErrorCode.PERMISSION_DENIED, ((SwitchboardException) e.getCause()).code());
    }
}
