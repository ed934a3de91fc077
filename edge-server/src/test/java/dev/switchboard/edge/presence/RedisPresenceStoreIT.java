package dev.switchboard.edge.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bridge.redis.RedisResources;
import dev.switchboard.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real redis-server of the test's own. */
class RedisPresenceStoreIT extends PresenceStoreContract {
    static RedisServerProcess redis;
    static int stores;

    @BeforeAll
    static void start() {
        redis = new RedisServerProcess().start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Override
    PresenceStore store(long ttlMillis) {
        return RedisPresenceStore.connect(redis.uri(), "it" + (stores++) + ":presence:", Duration.ofMillis(ttlMillis));
    }

    /** Leases are written by scripts; a Redis that lost its scripts (restart, failover, SCRIPT FLUSH) still runs them. */
    @Test
    void leasesStillOpenAndCloseAfterRedisForgotItsScripts() throws Exception {
        RedisClient admin = RedisClient.create(redis.uri());
        try (PresenceStore s = store(10_000); var c = admin.connect()) {
            Lease lease = new Lease("acme", "flo", "n1", 1);
            c.sync().scriptFlush();
            assertTrue(s.opened(lease).get(5, TimeUnit.SECONDS));
            assertEquals(Set.of("flo"), s.online("acme", List.of("flo")).get(5, TimeUnit.SECONDS));
            c.sync().scriptFlush();
            assertTrue(s.closed(lease).get(5, TimeUnit.SECONDS), "the close ran once");
            assertFalse(s.closed(lease).get(5, TimeUnit.SECONDS));
            assertEquals(Set.of(), s.online("acme", List.of("flo")).get(5, TimeUnit.SECONDS));
        } finally {
            admin.shutdown();
        }
    }

    /**
     * A renewal renews every lease, in Redis's hashes (with the hash's expiry) and its expiry index: more leases
     * than one script takes (two scripts), users with several sessions; commands may take 10 s here (CI load).
     */
    @Test
    void aRenewalOfManyLeasesRenewsEachOfThem() throws Exception {
        int n = RedisPresenceStore.RENEW_SCRIPT_MAX + 88;
        String prefix = "it-renew:presence:";
        withStore(prefix, Duration.ofSeconds(60), (s, r) -> {
            List<Lease> leases = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Lease l = new Lease("acme", "u" + (i % 400), "n1", i);
                leases.add(l);
                s.opened(l).get(5, TimeUnit.SECONDS);
            }
            r.pexpire(prefix + "acme:u7", 5_000); // renewals lengthen a hash's expiry to the TTL again
            long before = System.currentTimeMillis() + 60_000;
            Thread.sleep(20); // every renewed expiry is later than any opened one
            s.renew(leases).get(10, TimeUnit.SECONDS);
            for (Lease l : leases) {
                String hash = prefix + "acme:" + l.user();
                long expiry = Long.parseLong(r.hget(hash, l.field()));
                assertTrue(expiry > before, "hash field of " + l);
                assertTrue(r.pttl(hash) > 50_000, "expiry of " + hash);
                assertEquals((double) expiry, r.zscore(prefix + "leases", "acme|" + l.user() + "|" + l.field()),
                        "expiry index of " + l);
            }
            assertEquals(n, r.zcard(prefix + "leases"));
        });
    }

    /**
     * Where Redis lost a lease (restarted empty, failed over to a replica without it), the next renewal writes it
     * again with its hash's expiry: a hash written back without one would outlive every session in it.
     */
    @Test
    void aRenewalWritesALostLeaseBackWithItsExpiry() throws Exception {
        String prefix = "it-lost:presence:";
        withStore(prefix, Duration.ofSeconds(30), (s, r) -> {
            Lease lease = new Lease("acme", "flo", "n1", 1);
            s.opened(lease).get(5, TimeUnit.SECONDS);
            r.del(prefix + "acme:flo", prefix + "leases");
            assertEquals(Set.of(), s.online("acme", List.of("flo")).get(5, TimeUnit.SECONDS));

            s.renew(List.of(lease)).get(10, TimeUnit.SECONDS);

            assertEquals(Set.of("flo"), s.online("acme", List.of("flo")).get(5, TimeUnit.SECONDS));
            long ttl = r.pttl(prefix + "acme:flo");
            assertTrue(ttl > 20_000 && ttl <= 30_000, "the hash expires with the lease, in " + ttl + " ms");
            assertEquals(1, r.zcard(prefix + "leases"), "the lease is in the expiry index again");
        });
    }

    interface StoreTest {
        void run(PresenceStore store, RedisCommands<String, String> redis) throws Exception;
    }

    /** A store under {@code prefix} whose commands may take 10 s (CI load), and a client of its Redis to look with. */
    private static void withStore(String prefix, Duration ttl, StoreTest test) throws Exception {
        RedisClient admin = RedisClient.create(redis.uri());
        RedisResources resources = RedisResources.create();
        try (PresenceStore s = RedisPresenceStore.connect(resources, redis.uri(), prefix, ttl, Duration.ofSeconds(10));
             var c = admin.connect()) {
            test.run(s, c.sync());
        } finally {
            admin.shutdown();
            resources.close();
        }
    }
}
