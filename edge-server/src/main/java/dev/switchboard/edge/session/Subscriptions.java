package dev.switchboard.edge.session;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The channels one session is subscribed to, flattened into one field of the
 * {@link Session} (no object of its own per connection: memory per idle
 * connection is a target, ADR 0015). The field holds {@code null} while there
 * are none, the channel's name itself for one, an array of exactly the names for
 * a few (copied on change: subscriptions change rarely) and a hash set past
 * {@link #SET_THRESHOLD}. Every method takes the field's value and, where it
 * changes, returns the new one. Confined to the session's event loop.
 */
final class Subscriptions {
    static final int SET_THRESHOLD = 16;
    private static final String[] NONE = new String[0];

    private Subscriptions() {
    }

    static int size(Object subs) {
        return switch (subs) {
            case null -> 0;
            case String ignored -> 1;
            case String[] a -> a.length;
            case Set<?> set -> set.size();
            default -> throw new IllegalStateException("not a subscription list: " + subs.getClass());
        };
    }

    static boolean contains(Object subs, String channel) {
        return switch (subs) {
            case null -> false;
            case String one -> one.equals(channel);
            case String[] a -> indexOf(a, channel) >= 0;
            case Set<?> set -> set.contains(channel);
            default -> throw new IllegalStateException("not a subscription list: " + subs.getClass());
        };
    }

    /** {@code subs} with {@code channel} added (the same value if it was there). */
    @SuppressWarnings("unchecked")
    static Object add(Object subs, String channel) {
        if (contains(subs, channel)) {
            return subs;
        }
        return switch (subs) {
            case null -> channel;
            case String one -> new String[] {one, channel};
            case String[] a when a.length < SET_THRESHOLD -> {
                String[] next = Arrays.copyOf(a, a.length + 1);
                next[a.length] = channel;
                yield next;
            }
            case String[] a -> {
                Set<String> set = new HashSet<>(Arrays.asList(a));
                set.add(channel);
                yield set;
            }
            case Set<?> set -> {
                ((Set<String>) set).add(channel);
                yield set;
            }
            default -> throw new IllegalStateException("not a subscription list: " + subs.getClass());
        };
    }

    /** {@code subs} without {@code channel}. */
    static Object remove(Object subs, String channel) {
        return switch (subs) {
            case null -> null;
            case String one -> one.equals(channel) ? null : one;
            case String[] a -> {
                int i = indexOf(a, channel);
                if (i < 0) {
                    yield a;
                }
                if (a.length == 2) {
                    yield a[1 - i];
                }
                String[] next = new String[a.length - 1];
                System.arraycopy(a, 0, next, 0, i);
                System.arraycopy(a, i + 1, next, i, a.length - i - 1);
                yield next;
            }
            case Set<?> set -> {
                set.remove(channel);
                yield set.isEmpty() ? null : set;
            }
            default -> throw new IllegalStateException("not a subscription list: " + subs.getClass());
        };
    }

    /** A copy of the names (the caller may change the subscriptions while walking it). */
    static String[] toArray(Object subs) {
        return switch (subs) {
            case null -> NONE;
            case String one -> new String[] {one};
            case String[] a -> a.clone();
            case Set<?> set -> set.toArray(NONE);
            default -> throw new IllegalStateException("not a subscription list: " + subs.getClass());
        };
    }

    private static int indexOf(String[] a, String channel) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(channel)) {
                return i;
            }
        }
        return -1;
    }
}
