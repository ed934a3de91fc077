package dev.switchboard.bridge.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The meters of one Redis broker, tagged {@code broker=<describe()>} so that the
 * shards of a {@link ShardedRedisBroker} stay apart. Registered on construction,
 * removed on {@link #close()}.
 */
final class BrokerMetrics implements AutoCloseable {
    static final String PREFIX = "switchboard.broker.";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter publishes;
    private final Counter publishFailures;
    private final Counter received;
    private final Counter reconnects;
    private volatile long lastMessageNanos = System.nanoTime();

    BrokerMetrics(MeterRegistry registry, String broker, IntSupplier subscriptions, BooleanSupplier connected) {
        this.registry = registry;
        Tags tags = Tags.of("broker", broker);
        publishes = add(Counter.builder(PREFIX + "publishes").tags(tags)
                .description("publishes accepted by Redis").register(registry));
        publishFailures = add(Counter.builder(PREFIX + "publish.failures").tags(tags)
                .description("publishes that failed or were refused while Redis was unreachable").register(registry));
        received = add(Counter.builder(PREFIX + "messages.received").tags(tags)
                .description("messages received from Redis").register(registry));
        reconnects = add(Counter.builder(PREFIX + "reconnects").tags(tags)
                .description("times the subscriber connection came back after an outage").register(registry));
        add(Gauge.builder(PREFIX + "subscriptions", subscriptions, s -> s.getAsInt()).tags(tags)
                .description("channels this node wants subscribed in Redis")
                // Micrometer holds gauge targets weakly; these lambdas exist only here. Removed on close().
                .strongReference(true).register(registry));
        add(Gauge.builder(PREFIX + "connected", connected, c -> c.getAsBoolean() ? 1 : 0).tags(tags)
                .description("1 while every Redis connection of the broker is up").strongReference(true).register(registry));
        add(Gauge.builder(PREFIX + "last.message.age", this, m -> (System.nanoTime() - m.lastMessageNanos) / 1e9)
                .tags(tags).baseUnit("seconds")
                .description("seconds since the last message arrived from Redis").strongReference(true).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    void published() {
        publishes.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void received() {
        received.increment();
        lastMessageNanos = System.nanoTime();
    }

    void reconnected() {
        reconnects.increment();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
