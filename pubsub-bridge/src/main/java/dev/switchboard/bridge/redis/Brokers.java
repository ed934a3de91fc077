package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.BrokerUnavailableException;
import dev.switchboard.bridge.LocalFirstBroker;
import dev.switchboard.bridge.PersonalBuckets;
import dev.switchboard.bridge.WriterThreadBroker;
import dev.switchboard.bridge.memory.MemoryBroker;
import io.micrometer.core.instrument.MeterRegistry;

/** Builds the broker that a spec names (see {@link BrokerSpec} for the forms); the caller owns and closes it. */
public final class Brokers {
    private Brokers() {
    }

    /**
     * Connects the broker (blocking; call at startup). Redis brokers are wrapped in a
     * {@link LocalFirstBroker}, so a node's own subscribers get its publications
     * without a Redis round trip, also while Redis is away, and that in
     * {@link PersonalBuckets}, so that personal channels share a few Redis channels.
     *
     * @throws IllegalArgumentException if the spec is malformed
     * @throws BrokerUnavailableException if Redis cannot be reached now
     */
    public static Broker create(String spec, RedisBrokerOptions options, MeterRegistry registry) {
        return create(spec, options, registry, null);
    }

    /**
     * As {@link #create(String, RedisBrokerOptions, MeterRegistry)}, on the process's
     * {@code shared} Lettuce resources, which outlive the broker (null: the broker makes
     * and shuts down its own).
     */
    public static Broker create(String spec, RedisBrokerOptions options, MeterRegistry registry, RedisResources shared) {
        BrokerSpec parsed = BrokerSpec.parse(spec);
        return switch (parsed.kind()) {
            case MEMORY -> new MemoryBroker();
            case REDIS -> wrap(RedisBroker.connect(parsed.addresses().get(0), options, registry, shared), options,
                    registry);
            case SHARDED -> wrap(ShardedRedisBroker.connect(parsed.addresses(), options, registry, shared), options,
                    registry);
            case CLUSTER -> wrap(RedisClusterBroker.connect(parsed.addresses(), options, registry, shared), options,
                    registry);
        };
    }

    /**
     * Checks a spec's syntax without connecting (the launcher's start-up and {@code config check}).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void validate(String spec) {
        BrokerSpec.parse(spec);
    }

    /**
     * Personal channels on buckets (outermost: the local-first layer then sees bucket channels only); local
     * subscribers first; every Redis call on the broker's own writer thread, never on the caller's.
     */
    private static Broker wrap(Broker redis, RedisBrokerOptions options, MeterRegistry registry) {
        return new PersonalBuckets(new LocalFirstBroker(new WriterThreadBroker(redis)), options.personalChannels(),
                registry);
    }
}
