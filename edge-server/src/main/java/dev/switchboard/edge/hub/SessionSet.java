package dev.switchboard.edge.hub;

import dev.switchboard.edge.session.Session;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The sessions of one event loop subscribed to one channel. Confined to that
 * loop, so no locks: fan-out walks a plain array. Removal is a swap with the
 * last element; large sets keep an index so that removing one of 10,000
 * subscribers does not scan.
 *
 * <p>Frames fanned out during one loop iteration wait in {@link #pending} (one
 * shared frame, or several copied into one buffer) and are written to every
 * member once, after the iteration ({@link LoopHub}).
 */
final class SessionSet {
    private static final int INDEX_THRESHOLD = 64;

    /** The channel's name: the one instance of it that the loop's sessions keep. */
    final String channel;
    /** Sized for one: many channels (direct messages, small groups) have one subscriber on a loop. */
    private Session[] sessions = new Session[1];
    private int size;
    private Map<Session, Integer> index;
    /** Completes when the node's broker subscription for the channel is active. */
    CompletableFuture<Void> ready;
    /** Frames of this iteration not yet written to the members (null when none); owned by the loop's hub. */
    ByteBuf pending;
    /** How many frames {@link #pending} holds. */
    int pendingFrames;

    SessionSet(String channel) {
        this.channel = channel;
    }

    int size() {
        return size;
    }

    Session get(int i) {
        return sessions[i];
    }

    boolean add(Session s) {
        if (contains(s)) {
            return false;
        }
        if (size == sessions.length) {
            sessions = Arrays.copyOf(sessions, size * 2);
        }
        sessions[size] = s;
        if (index != null) {
            index.put(s, size);
        } else if (size + 1 > INDEX_THRESHOLD) {
            index = new IdentityHashMap<>(size * 2);
            for (int i = 0; i <= size; i++) {
                index.put(sessions[i], i);
            }
        }
        size++;
        return true;
    }

    boolean remove(Session s) {
        int i = indexOf(s);
        if (i < 0) {
            return false;
        }
        int last = --size;
        Session moved = sessions[last];
        sessions[i] = moved;
        sessions[last] = null;
        if (index != null) {
            index.remove(s);
            if (moved != s) {
                index.put(moved, i);
            }
        }
        return true;
    }

    boolean contains(Session s) {
        return indexOf(s) >= 0;
    }

    /** A copy of the members, for walks that may change the set (control messages that unsubscribe). */
    Session[] snapshot() {
        return Arrays.copyOf(sessions, size);
    }

    private int indexOf(Session s) {
        if (index != null) {
            Integer i = index.get(s);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (sessions[i] == s) {
                return i;
            }
        }
        return -1;
    }
}
