package dev.switchboard.edge.session;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The channels one session is subscribed to. Most sessions hold a handful, so
 * they live in a small array (nothing at all while empty); past a threshold a
 * hash set takes over. Confined to the session's event loop.
 */
final class Subscriptions {
    private static final int SET_THRESHOLD = 16;
    private static final String[] NONE = new String[0];

    private String[] small = NONE;
    private int size;
    private Set<String> large;

    int size() {
        return large != null ? large.size() : size;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    boolean contains(String channel) {
        if (large != null) {
            return large.contains(channel);
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(channel)) {
                return true;
            }
        }
        return false;
    }

    void add(String channel) {
        if (contains(channel)) {
            return;
        }
        if (large != null) {
            large.add(channel);
            return;
        }
        if (size == SET_THRESHOLD) {
            large = new HashSet<>(Arrays.asList(small).subList(0, size));
            large.add(channel);
            small = NONE;
            size = 0;
            return;
        }
        if (size == small.length) {
            // One slot first: an idle session holds only its personal channel.
            small = Arrays.copyOf(small, Math.max(1, size * 2));
        }
        small[size++] = channel;
    }

    void remove(String channel) {
        if (large != null) {
            large.remove(channel);
            return;
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(channel)) {
                small[i] = small[--size];
                small[size] = null;
                return;
            }
        }
    }

    String[] toArray() {
        return large != null ? large.toArray(NONE) : Arrays.copyOf(small, size);
    }

    void clear() {
        small = NONE;
        size = 0;
        large = null;
    }
}
