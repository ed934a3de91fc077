package dev.switchboard.edge.hub;

import dev.switchboard.edge.session.Session;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's routes of personal channels: each connected user's channel to that user's sessions on this node,
 * one entry per user whose value is the one {@link Session}, or an array of them when the user has several
 * (never modified: a change replaces it). A personal channel has no subscriber but its user's sessions, so it
 * takes no per-loop subscriber set, route and batch as a shared channel does (ADR 0015: ~90 B less per idle
 * connection); its frames are handed to each session's loop. Thread-safe: a user's sessions may live on
 * several loops.
 */
final class PersonalRoutes {
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<String, Object> routes = new ConcurrentHashMap<>();

    /** Adds {@code s} to the sessions of {@code channel}; false if it was there. */
    boolean add(String channel, Session s) {
        boolean[] added = {false};
        routes.compute(channel, (ch, v) -> {
            if (v == null) {
                added[0] = true;
                return s;
            }
            Session[] now = v instanceof Session one ? new Session[] {one} : (Session[]) v;
            for (Session x : now) {
                if (x == s) {
                    return v;
                }
            }
            added[0] = true;
            Session[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = s;
            return next;
        });
        return added[0];
    }

    /** Removes {@code s} from the sessions of {@code channel}; false if it was not there. */
    boolean remove(String channel, Session s) {
        boolean[] removed = {false};
        routes.computeIfPresent(channel, (ch, v) -> {
            if (v == s) {
                removed[0] = true;
                return null;
            }
            if (!(v instanceof Session[] now)) {
                return v;
            }
            Session[] next = Arrays.stream(now).filter(x -> x != s).toArray(Session[]::new);
            removed[0] = next.length < now.length;
            return next.length == 1 ? next[0] : next;
        });
        return removed[0];
    }

    /** The sessions of {@code channel} on this node (a copy: the caller may keep it). */
    Session[] sessions(String channel) {
        Object v = routes.get(channel);
        return v == null ? NONE : v instanceof Session one ? new Session[] {one} : ((Session[]) v).clone();
    }

    int sessionCount(String channel) {
        Object v = routes.get(channel);
        return v == null ? 0 : v instanceof Session ? 1 : ((Session[]) v).length;
    }

    /** Users with a session on this node. */
    int users() {
        return routes.size();
    }
}
