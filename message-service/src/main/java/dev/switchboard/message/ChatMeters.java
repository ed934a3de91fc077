package dev.switchboard.message;

import dev.switchboard.message.store.SequenceListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The message-service's latency histograms besides the send timer: the commit of a
 * send (from the database worker taking it to the commit, connection wait, lock
 * wait and the transaction) and history reads (call to answer, queue included).
 * The commit-to-publish lag is {@link dev.switchboard.message.delivery.OrderedPublisher}'s.
 */
final class ChatMeters {
    private final Timer commit;
    private final Timer historyBefore;
    private final Timer historyAfter;

    ChatMeters(MeterRegistry registry) {
        this.commit = Timer.builder("switchboard.messages.commit")
                .description("a send's database work: the worker takes it, to the commit (connection, row lock, insert, commit)")
                .publishPercentileHistogram().register(registry);
        this.historyBefore = history(registry, "before");
        this.historyAfter = history(registry, "after");
    }

    private static Timer history(MeterRegistry registry, String direction) {
        return Timer.builder("switchboard.messages.history").tag("direction", direction)
                .description("a history page: the call to the answer (worker queue and query)")
                .publishPercentileHistogram().register(registry);
    }

    /** {@code inner}, recording the commit latency from now when a ticket is committed. */
    SequenceListener timingCommit(SequenceListener inner) {
        long start = System.nanoTime();
        return (channel, seq) -> {
            SequenceListener.Ticket ticket = inner.sequenced(channel, seq);
            return new SequenceListener.Ticket() {
                @Override
                public void committed(Message message) {
                    commit.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    ticket.committed(message);
                }

                @Override
                public void abandoned() {
                    ticket.abandoned();
                }
            };
        };
    }

    /** Records the page's latency when {@code page} completes (either way). */
    <T> CompletableFuture<T> history(boolean forward, CompletableFuture<T> page) {
        long start = System.nanoTime();
        Timer t = forward ? historyAfter : historyBefore;
        return page.whenComplete((v, e) -> t.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }
}
