package dev.switchboard.edge.presence;

import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.bridge.redis.RedisScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Presence leases in one Redis, in the format the message-service reads:
 * hash {@code <prefix><org>:<user>}, field per session, value = expiry (epoch
 * ms). A sorted set of all leases by expiry lets any node find leases of dead
 * nodes; removing one (ZREM) is what makes a node its reporter, so each
 * expired lease is reported once. Hash {@code <prefix>seen|<org>} keeps, per user,
 * when their last lease ended (epoch ms): the "last seen" of an offline user. Scripts keep each step atomic; all keys of a
 * script live in one Redis (use a standalone Redis or one shard for presence).
 */
public final class RedisPresenceStore implements PresenceStore {
    public static final String DEFAULT_PREFIX = "sb:presence:";
    /** How long a presence command may take before it fails (while Redis is away it fails at once). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    // Scripts encoded once (RedisScript); a lease's open and close are each one EVAL.
    private static final String COUNT_LIVE = """
            local live = 0
            for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
              if tonumber(v) ~= nil and tonumber(v) > tonumber(ARGV[3]) then live = live + 1 end
            end
            """;
    // KEYS: hash, leases; ARGV: field, expiry, now, ttl ms, member
    private static final RedisScript OPEN = RedisScript.of("""
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            if tonumber(redis.call('PTTL', KEYS[1])) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
            """ + COUNT_LIVE + "return live");
    // KEYS: hash, leases, last seen; ARGV: field, member, now, user. Offline now: last seen now.
    private static final RedisScript CLOSE = RedisScript.of("""
            local had = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[2])
            if had == 0 then return -1 end
            """ + COUNT_LIVE + """
            if live == 0 then redis.call('HSET', KEYS[3], ARGV[4], ARGV[3]) end
            return live""");
    // KEYS: leases, then each lease's hash; ARGV: expiry, ttl ms, then each lease's field and member. A hash that
    // Redis lost (a restart, a failover) is written again with its expiry, as an open writes it.
    private static final RedisScript RENEW = RedisScript.of("""
            local expiry, ttl = ARGV[1], tonumber(ARGV[2])
            local index = {}
            for i = 2, #KEYS do
              redis.call('HSET', KEYS[i], ARGV[2 * i - 1], expiry)
              if tonumber(redis.call('PTTL', KEYS[i])) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
              index[#index + 1] = expiry
              index[#index + 1] = ARGV[2 * i]
            end
            redis.call('ZADD', KEYS[1], unpack(index))
            return #KEYS - 1""");
    /**
     * The most leases one renewal script takes. A script holds Redis for its whole run, pub/sub of a node sharing
     * that Redis included: 128 leases take ~0.4 ms of an idle Redis 7 (512: ~1.2 ms).
     */
    static final int RENEW_SCRIPT_MAX = 128;
    // KEYS: hash, leases, last seen; ARGV: field, member, now, user, ttl ms. Offline now: last seen at the
    // lease's last renewal (its expiry less the TTL), the last moment its node vouched for the session.
    private static final RedisScript REAP = RedisScript.of("""
            local expiry = redis.call('ZSCORE', KEYS[2], ARGV[2])
            if redis.call('ZREM', KEYS[2], ARGV[2]) == 0 then return -1 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            """ + COUNT_LIVE + """
            if live == 0 and expiry then
              redis.call('HSET', KEYS[3], ARGV[4], string.format('%.0f', math.max(0, tonumber(expiry) - tonumber(ARGV[5]))))
            end
            return live""");

    private final RedisClient client;
    /** Resources made for this store alone (closed with it), or null when the process shares its own. */
    private final RedisResources ownedResources;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final String prefix;
    private final String leasesKey;
    private final long ttlMs;
    /** {@link #ttlMs} as the scripts take it. */
    private final String ttlText;
    private final Clock clock;

    private RedisPresenceStore(RedisClient client, RedisResources ownedResources,
                               StatefulRedisConnection<String, String> connection, String prefix, Duration ttl, Clock clock) {
        this.client = client;
        this.ownedResources = ownedResources;
        this.connection = connection;
        this.redis = connection.async();
        this.prefix = prefix;
        this.leasesKey = prefix + "leases";
        this.ttlMs = ttl.toMillis();
        this.ttlText = Long.toString(ttlMs);
        this.clock = clock;
    }

