package dev.switchboard.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.internal.RecordingListener;
import dev.switchboard.client.internal.WireConnection;
import dev.switchboard.edge.EdgeServer;
import dev.switchboard.edge.EdgeServerOptions;
import dev.switchboard.edge.hub.LoopHub;
import dev.switchboard.testing.NoBlockingOnEventLoops;
import dev.switchboard.wire.DisconnectCode;
import dev.switchboard.wire.proto.ClientFrame;
import dev.switchboard.wire.proto.History;
import dev.switchboard.wire.proto.HistoryResult;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member asks for history pages of a channel full of large messages, again and
 * again, and never reads the answers: every answer counts against the session's
 * hard cap (1 MiB by default), so the node holds at most that for it and closes
 * it as a slow consumer (4001), which the client learns once it reads. History
 * pages are cut to fit the session's budget, and a client that reads pages on by
 * {@code next_cursor} gets the whole channel.
 */
@ExtendWith(NoBlockingOnEventLoops.class)
class ReplyFloodSecurityIT {
    static final int CAP = EdgeServerOptions.DEFAULT_MAX_OUTBOUND_BYTES;
    static final int GOODBYE = 1024;
    static final int MESSAGES = 80;
    static final int TEXT = 9_000;

    @Test
    void aHistoryFloodWithoutReadingIsClosedAtTheHardCap() throws Exception {
        try (Fleet fleet = new Fleet(1, null, b -> b.closeGrace(Duration.ofSeconds(30)))) {
            EdgeServer edge = fleet.edges.get(0);
            fleet.createUser("acme", "ann");
            fleet.createUser("acme", "eve");
            Fleet.Rest group = fleet.rest("POST", "/v1/channels", fleet.token("ann", "acme"),
                    "{\"name\":\"big\",\"type\":\"GROUP\",\"members\":[\"ann\",\"eve\"]}");
            long id = group.body().path("channel").path("id").asLong(group.body().path("id").asLong());
            String channel = "acme/chat/" + id;
            String text = "y".repeat(TEXT);
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(201, fleet.rest("POST", "/v1/channels/" + id + "/messages", fleet.token("ann", "acme"),
                        "{\"text\":\"" + i + text + "\",\"client_msg_id\":\"big-" + i + "\"}").status());
            }

            // A reader pages through it all, page cuts included.
            Fleet.Recorder reader = fleet.connect(0, "ann", "acme");
            int seen = 0;
            long after = 0;
            while (true) {
                HistoryResult page = reader.client.historyAfter(channel, after, 200).get(10, TimeUnit.SECONDS);
                seen += page.getPublicationsCount();
                if (page.getNextCursor() == 0) {
                    break;
                }
                assertTrue(page.getPublicationsCount() < MESSAGES, "pages of ~" + TEXT + " B messages are cut to the budget");
                after = page.getNextCursor();
            }
            assertEquals(MESSAGES, seen, "paging on by next_cursor gets every message");

            AtomicLong most = new AtomicLong();
            AtomicBoolean flooding = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (flooding.get()) {
                    most.accumulateAndGet(edge.hub().outboundBytes(), Math::max);
                    try {
                        Thread.sleep(10); // samples the outbound bytes every 10 ms while the flood runs
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            RecordingListener heard = new RecordingListener();
            WireConnection flooder = WireConnection.builder(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"),
                    fleet.token("eve", "acme")).resources(fleet.clients).listener(heard).receiveBufferSize(4096)
                    .connect().get(10, TimeUnit.SECONDS);
            flooder.hello().get(10, TimeUnit.SECONDS);
            flooder.reading(false);
            // 300 asks stay inside the command budget (a burst of 400), so the cap is what answers: each page is up
            // to a quarter of it, and the kernel's buffers take only a few MiB.
            ClientFrame[] asks = new ClientFrame[50];
            for (int i = 0; i < 6; i++) {
                for (int k = 0; k < asks.length; k++) {
                    asks[k] = ClientFrame.newBuilder().setId(flooder.nextId())
                            .setHistory(History.newBuilder().setChannel(channel).setForward(true).setLimit(200)).build();
                }
                flooder.send(asks);
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> edge.metrics().slowConsumerCount() >= 1);
            // The sampler sees what the node holds for the closing session once two more sweeps measured it.
            int[] ticks = edge.hub().loops().stream().mapToInt(LoopHub::tick).toArray();
            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                for (int i = 0; i < ticks.length; i++) {
                    if (edge.hub().loops().get(i).tick() < ticks[i] + 2) {
                        return false;
                    }
                }
                return true;
            });
            flooding.set(false);
            sampler.join();
            assertTrue(most.get() <= CAP + GOODBYE, "the node held " + most.get() + " bytes for a client that never reads");

            flooder.reading(true);
            assertEquals(DisconnectCode.SLOW_CONSUMER.code(), flooder.closeFuture().get(30, TimeUnit.SECONDS));
            assertEquals(DisconnectCode.SLOW_CONSUMER.code(), heard.disconnects.poll(5, TimeUnit.SECONDS).getCode());
            assertTrue(reader.client.isOpen(), "the other member is unaffected");
        }
    }
}
