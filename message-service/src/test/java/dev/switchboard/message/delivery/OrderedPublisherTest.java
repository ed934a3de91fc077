package dev.switchboard.message.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.Channel;
import dev.switchboard.message.ChannelType;
import dev.switchboard.message.Message;
import dev.switchboard.message.RecordingBroker;
import dev.switchboard.message.store.SequenceListener.Ticket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrderedPublisherTest {
    static final Channel CHANNEL = new Channel(7, "acme", "general", ChannelType.GROUP, 0, Instant.EPOCH);

    @Test
    void publishesInSequenceOrderWhateverOrderCommitsReturnIn() {
        try (RecordingBroker broker = new RecordingBroker()) {
            broker.subscribe(CHANNEL.realtimeName());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            OrderedPublisher publisher = new OrderedPublisher(broker.broker(), registry);
            Ticket one = publisher.sequenced(CHANNEL, 1);
            Ticket two = publisher.sequenced(CHANNEL, 2);
            Ticket three = publisher.sequenced(CHANNEL, 3);

            three.committed(message(3));
            two.committed(message(2));
            assertTrue(broker.all().isEmpty(), "nothing passes sequence 1 while it is open");
            one.abandoned();

            assertEquals(List.of(2L, 3L), seqs(broker));
            assertEquals(0, publisher.activeLanes(), "an empty lane is dropped");
            assertEquals(2.0, registry.get("switchboard.messages.published").counter().count());

            publisher.sequenced(CHANNEL, 4).committed(message(4));
            assertEquals(List.of(2L, 3L, 4L), seqs(broker));
        }
    }

    @Test
    void concurrentSettlersKeepTheOrder() throws Exception {
        try (RecordingBroker broker = new RecordingBroker()) {
            broker.subscribe(CHANNEL.realtimeName());
            OrderedPublisher publisher = new OrderedPublisher(broker.broker(), new SimpleMeterRegistry());
            int n = 2000;
            List<Ticket> tickets = new ArrayList<>();
            for (int seq = 1; seq <= n; seq++) {
                tickets.add(publisher.sequenced(CHANNEL, seq));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int lane = t;
                pool.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    // Each thread settles every fourth ticket, newest first: maximal disorder.
                    for (int i = n - 1 - lane; i >= 0; i -= 4) {
                        tickets.get(i).committed(message(i + 1));
                    }
                });
            }
            go.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            List<Long> seqs = seqs(broker);
            assertEquals(n, seqs.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i + 1, seqs.get(i));
            }
        }
    }

    @Test
    void aRefusedPublishIsCountedAndLaterOnesStillGo() {
        RecordingBroker broker = new RecordingBroker();
        broker.close(); // a closed MemoryBroker fails every publish
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OrderedPublisher publisher = new OrderedPublisher(broker.broker(), registry);
        publisher.sequenced(CHANNEL, 1).committed(message(1));
        publisher.sequenced(CHANNEL, 2).committed(message(2));
        assertEquals(2.0, registry.get("switchboard.messages.publish.failures").counter().count());
        assertEquals(0, publisher.activeLanes());
    }

    static Message message(long seq) {
        return new Message(100 + seq, CHANNEL.id(), seq, "ana", "m" + seq, null, null, Instant.ofEpochMilli(seq));
    }

    static List<Long> seqs(RecordingBroker broker) {
        return broker.all().stream().map(d -> d.frame().getPublication().getSeq()).toList();
    }
}
