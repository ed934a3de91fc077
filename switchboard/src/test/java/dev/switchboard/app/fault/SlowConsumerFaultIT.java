package dev.switchboard.app.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.app.Fleet;
import dev.switchboard.client.Endpoint;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member of a busy chat channel stalls (to the edge, its client stops reading
 * the socket) while the channel carries more than the kernel's socket buffers
 * and the edge's soft mark hold: the edge sheds the channel for it instead of
 * disconnecting it, and tells it so ({@code may_have_missed}) once it reads
 * again; the member's client (the Java SDK) reads the gap from history and ends
 * with every message exactly once, in order, on its first connection. The other
 * members get everything live, and the node does not keep what the stalled
 * client did not read. Production topology.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class SlowConsumerFaultIT {
    static final int FAST = 4;
    /** Sender u0, stalled member u1, the others read. */
    static final int USERS = FAST + 2;
    /** Sent after the stalled member was shed, while it reads again. */
    static final int AFTER_SHED = 100;
    /** At most this many are sent to get it shed (the kernel's buffers take ~3-4 MiB on loopback, then the soft mark). */
    static final int MAX_MESSAGES = 3_000;
    /** Large chat messages, so that the buffers fill quickly. */
    static final int TEXT = 9_000;

    @Test
    void aStalledMemberIsShedThenRecoversEveryMessageFromHistoryWithoutBeingDisconnected() throws Exception {
        // The member stops reading until the flood passes the kernel's buffers and the soft mark; on a loaded
        // machine the message-service persists that slowly, so the slow-consumer timeout (10 s of not draining,
        // which would disconnect it: EdgeServerIT covers it) is raised. Every other limit is the default.
        try (Fleet fleet = new Fleet(1, null, b -> b.slowConsumerTimeout(Duration.ofMinutes(5)));
             StallingProxy proxy = new StallingProxy(fleet.edges.get(0).port())) {
            EdgeServer edge = fleet.edges.get(0);
            Roster roster = Roster.create(fleet, "acme", USERS, 1);
            String channel = roster.channel(0);
            Endpoint direct = Endpoint.fixed(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"));
            Endpoint stalling = Endpoint.fixed(proxy.webSocketUri());
            List<Member> members = Member.connectAll(fleet, roster, USERS, i -> i == 1 ? stalling : direct);
            Member sender = members.get(0);
            Member stalled = members.get(1);
            long heapBefore = Memory.heapAfterGc();
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

            proxy.stall(true);
            long start = System.nanoTime();
            String text = "x".repeat(TEXT);
            List<CompletableFuture<?>> window = new ArrayList<>();
            int sent = 0;
            int shedAfter = -1;
            for (int i = 0; i < MAX_MESSAGES && (shedAfter < 0 || i < shedAfter + AFTER_SHED); i++) {
                window.add(sender.client.sendMessage(channel, i + " " + text, "slow-" + i));
                sent++;
                if (window.size() == 16) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                    window.clear();
                }
                if (shedAfter < 0 && edge.metrics().publicationsShedCount() >= 1) {
                    // Shed: the member's client reads again while the channel stays busy.
                    proxy.stall(false);
                    shedAfter = i;
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertTrue(shedAfter >= 0, "the stalled member was shed while the channel was busy");
            int messages = sent;
            List<Long> all = LongStream.rangeClosed(1, messages).boxed().toList();
            for (Member m : members) {
                await().atMost(60, TimeUnit.SECONDS).until(() -> m.delivered(channel).size() >= messages);
            }
            long doneMs = Deliveries.ms(System.nanoTime() - start);
            Thread.sleep(300); // late duplicates would arrive now
            for (Member m : members) {
                assertEquals(all, m.delivered(channel), m.user + ": every message once, in order");
                assertEquals(1, m.connections(), m.user + " was never disconnected");
            }
            assertTrue(stalled.mayHaveMissed() >= 1, "the stalled member was told what it missed");
            assertEquals(0, (long) edge.metrics().slowConsumerCount(), "shed, not disconnected");
            long heapAfter = Memory.heapAfterGc();
            long directAfter = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            assertTrue(heapAfter - heapBefore < 16 * 1024 * 1024,
                    "the node does not keep what the stalled client did not read: heap grew by " + Memory.mib(heapAfter - heapBefore));

            new FaultReport("slow-consumer")
                    .put("members", FAST + " reading + 1 that stops reading until it is shed + the sender")
                    .put("sent", messages + " chat messages of ~" + TEXT / 1000 + " KB (" + Memory.mib((long) messages * TEXT)
                            + "); the stalled member was shed after " + shedAfter)
                    .put("every member, the stalled one too", messages + " delivered, in order, no duplicates, one connection")
                    .put("stalled member", "shed (channels shed " + (long) edge.metrics().publicationsShedCount()
                            + ", may_have_missed received " + stalled.mayHaveMissed() + "), filled from history, not disconnected")
                    .put("flood start to every member complete ms", doneMs)
                    .put("heap after GC before, after", Memory.mib(heapBefore) + ", " + Memory.mib(heapAfter))
                    .put("pooled direct memory before, after", Memory.mib(directBefore) + ", " + Memory.mib(directAfter))
                    .write();
        }
    }
}
