package dev.switchboard.cli;

import dev.switchboard.bridge.Broker;
import dev.switchboard.bridge.PersonalChannels;
import dev.switchboard.bridge.memory.MemoryBroker;
import dev.switchboard.bridge.redis.Brokers;
import dev.switchboard.bridge.redis.RedisBrokerOptions;
import dev.switchboard.bridge.redis.RedisResources;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --redis}: which broker connects the node to the fleet. */
final class BrokerOption {
    @Option(names = "--redis", paramLabel = "URI", defaultValue = "${env:SWITCHBOARD_REDIS}",
            description = "Redis for fan-out between nodes: redis://host:port (one Redis), redis://a:1,redis://b:2 "
                    + "(client-side sharding), redis-cluster://host:port,... (Redis Cluster, sharded pub/sub). "
                    + "Without it the node uses an in-memory broker (a single node).")
    String redis;

    @Option(names = "--personal-channels", paramLabel = "MODE",
            defaultValue = "${env:SWITCHBOARD_PERSONAL_CHANNELS:-buckets}",
            description = "How users' personal channels travel through Redis: buckets (default: a few shared Redis "
                    + "channels per organisation); during a rolling upgrade from per-user channels (releases before "
                    + "buckets), users, then users-dual, then buckets-dual, then buckets, one fleet-wide restart "
                    + "each. Every edge and "
                    + "message-service of a fleet must be on the same step or a neighbouring one (default: ${DEFAULT-VALUE}).")
    String personalChannels;

    /** The Redis URI when --redis names exactly one standalone Redis (registry and presence live there), else null. */
    String singleRedis() {
        return redis != null && redis.startsWith("redis://") && !redis.contains(",") ? redis : null;
    }

    /** Checks the syntax of --redis without connecting. */
    void validate(CommandSpec spec) {
        try {
            PersonalChannels.parse(personalChannels);
        } catch (IllegalArgumentException e) {
            throw OptionProblems.of(spec, "--personal-channels", e.getMessage(), e);
        }
        if (redis != null && !redis.isBlank()) {
            try {
                Brokers.validate(redis);
            } catch (IllegalArgumentException e) {
                throw OptionProblems.of(spec, "--redis", e.getMessage(), e);
            }
        }
    }

    /**
     * Connects the broker on the process's one set of Lettuce resources (its command
     * owns and closes them, after the broker); a failure to reach Redis is one line naming --redis.
     */
    Broker create(CommandSpec spec, MeterRegistry registry, RedisResources resources) {
        if (redis == null || redis.isBlank()) {
            return new MemoryBroker();
        }
        RedisBrokerOptions options = RedisBrokerOptions.builder()
                .personalChannels(PersonalChannels.parse(personalChannels)).build();
        return Startup.redis(spec, "--redis", redis, () -> Brokers.create(redis, options, registry, resources));
    }
}
