package dev.switchboard.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: a channel lives on the shard with
 * the highest score of hash(channel, shard). Every edge node computes the same
 * answer from the same shard list, whatever its order; adding or removing a shard
 * moves only the channels that it wins or loses (about 1/n of them).
 *
 * <p>The hash is fixed here (FNV-1a, finished with murmur3's fmix64), never
 * {@code String.hashCode()} or a seeded hash, because nodes of different versions
 * must agree.
 */
final class Rendezvous {
    private final long[] seeds;

    /** @param shards stable identities of the shards, e.g. {@code 10.0.0.5:6379} */
    Rendezvous(List<String> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards");
        }
        seeds = new long[shards.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = fmix64(fnv1a(shards.get(i)));
        }
    }

    /** The index (in the constructor's list) of the shard that owns {@code channel}. */
    int pick(String channel) {
        long h = fnv1a(channel);
        int best = 0;
        long bestScore = Long.MIN_VALUE;
        for (int i = 0; i < seeds.length; i++) {
            long score = fmix64(h ^ seeds[i]);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
