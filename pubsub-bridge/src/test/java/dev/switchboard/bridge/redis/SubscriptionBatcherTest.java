package dev.switchboard.bridge.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.BrokerUnavailableException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching and bookkeeping rules, against a sink that records what it would send to Redis. */
class SubscriptionBatcherTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final RecordingSink sink = new RecordingSink();
    private final SubscriptionBatcher batcher = new SubscriptionBatcher(sink, executor,
            TimeUnit.MILLISECONDS.toNanos(20), 3, e -> e);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void changesWithinOneWindowGoOutTogetherInChunks() throws Exception {
        List<CompletableFuture<Void>> all = List.of(batcher.subscribe("a"), batcher.subscribe("b"),
                batcher.subscribe("c"), batcher.subscribe("d"));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("SUBSCRIBE [a, b, c]", "SUBSCRIBE [d]"), sink.commands);
        assertEquals(Set.of("a", "b", "c", "d"), batcher.wanted());
    }

    @Test
    void subscribingTwiceSendsOnce() throws Exception {
        CompletableFuture<Void> first = batcher.subscribe("a");
        CompletableFuture<Void> second = batcher.subscribe("a");
        second.get(5, TimeUnit.SECONDS);
        assertTrue(first == second);
        batcher.subscribe("a").get(5, TimeUnit.SECONDS);
        assertEquals(List.of("SUBSCRIBE [a]"), sink.commands);
    }

    @Test
    void anUnsubscribeWithinTheWindowCancelsThePendingSubscribe() throws Exception {
        CompletableFuture<Void> sub = batcher.subscribe("a");
        CompletableFuture<Void> unsub = batcher.unsubscribe("a");
        unsub.get(5, TimeUnit.SECONDS);
        assertTrue(sub.isDone() && !sub.isCompletedExceptionally());
        // Redis may hold the channel from an earlier window, so the UNSUBSCRIBE still goes out.
        assertEquals(List.of("UNSUBSCRIBE [a]"), sink.commands);
        assertFalse(batcher.isWanted("a"));
    }

    @Test
    void unsubscribingWhatIsNotWantedSendsNothing() throws Exception {
        batcher.unsubscribe("never").get(5, TimeUnit.SECONDS);
        Thread.sleep(50); // absence has no condition to wait for: a 20 ms batch window would have flushed by now
        assertEquals(List.of(), sink.commands);
    }

    @Test
    void aFailedSubscribeStaysWantedAndIsSentAgainOnResubscribe() throws Exception {
        sink.failNext = true;
        CompletableFuture<Void> failed = batcher.subscribe("a");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> failed.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokerUnavailableException);
        assertTrue(batcher.isWanted("a"));

        CompletableFuture<Void> waiting = batcher.subscribe("a");
        assertFalse(waiting.isDone(), "a later caller waits for the resubscribe, not the old failure");
        assertEquals(Set.of("a"), batcher.resubscribeAll().get(5, TimeUnit.SECONDS));
        waiting.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("SUBSCRIBE [a]", "SUBSCRIBE [a]"), sink.commands);
    }

    @Test
    void aLateConfirmationFromRedisCompletesCallersWaitingAfterAFailure() throws Exception {
        sink.failNext = true;
        CompletableFuture<Void> failed = batcher.subscribe("a");
        assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
        CompletableFuture<Void> waiting = batcher.subscribe("a");
        assertFalse(waiting.isDone());
        // The SUBSCRIBE timed out here, but Redis executed it and says so.
        batcher.confirmed("a");
        waiting.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("SUBSCRIBE [a]"), sink.commands, "nothing sent again");
    }

    @Test
    void anUnwantedConfirmationIsTakenBack() throws Exception {
        batcher.ensureUnsubscribed("stray");
        batcher.subscribe("kept").get(5, TimeUnit.SECONDS);
        batcher.ensureUnsubscribed("kept");
        Thread.sleep(50); // absence has no condition to wait for: a 20 ms batch window would have flushed by now
        assertEquals(List.of("UNSUBSCRIBE [stray]", "SUBSCRIBE [kept]"), sink.commands);
    }

    private static final class RecordingSink implements SubscriptionBatcher.Sink {
        final List<String> commands = new CopyOnWriteArrayList<>();
        volatile boolean failNext;

        @Override
        public CompletionStage<Void> subscribe(List<String> channels) {
            commands.add("SUBSCRIBE " + channels);
            if (failNext) {
                failNext = false;
                return CompletableFuture.failedFuture(new BrokerUnavailableException("down"));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> unsubscribe(List<String> channels) {
            commands.add("UNSUBSCRIBE " + channels);
            return CompletableFuture.completedFuture(null);
        }
    }
}
