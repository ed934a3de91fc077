package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.MayHaveMissed;
import dev.switchboard.wire.proto.ServerFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivery in order, once (S2 to S5): the client's own message back once, a sequence gap filled from
 * history, a publication already delivered dropped, {@code may_have_missed} read from history. */
class DeliveryScenariosTest extends ScenarioFixture {
    @Test
    void s02_publishesWithAClientMsgIdAndGetsItsOwnMessageBackOnce() throws Exception {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        PublishResult r = join(h.client.sendMessage(CH, "hello", "m-1"));
        assertEquals(1, r.seq());
        assertEquals("m-1", r.clientMsgId());
        until(() -> h.got.size() == 1);
        assertEquals("m-1", h.got.get(0).clientMsgId());
        assertTrue(h.got.get(0).text().contains("hello"));
        assertEquals(null, new Publication("c", 0, "", 0, new byte[] {1, 2}, 0, "").chatText());
        assertEquals("hi \"there\"", new Publication("c", 1, "", 0,
                "{\"id\":1,\"text\":\"hi \\\"there\\\"\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, "").chatText());
        assertTrue(h.threads.get(0).isVirtual(), "listener calls run on the callback executor (virtual threads), never on the event loop");
        String generated = join(h.client.publish(CH, new byte[] {1}, null)).clientMsgId();
        assertFalse(generated.isEmpty());
    }

    @Test
    void s03_fillsASequenceGapFromHistoryAndDeliversInOrderOnce() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        edge.dropLive.addAll(List.of(2L, 3L));
        edge.commit(CH, "two");
        edge.commit(CH, "three");
        edge.commit(CH, "four");
        until(() -> h.got.size() == 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), h.seqs());
        assertFalse(edge.current().commands(ClientFrame.CommandCase.HISTORY).isEmpty());
    }

    @Test
    void s04_dropsAPublicationItAlreadyDelivered() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        var p = edge.commit(CH, "one");
        edge.fanOut(p);
        edge.fanOut(p);
        edge.commit(CH, "two");
        until(() -> h.got.size() == 2);
        assertEquals(List.of(1L, 2L), h.seqs());
    }

    @Test
    void s05_mayHaveMissedReadsHistoryWithoutTheAppsHelp() {
        edge.memberOf.add(CH);
        Heard h = client();
        join(h.client.connect());
        edge.commit(CH, "one");
        edge.dropLive.addAll(List.of(2L, 3L));
        edge.commit(CH, "lost-2");
        edge.commit(CH, "lost-3");
        until(() -> h.got.size() == 1);
        edge.current().deliver(ServerFrame.newBuilder().setMayHaveMissed(MayHaveMissed.newBuilder().setChannel(CH).setReason("broker")).build());
        until(() -> h.got.size() == 3);
        assertEquals(List.of(1L, 2L, 3L), h.seqs());
    }
}
