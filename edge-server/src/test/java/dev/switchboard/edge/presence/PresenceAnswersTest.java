package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.wire.proto.PresenceResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PresenceAnswersTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final PresenceAnswers answers = new PresenceAnswers(Duration.ofSeconds(1), now::get);
    private final AtomicInteger worked = new AtomicInteger();

    private CompletableFuture<PresenceResult> work(String user) {
        worked.incrementAndGet();
        return CompletableFuture.completedFuture(PresenceResult.newBuilder().addOnlineUserIds(user).build());
    }

    @Test
    void manyQueriesOfOneChannelWithinTheWindowAreWorkedOutOnce() {
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(900_000); // 0.9 ms apart: 1000 queries in 0.9 s
            assertEquals("ann", answers.answer("acme/chat/1", () -> work("ann")).join().getOnlineUserIds(0));
        }
        assertEquals(1, worked.get());
    }

    @Test
    void anAnswerIsWorkedOutAgainOnceTheWindowHasPassed() {
        answers.answer("acme/chat/1", () -> work("ann")).join();
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertEquals("ann", answers.answer("acme/chat/1", () -> work("bob")).join().getOnlineUserIds(0));
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals("bob", answers.answer("acme/chat/1", () -> work("bob")).join().getOnlineUserIds(0));
        assertEquals(2, worked.get());
    }

    @Test
    void queriesWhileAnAnswerIsWorkedOutWaitForIt() {
        CompletableFuture<PresenceResult> slow = new CompletableFuture<>();
        CompletableFuture<PresenceResult> first = answers.answer("acme/chat/1", () -> slow);
        CompletableFuture<PresenceResult> second = answers.answer("acme/chat/1", () -> work("bob"));
        assertFalse(second.isDone());
        slow.complete(PresenceResult.newBuilder().addOnlineUserIds("ann").build());
        assertSame(first.join(), second.join());
        assertEquals(0, worked.get());
    }

    @Test
    void aChangeOfTheChannelDropsItsAnswer() {
        answers.answer("acme/chat/1", () -> work("ann")).join();
        answers.answer("acme/chat/2", () -> work("ann")).join();
        answers.forget("acme/chat/1");
        assertEquals("bob", answers.answer("acme/chat/1", () -> work("bob")).join().getOnlineUserIds(0));
        assertEquals("ann", answers.answer("acme/chat/2", () -> work("bob")).join().getOnlineUserIds(0), "other channels keep theirs");
        assertEquals(3, worked.get());
    }

    @Test
    void channelsAreAnsweredApart() {
        answers.answer("acme/chat/1", () -> work("ann")).join();
        assertEquals("bob", answers.answer("acme/chat/2", () -> work("bob")).join().getOnlineUserIds(0));
        assertEquals(2, worked.get());
    }

    @Test
    void aFailedAnswerGoesToThoseWaitingAndIsNotKept() {
        CompletableFuture<PresenceResult> failing = new CompletableFuture<>();
        CompletableFuture<PresenceResult> first = answers.answer("acme/chat/1", () -> failing);
        CompletableFuture<PresenceResult> waiting = answers.answer("acme/chat/1", () -> work("bob"));
        failing.completeExceptionally(new IllegalStateException("redis down"));
        assertThrows(ExecutionException.class, first::get);
        assertThrows(ExecutionException.class, waiting::get);
        assertEquals("bob", answers.answer("acme/chat/1", () -> work("bob")).join().getOnlineUserIds(0));
        CompletableFuture<PresenceResult> thrown = answers.answer("acme/chat/2", () -> {
            throw new IllegalStateException("refused");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals("bob", answers.answer("acme/chat/2", () -> work("bob")).join().getOnlineUserIds(0));
    }

    @Test
    void answersTooOldToBeGivenAgainAreDropped() {
        for (int i = 0; i < 5000; i++) {
            answers.answer("acme/room-" + i, () -> work("ann")).join();
            now.addAndGet(Duration.ofMillis(2).toNanos()); // 500 channels a second
        }
        // 500 answers a second are fresh at any time; sweeps a doubling apart keep at most about twice that.
        assertTrue(answers.size() <= 2 * 501 + PresenceAnswers.SWEEP_ABOVE, "kept " + answers.size());
    }
}
