package dev.switchboard.balancer.internal;

import java.nio.charset.StandardCharsets;

/**
 * The fixed hash behind rendezvous (highest random weight) ordering: FNV-1a over
 * UTF-8, finished with murmur3's fmix64. It is spelled out here, never
 * {@code String.hashCode()} or a seeded hash, because every balancer instance
 * and version must rank the nodes of an organisation identically (the same
 * functions as the Redis bridge's shard picker).
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** The weight of {@code node} for {@code key}; the highest weight is the first choice. */
    public static long score(long keyHash, long nodeHash) {
        return fmix64(keyHash ^ fmix64(nodeHash));
    }

    public static long hash(String s) {
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