    /** Connects on resources of its own (blocking: call at startup); a process with more Redis clients shares them instead. */
    public static RedisPresenceStore connect(String uri, String prefix, Duration ttl) {
        RedisResources own = RedisResources.create();
        try {
            return connect(own, own, uri, prefix, ttl, DEFAULT_COMMAND_TIMEOUT);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * Connects on the process's {@code shared} resources (blocking: call at startup). Commands
     * fail at once while Redis is unreachable and after {@code commandTimeout} otherwise, as
     * the broker's do: a lease that cannot be written is never queued for later.
     */
    public static RedisPresenceStore connect(RedisResources shared, String uri, String prefix, Duration ttl,
                                             Duration commandTimeout) {
        return connect(shared, null, uri, prefix, ttl, commandTimeout);
    }

    private static RedisPresenceStore connect(RedisResources resources, RedisResources owned, String uri, String prefix,
                                              Duration ttl, Duration commandTimeout) {
        RedisClient client = resources.client(uri, DEFAULT_CONNECT_TIMEOUT, commandTimeout);
        try {
            return new RedisPresenceStore(client, owned, client.connect(), prefix, ttl, Clock.systemUTC());
        } catch (RuntimeException e) {
            RedisResources.shutdown(client);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Boolean> opened(Lease lease) {
        long now = clock.millis();
        String field = lease.field();
        return eval(OPEN, new String[] {hash(lease.org(), lease.user()), leasesKey},
                field, Long.toString(now + ttlMs), Long.toString(now), ttlText, member(lease.org(), lease.user(), field))
                .thenApply(live -> live == 1);
    }

    @Override
    public CompletableFuture<Boolean> closed(Lease lease) {
        String field = lease.field();
        return eval(CLOSE, new String[] {hash(lease.org(), lease.user()), leasesKey, seenKey(lease.org())},
                field, member(lease.org(), lease.user(), field), Long.toString(clock.millis()), lease.user())
                .thenApply(live -> live == 0);
    }

    /**
     * One script per {@link #RENEW_SCRIPT_MAX} leases: each lease's field and its hash's expiry, and one ZADD for
     * their index entries. {@link LeaseRenewal} sends a node's leases in rounds of {@link PresenceService#RENEW_ROUND},
     * so a round is four commands (it was two per lease and a ZADD: ~1.5 KB of the Redis client's objects per lease,
     * every 10 s).
     */
    @Override
    public CompletableFuture<Void> renew(List<Lease> leases) {
        if (leases.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String expiry = Long.toString(clock.millis() + ttlMs);
        CompletableFuture<?>[] sent = new CompletableFuture<?>[(leases.size() + RENEW_SCRIPT_MAX - 1) / RENEW_SCRIPT_MAX];
        for (int from = 0, call = 0; from < leases.size(); from += RENEW_SCRIPT_MAX, call++) {
            List<Lease> part = leases.subList(from, Math.min(leases.size(), from + RENEW_SCRIPT_MAX));
            String[] keys = new String[part.size() + 1];
            String[] args = new String[2 * part.size() + 2];
            keys[0] = leasesKey;
            args[0] = expiry;
            args[1] = ttlText;
            for (int i = 0; i < part.size(); i++) {
                Lease l = part.get(i);
                String field = l.field();
                keys[i + 1] = hash(l.org(), l.user());
                args[2 * i + 2] = field;
                args[2 * i + 3] = member(l.org(), l.user(), field);
            }
            sent[call] = eval(RENEW, keys, args);
        }
        return CompletableFuture.allOf(sent);
    }

    @Override
    public CompletableFuture<Set<String>> online(String org, Collection<String> users) {
        long now = clock.millis();
        List<String> ordered = new ArrayList<>(users);
        List<CompletableFuture<List<String>>> values = new ArrayList<>();
        for (String u : ordered) {
            values.add(redis.hvals(hash(org, u)).toCompletableFuture());
        }
        return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Set<String> online = new TreeSet<>();
            for (int i = 0; i < ordered.size(); i++) {
                for (String expiry : values.get(i).join()) {
                    if (isLive(expiry, now)) {
                        online.add(ordered.get(i));
                        break;
                    }
                }
            }
            return online;
        });
    }

    @Override
    public CompletableFuture<List<Lease>> reapExpired(int max) {
        long now = clock.millis();
        // Continue on the caller's side (ForkJoinPool), not on Lettuce's I/O thread: commands are not issued from there.
        return redis.zrangebyscore(leasesKey, Range.create(Double.NEGATIVE_INFINITY, (double) now), Limit.create(0, max))
                .toCompletableFuture().thenComposeAsync(members -> {
                    List<CompletableFuture<Lease>> reaped = new ArrayList<>();
                    for (String m : members) {
                        Lease lease = parse(m);
                        if (lease == null) {
                            redis.zrem(leasesKey, m);
                            continue;
                        }
                        reaped.add(eval(REAP, new String[] {hash(lease.org(), lease.user()), leasesKey,
                                seenKey(lease.org())}, lease.field(), m, Long.toString(now), lease.user(),
                                ttlText).thenApply(live -> live == 0 ? lease : null));
                    }
                    return CompletableFuture.allOf(reaped.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        List<Lease> offline = new ArrayList<>();
                        for (CompletableFuture<Lease> f : reaped) {
                            if (f.join() != null) {
                                offline.add(f.join());
                            }
                        }
                        return offline;
                    });
                });
    }

    @Override
    public CompletableFuture<Map<String, Long>> lastSeen(String org, Collection<String> users) {
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return redis.hmget(seenKey(org), users.toArray(String[]::new)).toCompletableFuture().thenApply(values -> {
            Map<String, Long> out = new HashMap<>();
            for (KeyValue<String, String> v : values) {
                if (v.hasValue()) {
                    try {
                        out.put(v.getKey(), Long.parseLong(v.getValue()));
                    } catch (NumberFormatException e) {
                        // not ours: absent
                    }
                }
            }
            return out;
        });
    }

    private CompletableFuture<Long> eval(RedisScript script, String[] keys, String... args) {
        return script.run(redis, ScriptOutputType.INTEGER, keys, args);
    }

    private String hash(String org, String user) {
        return prefix + org + ":" + user;
    }

    /** The hash of when the users of {@code org} were last online (ids have no '|': no user's hash has this name). */
    private String seenKey(String org) {
        return prefix + "seen|" + org;
    }

    /** A lease's entry in the expiry index; ids are [A-Za-z0-9_.-], so '|' separates them unambiguously. */
    private static String member(String org, String user, String field) {
        return org + "|" + user + "|" + field;
    }

    private static Lease parse(String member) {
        String[] parts = member.split("\\|", 3);
        return parts.length == 3 ? Lease.ofField(parts[0], parts[1], parts[2]) : null;
    }

    private static boolean isLive(String value, long now) {
        try {
            return Long.parseLong(value) > now;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Closes the client, waiting at most a few seconds: a node's shutdown must not hang on Redis. */
    @Override
    public void close() {
        Thread closer = new Thread(() -> {
            connection.close();
            RedisResources.shutdown(client);
            if (ownedResources != null) {
                ownedResources.close();
            }
        }, "presence-redis-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
