package dev.switchboard.app.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.Publication;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client stops reading in the middle of a firehose (9.4 MiB for every
 * subscriber, more than its outbound budget and the socket buffers hold): the edge disconnects it as a slow consumer once its outbound
 * budget (1 MiB by default) is spent, the other subscribers get everything in
 * order, and the node's memory does not keep what the slow client refused.
 * (The edge-level rule itself, with tight water marks, is
 * EdgeServerIT.slowConsumerIsDisconnectedWhileOthersKeepReceiving; this one
 * measures it in the production topology, with default limits.)
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class SlowConsumerFaultIT {
    static final int FAST = 10;
    static final int PUBLICATIONS = 600;
    static final int PAYLOAD = 16 * 1024;
    static final String CHANNEL = "acme/firehose";

    @Test
    void slowConsumerIsCutOffWithoutGrowingTheNodeOrSlowingOthers() throws Exception {
        try (Fleet fleet = new Fleet(1)) {
            EdgeServer edge = fleet.edges.get(0);
            Fleet.Recorder slowRec = new Fleet.Recorder();
            WireConnection slow = WireConnection.builder(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"),
                            fleet.token("slow", "acme")).resources(fleet.clients).listener(slowRec)
                    .receiveBufferSize(4096).connect().get(10, TimeUnit.SECONDS);
            slow.hello().get(10, TimeUnit.SECONDS);
            slow.subscribe(CHANNEL).get(10, TimeUnit.SECONDS);
            List<Fleet.Recorder> fast = new ArrayList<>();
            for (int i = 0; i < FAST; i++) {
                Fleet.Recorder r = fleet.connect(0, "fast" + i, "acme");
                r.client.subscribe(CHANNEL).get(10, TimeUnit.SECONDS);
                fast.add(r);
            }
            Fleet.Recorder publisher = fleet.connect(0, "pub", "acme");
            long heapBefore = Memory.heapAfterGc();
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

            slow.reading(false);
            long start = System.nanoTime();
            byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < PUBLICATIONS; i++) {
                ByteBuffer.wrap(payload).putInt(i);
                publisher.client.publish(CHANNEL, payload).get(10, TimeUnit.SECONDS);
            }
            for (Fleet.Recorder r : fast) {
                for (int i = 0; i < PUBLICATIONS; i++) {
                    Publication p = r.publications.poll(30, TimeUnit.SECONDS);
                    assertNotNull(p, "a fast consumer missed publication " + i);
                    assertEquals(i, p.getPayload().asReadOnlyByteBuffer().getInt(), "in order, once");
                }
            }
            long othersDoneMs = Deliveries.ms(System.nanoTime() - start);
            assertTrue(edge.metrics().slowConsumerCount() >= 1, "the slow consumer was disconnected");
            long directPeak = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            slow.reading(true);
            // The close frame queues behind the data the client never read, so the client may see
            // the connection reset instead (-1); the server's counter is the authority.
            int closeCode = slow.closeFuture().get(10, TimeUnit.SECONDS);
            assertTrue(closeCode == DisconnectCode.SLOW_CONSUMER.code() || closeCode == -1, "close code " + closeCode);
            assertFalse(slow.isOpen());
            assertEquals(FAST + 1, edge.hub().sessionCount(), "everyone else is still connected");
            long heapAfter = Memory.heapAfterGc();
            long directAfter = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            assertTrue(heapAfter - heapBefore < 8 * 1024 * 1024,
                    "the node does not keep what the slow client refused: heap grew by " + Memory.mib(heapAfter - heapBefore));

            new FaultReport("slow-consumer")
                    .put("subscribers", FAST + " reading + 1 that stops reading")
                    .put("published", PUBLICATIONS + " x " + PAYLOAD / 1024 + " KiB ("
                            + Memory.mib(PUBLICATIONS * (long) PAYLOAD) + " per subscriber)")
                    .put("delivered to each reading subscriber", PUBLICATIONS + " (in order, no duplicates)")
                    .put("slow consumer", "disconnected (server slow-consumer count "
                            + (long) edge.metrics().slowConsumerCount() + ", close code seen by the client " + closeCode + ")")
                    .put("flood start to every reading subscriber done ms", othersDoneMs)
                    .put("heap after GC before, after", Memory.mib(heapBefore) + ", " + Memory.mib(heapAfter))
                    .put("pooled direct memory before, at the end of the flood, after",
                            Memory.mib(directBefore) + ", " + Memory.mib(directPeak) + ", " + Memory.mib(directAfter))
                    .write();
        }
    }
}
