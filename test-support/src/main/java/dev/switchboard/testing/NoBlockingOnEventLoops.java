package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Fails a test class if anything blocked a Netty event loop while it ran
 * (BlockHound, with Netty's own integration marking event-loop threads as
 * non-blocking). Blocking calls throw on the loop; the error is also recorded
 * here, because a thrown error may be swallowed by the code under test.
 *
 * <p>Use with {@code @ExtendWith(NoBlockingOnEventLoops.class)} on integration
 * tests that run servers. Installing BlockHound is JVM-wide and permanent, hence
 * the static state (tests only).
 */
public final class NoBlockingOnEventLoops implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> BLOCKED = new ArrayList<>();
    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (BLOCKED) {
            if (!installed) {
                BlockHound.Builder builder = BlockHound.builder();
                // Netty's integration (found by ServiceLoader) marks event-loop threads as non-blocking.
                ServiceLoader.load(BlockHoundIntegration.class).forEach(builder::with);
                builder
                        // The test clients' loops hand what they receive to blocking queues of the test; only servers are checked.
                        .nonBlockingThreadPredicate(p -> p.and(t -> !t.getName().startsWith("switchboard-client")))
                        // Lettuce's I/O threads are Netty threads too, but not ours to police: its write path takes a
                        // lock by design, and an error thrown from inside that lock's acquisition corrupts Lettuce's
                        // writer count (a later writer then spins forever). Our code never runs Redis calls on our loops.
                        .nonBlockingThreadPredicate(p -> p.and(t -> !t.getName().startsWith("lettuce-")))
                        // The Cassandra driver's threads (its InternalThread, its shaded Netty's) are marked non-blocking by its
                        // own BlockHound integration, yet its timer sleeps and its admin loops wait on queues by design: an error thrown
                        // inside that wait's lock broke the driver's executors and hung MessageConvergenceOnCassandraIT
                        // in a full run (BlockHound stays installed for every later class). Our code never runs store
                        // calls on them (they run on the store's workers).
                        .nonBlockingThreadPredicate(p -> p.and(t -> !t.getClass().getName()
                                .startsWith("com.datastax.oss.driver.")))
                        // Netty's io_uring loop spins briefly while it closes its ring at shutdown.
                        .allowBlockingCallsInside("io.netty.channel.uring.IoUringIoHandler", "destroy")
                        // Netty's adaptive allocator briefly write-locks a magazine group when it grows it.
                        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                        // Jackson builds a deserializer once per type, under a lock; later reads use the cache.
                        .allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
                        // Log output is written synchronously; it is not on any hot path.
                        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                        .allowBlockingCallsInside("ch.qos.logback.core.UnsynchronizedAppenderBase", "doAppend")
                        .blockingMethodCallback(m -> {
                            synchronized (BLOCKED) {
                                StringBuilder where = new StringBuilder(Thread.currentThread().getName()).append(": ").append(m);
                                StackTraceElement[] stack = new Throwable().getStackTrace();
                                for (int i = 0; i < Math.min(stack.length, 40); i++) {
                                    where.append("\n    at ").append(stack[i]);
                                }
                                BLOCKED.add(where.toString());
                            }
                            throw new BlockingOperationError(m);
                        })
                        .install();
                installed = true;
            }
            BLOCKED.clear();
        }
    }

    /** Returns and forgets the blocking calls recorded so far (for a self-test that blocks on purpose). */
    public static List<String> drain() {
        synchronized (BLOCKED) {
            List<String> copy = new ArrayList<>(BLOCKED);
            BLOCKED.clear();
            return copy;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (BLOCKED) {
            if (!BLOCKED.isEmpty()) {
                List<String> copy = new ArrayList<>(BLOCKED);
                BLOCKED.clear();
                throw new AssertionError("blocking calls on event loops: " + copy);
            }
        }
    }
}
