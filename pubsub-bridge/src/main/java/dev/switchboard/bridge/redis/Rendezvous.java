package dev.switchboard.bridge.redis;

import dev.switchboard.bridge.RendezvousHash;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: a channel lives on the shard with
 * the highest score of hash(channel, shard). Every edge node computes the same
 * answer from the same shard list, whatever its order; adding or removing a shard
 * moves only the channels that it wins or loses (about 1/n of them).
 *
 * <p>The hash is {@link RendezvousHash}'s, fixed, because nodes of different
 * versions must agree.
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
            seeds[i] = RendezvousHash.mix(RendezvousHash.hash(shards.get(i)));
        }
    }

    /** The index (in the constructor's list) of the shard that owns {@code channel}. */
    int pick(String channel) {
        long h = RendezvousHash.hash(channel);
        int best = 0;
        long bestScore = Long.MIN_VALUE;
        for (int i = 0; i < seeds.length; i++) {
            long score = RendezvousHash.mix(h ^ seeds[i]);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }
}
