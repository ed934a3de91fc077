package dev.switchboard.bridge;

import java.nio.charset.StandardCharsets;

/**
 * The fixed hash behind rendezvous (highest random weight) ordering: FNV-1a over
 * UTF-8, finished with murmur3's fmix64. The Redis bridge's shard picker and the
 * balancer's placement both rank with it. It is spelled out here, never
 * {@code String.hashCode()} or a seeded hash, because every node and balancer, of
 * every version, must rank the same way.
 */
public final class RendezvousHash {
    private RendezvousHash() {
    }

    /** The weight of a node (by its {@link #hash}) for a key (by its hash); the highest weight is the first choice. */
    public static long score(long keyHash, long nodeHash) {
        return mix(keyHash ^ mix(nodeHash));
    }

    /** FNV-1a 64 of {@code s}'s UTF-8 bytes. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** murmur3's fmix64 finaliser. */
    public static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
